"""PostgreSQL stops while the portal serves: a Vietnamese 503 page and a 503 health check, and the
portal recovers by itself when the database is back, without a restart.

The portal runs as in production (gunicorn, DEBUG off, persistent connections) against the test
database through a TCP relay on loopback; "stopping PostgreSQL" closes the relay's port and cuts
every open connection, which is what the portal sees when the server goes away. (The shared
PostgreSQL of the test run cannot really be stopped under the other tests.)"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class Relay:
    """Forwards a loopback port to PostgreSQL; ``down()`` refuses and cuts, ``up()`` serves."""

    def __init__(self, target):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.sockets = []
        self.listener = None

    def up(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.close()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_the_portal_answers_503_while_postgresql_is_down_and_recovers_by_itself():
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the outage drill needs PostgreSQL")
    relay = Relay((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    relay.up()
    port = free_port()
    user = settings_dict["USER"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"postgres://{user}@127.0.0.1:{relay.port}/{settings_dict['NAME']}",
        "CONN_MAX_AGE": "60",
        # The public pages would otherwise be answered from the page cache while the database is
        # down (which is fine for visitors, but this drill is about the database).
        "PAGE_CACHE_SECONDS": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _body, _headers = fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert fetch(base + "/")[0] == 200

        relay.down()
        status, body, headers = fetch(base + "/")
        assert status == 503
        assert "Dịch vụ tạm thời gián đoạn" in body
        assert "Traceback" not in body
        assert headers["Retry-After"] == "30"
        assert fetch(base + "/healthz")[0] == 503
        assert fetch(base + "/tin-tuc/")[0] == 503

        relay.up()
        # The same worker, never restarted, serves again once the database answers.
        assert fetch(base + "/healthz")[0] == 200
        status, body, _headers = fetch(base + "/")
        assert status == 200
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
        relay.down()
