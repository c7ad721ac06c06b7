"""Serving the portal the production way and loading it with wrk: the parts of ``make bench``
that need no Django (the tests' smoke run uses them too).

- ``Server``: gunicorn with the project's ``gunicorn.conf.py`` (sync workers), started in its own
  process group, ready when the baseline answers 200; the workers' memory read from ``/proc``.
- ``run_wrk``: one wrk run with ``report.lua``, parsed into requests/s, latency percentiles and
  errors.
- ``fetch``: one request without following redirects, to check an address answers 200 before and
  after it is loaded (wrk itself counts only statuses of 400 and above as errors).
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).with_name("report.lua")
READY_PATH = "/bench/baseline/"
FORWARDED = "X-Forwarded-Proto: https"  # what nginx in front of gunicorn adds


class BenchError(RuntimeError):
    """Something the benchmark cannot go on without; the message says what."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk():
    """wrk's path; installs the Debian package when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk is missing: apt-get install wrk", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"],  # noqa: S607
            check=True,
            env=env,
        )
        found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    return found


def fetch(port, path, headers=(), timeout=120):
    """(status, body length) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers=dict(h.split(": ", 1) for h in (FORWARDED, *headers))
        )
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


class Server:
    """gunicorn serving the portal on 127.0.0.1:``port`` with ``env``."""

    def __init__(self, env, port, log_path):
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        self.port = port
        self.log_path = Path(log_path)
        self.process = None

    def start(self, timeout=60):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped at start; see {self.log_path}")
            try:
                if fetch(self.port, READY_PATH, timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def workers(self):
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def memory(self):
        """Each worker's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
        workers = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(
                line.split(":", 1) for line in status.splitlines() if line.startswith("Vm")
            )
            workers.append(
                {
                    "pid": pid,
                    "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
                    "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
                }
            )
        return workers

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def run_wrk(port, path, *, duration, connections, headers=(), threads=None, timeout=30):
    """One wrk run against ``path``: requests/s, latency (ms) and errors."""
    wrk = ensure_wrk()
    threads = threads or min(2, connections)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={timeout}s",
        "-s",
        str(LUA_SCRIPT),
    ]
    for header in (FORWARDED, *headers):
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{port}{path}")
    done = subprocess.run(  # noqa: S603 - wrk with our arguments
        command, capture_output=True, text=True, timeout=duration + timeout + 30, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if done.returncode != 0 or not lines:
        raise BenchError(f"wrk failed on {path}: {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(lines[-1].removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1_000_000
    # No request finished in the time: wrk's percentiles are then zeros, which mean nothing.
    latency = {
        key: round(value / 1000, 2) if raw["requests"] else None
        for key, value in raw["latency_us"].items()
    }
    errors = raw["errors"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_second": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "latency_ms": latency,
        "errors": sum(errors.values()),
        "error_kinds": {key: value for key, value in errors.items() if value},
        "kb_per_request": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
    }
