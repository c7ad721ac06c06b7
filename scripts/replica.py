#!/usr/bin/env python
"""Proof that the portal reads public pages from a PostgreSQL streaming replica (issue #10).

    python scripts/replica.py [--pg-bin DIR] [--pg-ports P,R] [--port N] [--redis-url URL]

What it does, on loopback only, with its own throwaway clusters:

1. creates a primary PostgreSQL cluster (``initdb``, ``wal_level=replica``, a replication entry
   for 127.0.0.1 in ``pg_hba.conf``, ``pg_stat_statements`` to count statements) and a streaming
   replica of it (``pg_basebackup -R``, hot standby), each on its own port, and waits until the
   replica streams; the server binaries run as the ``postgres`` user when the script runs as root;
2. creates the portal database on the primary, migrates it, loads the demo data with a random
   password and waits until the replica has replayed it all;
3. starts the portal the production way (gunicorn, ``DEBUG=0``, collected static files) with
   ``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URL`` on the replica, sharing Redis
   (``--redis-url``, a database other than 0) when it answers, else one worker with local memory;
4. proves with plain HTTP, counting the statements each server ran on the portal database
   (``pg_stat_statements``):
   (a) anonymous public pages (home, news list, a post, search, RSS, sitemap, campaigns) are read
       from the replica, none from the primary;
   (b) signing in (a POST) and a signed-in member's pages are read from the primary only;
   (c) a post the chief editor publishes through the admin is on the public list at once, read
       from the primary during the lag window (``DATABASE_REPLICA_MAX_LAG_SECONDS``, 3 s here),
       and its page is read from the replica once the window has passed;
   (d) with the replica stopped, public pages fall back to the primary (no 503) and ``/healthz``
       answers 200;
5. prints PASS or FAIL per step, then stops the portal and both clusters and deletes their folders
   and Redis keys, also on failure or SIGTERM/SIGINT. The exit status is 0 only when every step
   passed.

As in ``scripts/two_instances.py``, two-step sign-in and the https-only settings are off for the
script, which speaks plain HTTP on loopback.
"""

import argparse
import contextlib
import html
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from two_instances import (
    CHIEF_EDITOR,
    MEMBER,
    PYTHON,
    Instance,
    Person,
    Report,
    StepFailed,
    check,
    free_port,
    production_env,
    publish_through_admin,
    recreate_database,
    run,
)

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
DATABASE = "portal_replica"
LAG_SECONDS = 3
PUBLIC_PAGES = [
    "/",
    "/tin-tuc/",
    "/tim-kiem/?q=cong+doan",
    "/tin-tuc/rss/",
    "/sitemap.xml",
    "/quyen-gop/",
]
STATEMENTS_SQL = (
    "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s "
    "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s"
)


class Cluster:
    """One PostgreSQL server in a folder of its own, run as the ``postgres`` user under root."""

    def __init__(self, name, pg_bin, folder, port, log_dir):
        self.name = name
        self.pg_bin = Path(pg_bin)
        self.data = Path(folder) / name
        self.socket_dir = Path(folder)
        self.port = port
        self.log = Path(log_dir) / f"postgres-{name}.log"
        self.started = False

    @property
    def server_url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def command(self, program, *args):
        command = [str(self.pg_bin / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603
        if result.returncode != 0:
            raise StepFailed(
                f"{program} ({self.name}) exited with {result.returncode}: "
                f"{(result.stdout + result.stderr).strip()[-800:]}"
            )
        return result.stdout

    def configure(self, **settings):
        with (self.data / "postgresql.conf").open("a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = {value}\n")

    def start(self):
        self.started = True  # stopped at the end even when the start is reported as failed
        self.command("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-s", "start")

    def stop(self, mode="fast"):
        if self.started:
            self.command("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "-s", "stop")
            self.started = False

    def query(self, sql, params=(), database="postgres"):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def statements(self):
        """Statements the portal ran on this server's portal database so far."""
        return int(self.query(STATEMENTS_SQL, [DATABASE])[0][0])

    def tail(self):
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-1500:]
        return ""


class Counter:
    """Statements run on the primary and on the replica during a block."""

    def __init__(self, primary, replica):
        self.servers = {"primary": primary, "replica": replica}
        self.delta = {}

    @contextlib.contextmanager
    def measure(self):
        before = {name: server.statements() for name, server in self.servers.items()}
        yield self
        # pg_stat_statements counts a statement when it ends; the responses are all in.
        self.delta = {
            name: server.statements() - before[name] for name, server in self.servers.items()
        }

    def __str__(self):
        return f"primary {self.delta['primary']}, replica {self.delta['replica']} statements"


def wait_until(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        time.sleep(0.1)
    raise StepFailed(message)


def replayed(primary, replica):
    """Whether the replica has replayed everything the primary has written so far."""
    lsn = primary.query("SELECT pg_current_wal_lsn()::text")[0][0]
    return replica.query(
        "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [lsn]
    )[0][0]


def rss_link(base, visitor, title):
    status, body, _headers = visitor.get(base, "/tin-tuc/rss/")
    check(status == 200, f"/tin-tuc/rss/ answered {status}")
    match = re.search(rf"<title>{re.escape(title)}</title>\s*<link>([^<]+)</link>", body)
    check(match is not None, "the new post is not in the RSS feed")
    return urlsplit(match.group(1)).path


def set_up_clusters(primary, replica, work):
    primary.command(
        "initdb", "-D", primary.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
        "--no-sync",
    )  # fmt: skip
    common = {
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{work}'",
        "fsync": "off",
        "shared_preload_libraries": "'pg_stat_statements'",
        "max_connections": 40,
    }
    primary.configure(
        port=primary.port, wal_level="replica", max_wal_senders=4, hot_standby="on", **common
    )
    with (primary.data / "pg_hba.conf").open("a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    primary.start()
    primary.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    primary.command(
        "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
        "-D", replica.data, "-R", "-X", "stream", "-c", "fast", "--no-sync",
    )  # fmt: skip
    replica.configure(port=replica.port)  # the last value in the file wins
    replica.start()
    wait_until(
        lambda: primary.query("SELECT state FROM pg_stat_replication")[0][0] == "streaming",
        20,
        "the replica does not stream",
    )
    check(replica.query("SELECT pg_is_in_recovery()")[0][0], "the replica is not in recovery")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-bin", default=os.environ.get("PG_BIN", DEFAULT_PG_BIN))
    parser.add_argument("--pg-ports", help="two loopback ports, primary,replica (default: free)")
    parser.add_argument("--port", type=int, help="the portal's loopback port (default: free)")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REPLICA_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="Redis for the portal's cache (not database 0); local memory when it does not answer",
    )
    args = parser.parse_args(argv)
    if not (Path(args.pg_bin) / "initdb").exists():
        parser.error(f"no PostgreSQL server binaries in {args.pg_bin} (see --pg-bin)")
    if urlsplit(args.redis_url).path.strip("/") in {"", "0"}:
        parser.error("--redis-url must name a Redis database other than 0")
    pg_ports = [int(p) for p in args.pg_ports.split(",")] if args.pg_ports else None
    pg_ports = pg_ports or [free_port(), free_port()]
    if len(pg_ports) != 2 or pg_ports[0] == pg_ports[1]:
        parser.error("--pg-ports needs two different ports")

    # SIGTERM (a CI timeout, systemd) tears down as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    work.chmod(0o755)
    pg_dir = work / "pg"
    pg_dir.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(pg_dir, "postgres", "postgres")
    primary = Cluster("primary", args.pg_bin, pg_dir, pg_ports[0], work)
    replica = Cluster("replica", args.pg_bin, pg_dir, pg_ports[1], work)
    for cluster in (primary, replica):
        cluster.log.touch()
        if os.geteuid() == 0:
            shutil.chown(cluster.log, "postgres", "postgres")

    redis_client = redis_answering(args.redis_url)
    prefix = f"replica-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    env = production_env(
        work,
        DATABASE_URL=f"{primary.server_url}/{DATABASE}",
        DATABASE_REPLICA_URL=f"{replica.server_url}/{DATABASE}",
        DATABASE_REPLICA_MAX_LAG_SECONDS=str(LAG_SECONDS),
        GUNICORN_WORKERS="2" if redis_client else "1",
    )
    env.pop("CONN_MAX_AGE", None)
    if redis_client:
        env.update({"REDIS_URL": args.redis_url, "CACHE_KEY_PREFIX": prefix})
    portal = Instance("portal", args.port or free_port(), env, work)
    report = Report()
    print(
        f"Read replica: primary 127.0.0.1:{primary.port}, replica 127.0.0.1:{replica.port}, "
        f"portal {portal.base}; cache "
        + (f"Redis {args.redis_url} (prefix {prefix})" if redis_client else "local memory"),
        flush=True,
    )
    started = time.monotonic()
    try:
        ready = False
        with report.step("setup: primary and streaming replica on loopback"):
            set_up_clusters(primary, replica, pg_dir)
            ready = True
        if ready:
            ready = False
            with report.step("setup: portal database, migrations, demo data, replica caught up"):
                recreate_database(primary.server_url, DATABASE)
                run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
                run([PYTHON, "manage.py", "load_demo", "--password", password], env)
                run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
                wait_until(lambda: replayed(primary, replica), 20, "the replica lags behind")
                ready = True
        if ready:
            ready = False
            with report.step("the portal answers /healthz (gunicorn, DEBUG=0, replica router)"):
                portal.start()
                portal.wait_ready()
                ready = True
        if ready:
            prove(report, portal, primary, replica, password)
    except (KeyboardInterrupt, SystemExit):
        report.failures += 1
        print("FAIL interrupted", flush=True)
    finally:
        portal.stop()
        if report.failures:
            print(f"--- last lines of gunicorn ---\n{portal.tail()}")
            for cluster in (primary, replica):
                print(f"--- last lines of the {cluster.name} log ---\n{cluster.tail()}")
        for cluster in (replica, primary):
            with contextlib.suppress(Exception):
                cluster.stop(mode="immediate")
        keys = list(redis_client.scan_iter(match=f"{prefix}:*")) if redis_client else []
        if keys:
            redis_client.delete(*keys)
        shutil.rmtree(work, ignore_errors=True)
        print(
            f"cleaned up: portal and both clusters stopped, {work} deleted, "
            f"{len(keys)} Redis keys deleted ({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    return _finish(report)


def prove(report, portal, primary, replica, password):
    """Steps (a) to (d) of the module's docstring."""
    counter = Counter(primary, replica)
    # The demo data moved the news on just now: let the lag window pass first.
    time.sleep(LAG_SECONDS)
    visitor, member, chief = Person("visitor"), Person("member"), Person("chief")

    with report.step("(a) anonymous public pages are read from the replica"):
        status, page, _ = visitor.get(portal.base, "/tin-tuc/")
        check(status == 200, f"/tin-tuc/ answered {status}")
        post = re.search(r'href="(/tin-tuc/(?!chuyen-muc/|rss/)[\w-]+/)"', page)
        check(post is not None, "no post on /tin-tuc/")
        visitor = Person("visitor")
        with counter.measure():
            for path in [*PUBLIC_PAGES, post.group(1)]:
                status, _page, _ = visitor.get(portal.base, path)
                check(status == 200, f"{path} answered {status}")
        print(f"     {len(PUBLIC_PAGES) + 1} public pages: {counter}", flush=True)
        check(counter.delta["replica"] > 0, "the replica ran no statement")
        check(counter.delta["primary"] == 0, "the primary ran statements for anonymous pages")

    with report.step("(b) signing in (POST) and a member's pages are read from the primary"):
        with counter.measure():
            member.sign_in(portal.base, MEMBER, password)
        print(f"     sign-in: {counter}", flush=True)
        check(counter.delta["primary"] > 0, "the sign-in ran nothing on the primary")
        check(counter.delta["replica"] == 0, "the sign-in read the replica")
        with counter.measure():
            for path in ("/doan-vien/", "/tin-tuc/", "/doan-vien/de-nghi-ho-tro/"):
                status, page, _ = member.get(portal.base, path)
                check(status == 200, f"the member's {path} answered {status}")
        print(f"     member's pages: {counter}", flush=True)
        check("Đỗ Hoài Nam" in html.unescape(page), "the member's name is not on the page")
        check(counter.delta["primary"] > 0, "the member's pages ran nothing on the primary")
        check(counter.delta["replica"] == 0, "the member's pages read the replica")

    title = f"Tin thử bản sao đọc {secrets.token_hex(3)}"
    with report.step("(c) a post published through the admin is on the public list at once"):
        visitor.get(portal.base, "/tin-tuc/")
        status, page, headers = visitor.get(portal.base, "/tin-tuc/")
        check(status == 200 and title not in page, "the list is wrong before the post")
        cached_before = headers.get("X-Page-Cache", "(no header)")
        chief.sign_in(portal.base, CHIEF_EDITOR, password)
        publish_through_admin(
            chief,
            portal.base,
            title,
            lead="Bài viết đăng trên máy chủ chính, đọc từ bản sao.",
            body="<p>Bản sao chỉ đọc nhận dữ liệu qua sao chép luồng.</p>",
        )
        with counter.measure():
            status, page, headers = visitor.get(portal.base, "/tin-tuc/")
        check(status == 200, f"/tin-tuc/ answered {status}")
        check(title in html.unescape(page), "the public list does not show the new post")
        print(
            f"     /tin-tuc/ right after (cache before: {cached_before}, now: "
            f"{headers.get('X-Page-Cache', '(no header)')}): {counter}",
            flush=True,
        )
        check(counter.delta["replica"] == 0, "read the replica inside the lag window")
        wait_until(lambda: replayed(primary, replica), 10, "the replica lags behind")
        time.sleep(LAG_SECONDS)
        path = rss_link(portal.base, Person("reader"), title)
        with counter.measure():
            status, page, _ = visitor.get(portal.base, path)
        print(f"     {path} after the window: {counter}", flush=True)
        check(status == 200 and title in html.unescape(page), f"{path} answered {status}")
        check(counter.delta["replica"] > 0, "the replica did not serve after the window")
        check(counter.delta["primary"] == 0, "the primary served after the window")

    with report.step("(d) replica stopped: public pages fall back to the primary, no 503"):
        replica.stop()
        primary_before = primary.statements()
        for path in ("/tim-kiem/?q=ban+sao", "/tim-kiem/?q=doan+vien", "/quyen-gop/"):
            status, page, _ = Person("visitor").get(portal.base, path)
            check(status == 200, f"{path} answered {status} with the replica down")
        status, _page, _ = Person("probe").get(portal.base, "/healthz")
        check(status == 200, f"/healthz answered {status} with the replica down")
        served = primary.statements() - primary_before
        print(f"     with the replica down: primary {served} statements", flush=True)
        check(served > 0, "the primary ran nothing")


def redis_answering(url):
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except Exception:  # no Redis here: the portal keeps its cache in local memory
        return None
    return client


def _finish(report):
    print("ALL PASSED" if not report.failures else f"{report.failures} STEP(S) FAILED", flush=True)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
