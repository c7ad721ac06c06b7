"""Two gunicorn instances on one PostgreSQL database and one Redis serve as one portal
(scripts/two_instances.py, issue #10): a session, a published post and a support request made
through one instance are seen at once through the other, and stopping one loses nothing.

The script runs as a subprocess with its own throwaway database (``TWO_INSTANCES_DATABASE``, by
default ``portal_two_<pid>``, dropped at the end) on the PostgreSQL server of the test run, and a
Redis database other than 0 (``TWO_INSTANCES_REDIS_URL``, default ``redis://127.0.0.1:6379/9``)
with a key prefix of its own. Skipped when PostgreSQL or Redis does not answer, unless ``CI`` is
set, where that is a failure."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import redis

from tests.deploy.proofs import run_proof

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "two_instances.py"
STEPS = [
    "PASS setup: database, migrations, demo data, collectstatic",
    "PASS both instances answer /healthz (gunicorn, DEBUG=0, RedisCache)",
    "PASS (a) the member signed in on A is signed in on B with the same cookie",
    "PASS (b) a post published through A's admin is at once on B's /tin-tuc/",
    "PASS (c) a support request filed through A is in the officer's queue on B",
    "PASS (d) A stopped with SIGTERM: B still serves the session and the request",
]


def postgres_server():
    """The PostgreSQL server of this test run, without a database name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def unavailable(server, redis_url):
    try:
        psycopg2.connect(f"{server}/postgres", connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        return f"PostgreSQL at {server} does not answer: {str(exc).strip().splitlines()[0]}"
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {redis_url} does not answer: {exc}"
    return None


def test_two_instances_share_sessions_news_and_requests():
    server = postgres_server()
    redis_url = os.environ.get("TWO_INSTANCES_REDIS_URL", "redis://127.0.0.1:6379/9")
    reason = unavailable(server, redis_url)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL and Redis for the two-instance proof: {reason}")
        pytest.skip(reason)
    database = os.environ.get("TWO_INSTANCES_DATABASE", f"portal_two_{os.getpid()}")
    command = [
        sys.executable,
        str(SCRIPT),
        "--database",
        database,
        "--postgres",
        server,
        "--redis-url",
        redis_url,
    ]
    if os.environ.get("TWO_INSTANCES_PORTS"):
        command += ["--ports", os.environ["TWO_INSTANCES_PORTS"]]
    stdout = run_proof(command, STEPS, cwd=ROOT)
    assert "database dropped" in stdout
    with psycopg2.connect(f"{server}/postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        assert cursor.fetchone() is None, "the script left its database behind"
