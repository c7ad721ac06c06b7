"""The portal reads anonymous public pages from a PostgreSQL streaming replica and everything else
from the primary (scripts/replica.py, issue #10).

The script sets up its own primary and replica clusters on loopback ports with the PostgreSQL
server binaries (``initdb``, ``pg_basebackup``, ``pg_ctl``; ``PG_BIN``, default
``/usr/lib/postgresql/15/bin``), proves each step over HTTP by counting the statements each server
ran, and tears everything down. Skipped only where those binaries are absent."""

import os
import re
import socket
import sys
from pathlib import Path

import pytest

from tests.deploy.proofs import run_proof

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "replica.py"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
STEPS = [
    "PASS setup: primary and streaming replica on loopback",
    "PASS setup: portal database, migrations, demo data, replica caught up",
    "PASS the portal answers /healthz (gunicorn, DEBUG=0, replica router)",
    "PASS (a) anonymous public pages are read from the replica",
    "PASS (b) signing in (POST) and a member's pages are read from the primary",
    "PASS (c) a post published through the admin is on the public list at once",
    "PASS (d) replica stopped: public pages fall back to the primary, no 503",
]


@pytest.mark.skipif(
    not all((PG_BIN / name).exists() for name in ("initdb", "pg_ctl", "pg_basebackup")),
    reason=f"no PostgreSQL server binaries in {PG_BIN}",
)
def test_public_pages_read_the_replica_and_the_rest_the_primary():
    command = [sys.executable, str(SCRIPT), "--pg-bin", str(PG_BIN)]
    if os.environ.get("REPLICA_PG_PORTS"):
        command += ["--pg-ports", os.environ["REPLICA_PG_PORTS"]]
    if os.environ.get("REPLICA_PORT"):
        command += ["--port", os.environ["REPLICA_PORT"]]
    stdout = run_proof(command, STEPS, cwd=ROOT)
    work = (
        next(line for line in stdout.splitlines() if line.startswith("cleaned up:"))
        .split(", ")[1]
        .removesuffix(" deleted")
    )
    assert not Path(work).exists(), "the script left its clusters' folder behind"
    # Both clusters are stopped: nothing answers on their ports any more.
    ports = re.search(r"primary 127.0.0.1:(\d+), replica 127.0.0.1:(\d+)", stdout)
    for port in ports.groups():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", int(port))) != 0, f"port {port} still answers"
