"""``make bench``: the portal at scale, served the production way, loaded with wrk.

1. Its own PostgreSQL database (``BENCH_DATABASE_URL``, default ``portal_bench`` on the local
   server), migrated; the data set of ``benchmarks.datagen`` built once and kept: it is built
   again only when it is missing, was built with other sizes, seed or generator version, when a
   migration arrived since, or with ``--force``.
2. ``collectstatic`` into the work folder (``BENCH_WORKDIR``, default ``/tmp/portal-bench``), then
   for each cache mode ("on": the production default, the anonymous page cache over the local
   memory cache; "off": the page cache off, ``PAGE_CACHE_SECONDS=0``, everything else as in
   production):
   the queries of each address counted through Django's test client, gunicorn started with
   ``gunicorn.conf.py`` (2 sync workers, ``DEBUG`` off, persistent connections, WhiteNoise), each
   address checked to answer 200, warmed up with wrk and then measured with wrk, the workers'
   memory read, gunicorn stopped.
3. ``welfare.reports.review`` of the whole tree for the review year timed in-process; the targets
   of issue #8 checked; the addresses that miss one profiled with pyinstrument.
4. ``docs/benchmarks.md`` and ``docs/benchmarks.json`` written. The issue asks for two runs on a
   noisy machine: the previous result in ``docs/benchmarks.json`` (same data sizes) is kept as
   the earlier run, so two ``make bench`` in a row leave both in the write-up, and a target is
   met only when both runs meet it.

Run ``python -m benchmarks.run --help`` for the options; ``make bench BENCH_ARGS="--force"``.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from benchmarks import load
from benchmarks.sizes import FULL, SEED, VERSION
from benchmarks.targets import evaluate
from benchmarks.writeup import write_markdown

ROOT = load.ROOT
# Only for this local benchmark server, never for a real deployment.
SECRET_KEY = "benchmark-only-secret-key-" + "bench" * 10
MODES = {
    # mode: (label, environment); "on"'s CACHE_URL may be replaced with BENCH_CACHE_URL (a Redis)
    "on": ("caching on (production default)", {"CACHE_URL": "locmemcache://"}),
    "off": (
        "caching off (no page cache)",
        {"CACHE_URL": "locmemcache://", "PAGE_CACHE_SECONDS": "0"},
    ),
}
PROBE_PREFIX = "PROBE_JSON "


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def options(argv=None):
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"),
    )
    parser.add_argument("--force", action="store_true", help="build the data again")
    parser.add_argument(
        "--scale", type=float, default=float(env("BENCH_SCALE", "1")), help="sizes × this"
    )
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", "8200")))
    parser.add_argument("--workdir", default=env("BENCH_WORKDIR", "/tmp/portal-bench"))  # noqa: S108
    parser.add_argument("--output", default=env("BENCH_OUTPUT", str(ROOT / "docs")))
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", "5")))
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", "15")))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "8")))
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", "2")))
    parser.add_argument("--modes", default=env("BENCH_MODES", "on,off"))
    parser.add_argument(
        "--repeat", type=int, default=int(env("BENCH_REPEAT", "1")), help="runs of each mode"
    )
    parser.add_argument("--review-runs", type=int, default=5)
    parser.add_argument("--no-profile", action="store_true", help="skip the profiles of misses")
    parser.add_argument("--only", default="", help="comma-separated address names (debugging)")
    return parser.parse_args(argv)


# --- the database -------------------------------------------------------------------------------


def _server_url(url):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _admin(url, *statements):
    server, _name = _server_url(url)
    link = psycopg2.connect(server)
    link.autocommit = True
    try:
        with link.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description:
                    return cursor.fetchall()
    finally:
        link.close()
    return None


def database_exists(url):
    _server, name = _server_url(url)
    return bool(_admin(url, ("SELECT 1 FROM pg_database WHERE datname = %s", [name])))


def recreate_database(url):
    _server, name = _server_url(url)
    quoted = '"' + name.replace('"', '""') + '"'
    _admin(
        url,
        (f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", None),
        (f"CREATE DATABASE {quoted}", None),
    )


def _fetch_one(url, table, sql):
    """The first row of ``sql`` on the bench database, or None when ``table`` does not exist."""
    with contextlib.closing(psycopg2.connect(url)) as link, link.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(sql)
        return cursor.fetchone()


def read_marker(url):
    row = _fetch_one(url, "bench_dataset", "SELECT value FROM bench_dataset WHERE key = 'dataset'")
    return row[0] if row else None


def migration_count(url):
    row = _fetch_one(url, "django_migrations", "SELECT count(*) FROM django_migrations")
    return row[0] if row else 0


def database_size(url):
    return _fetch_one(
        url,
        "pg_class",
        "SELECT pg_size_pretty(pg_database_size(current_database())), version()",
    )


# --- Django subprocesses ------------------------------------------------------------------------


def portal_env(args, mode="on"):
    """The environment of the production portal on the bench database, in one cache mode."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GUNICORN_")
        and key not in {"REDIS_URL", "CACHE_URL", "DEBUG", "PAGE_CACHE_SECONDS"}
    }
    workdir = Path(args.workdir)
    mode_env = dict(MODES[mode][1])
    if os.environ.get("BENCH_CACHE_URL"):
        mode_env["CACHE_URL"] = os.environ["BENCH_CACHE_URL"]
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CONN_MAX_AGE="60",
        **mode_env,
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private_media"),
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_THREADS="1",
        # No recycling mid-run: a restarted worker would hide its memory and cost a start-up.
        GUNICORN_MAX_REQUESTS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *arguments):
    subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True
    )


def probe(env, command, *arguments, data=None):
    done = subprocess.run(  # noqa: S603 - our interpreter and module
        [sys.executable, "-m", "benchmarks.probe", command, *map(str, arguments)],
        cwd=ROOT,
        env=env,
        input=json.dumps(data) if data is not None else "",
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(PROBE_PREFIX)]
    if done.returncode != 0 or not lines:
        raise load.BenchError(f"benchmarks.probe {command} failed (exit {done.returncode})")
    return json.loads(lines[-1].removeprefix(PROBE_PREFIX))


# --- the steps ----------------------------------------------------------------------------------


def prepare_data(args):
    """Create, migrate and fill the bench database unless it already holds the same data."""
    url = args.database_url
    env = portal_env(args)
    wanted = {"version": VERSION, "seed": SEED, "sizes": FULL.scaled(args.scale).as_dict()}
    if not database_exists(url):
        log(f"creating the database {urlsplit(url).path.lstrip('/')}")
        recreate_database(url)
    marker = read_marker(url)
    same = marker is not None and all(marker.get(key) == value for key, value in wanted.items())
    if args.force or not same:
        if marker is not None:
            log("the data differs from what is asked (or --force): building it again")
        recreate_database(url)
        marker = None
    log("migrate")
    manage(env, "migrate", "--no-input", "-v0")
    if marker is not None and marker.get("migrations") != migration_count(url):
        log("migrations arrived since the data was built: building it again")
        recreate_database(url)
        manage(env, "migrate", "--no-input", "-v0")
        marker = None
    if marker is None:
        log(f"building the data (scale {args.scale:g}); this takes a few minutes at full size")
        marker = probe(env, "build", args.scale, 2)
        marker["reused"] = False
        log(f"data built in {marker['seconds']:.0f} s ({marker['steps']})")
    else:
        marker["reused"] = True
        log(f"data already there (built {marker['built_at']} in {marker['seconds']:.0f} s)")
    size, version = database_size(url)
    marker["database_size"] = size
    marker["postgres"] = version.split(" on ")[0]
    return marker


def load_address(args, server, address, headers):
    path = address["path"]
    before = load.fetch(server.port, path, headers)[0]
    if before != 200:
        raise load.BenchError(f"{path} answers {before} before the load, not 200")
    if args.warmup > 0:
        load.run_wrk(
            server.port, path, duration=args.warmup, connections=args.connections, headers=headers
        )
        # Wait for the requests the warm-up left running: this request queues behind them.
        load.fetch(server.port, path, headers)
    figures = load.run_wrk(
        server.port, path, duration=args.duration, connections=args.connections, headers=headers
    )
    after = load.fetch(server.port, path, headers)[0]
    if after != 200:
        figures["errors"] += 1
        figures["error_kinds"]["status_after"] = after
    return figures


def _ms(value):
    return "   none" if value is None else f"{value:>7.1f} ms"


def run_mode(args, mode, label, spec, cookie_header):
    env = portal_env(args, mode)
    log(f"{label}: counting queries per request")
    counted = probe(env, "queries", data=spec)
    for name, figures in counted.items():
        if figures["status"][-1] != 200:
            raise load.BenchError(f"{name} answers {figures['status'][-1]} in-process, not 200")
    Path(env["STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    addresses = []
    log_path = Path(args.workdir) / f"gunicorn-{mode}.log"
    with load.Server(env, args.port, log_path) as server:
        for address in spec["addresses"]:
            headers = [cookie_header] if address["officer"] else []
            figures = load_address(args, server, address, headers)
            queries = counted[address["name"]]
            addresses.append(
                {
                    **address,
                    **figures,
                    "queries": queries["queries"],
                    "db_ms": queries["db_ms"],
                    "in_process_ms": queries["ms"],
                    "slowest_query": queries["slowest"],
                    "post_counts": queries["post_counts"],
                    "counts_all_posts": any(
                        "category_id" not in sql and "search_vector" not in sql
                        for sql in queries["post_counts"]
                    ),
                }
            )
            latency = figures["latency_ms"]
            log(
                f"  {address['name']:<12} {figures['requests_per_second']:>8.1f} req/s  "
                f"p50 {_ms(latency['p50'])}  p95 {_ms(latency['p95'])}  "
                f"errors {figures['errors']}  queries {queries['queries']}  "
                f"in-process {queries['ms']:.0f} ms"
            )
        workers = server.memory()
    baseline = next(a for a in addresses if a["name"] == "baseline")["requests_per_second"]
    for address in addresses:
        address["ratio"] = round(address["requests_per_second"] / baseline, 4) if baseline else 0.0
    memory = ", ".join(f"{w['rss_mb']:.0f} MB" for w in workers)
    log(f"  workers: {memory}")
    return {
        "mode": mode,
        "label": label,
        "cache_url": env["CACHE_URL"],
        "page_cache_seconds": int(env.get("PAGE_CACHE_SECONDS", "60")),
        "addresses": addresses,
        "workers": workers,
    }


def profile_misses(args, result, spec):
    """pyinstrument over the addresses behind each missed target, in the mode it was missed."""
    wanted, seen = {}, set()
    for row in result["targets"]:
        name = row["address"] or ("review" if row["key"] == "review" else None)
        if row["met"] or name is None or name in seen:
            continue
        seen.add(name)
        wanted.setdefault(row["mode"] or "off", set()).add(name)
    profiles = {}
    for mode, names in wanted.items():
        chosen = [a for a in spec["addresses"] if a["name"] in names]
        log(f"profiling {', '.join(sorted(names))} ({MODES[mode][0]})")
        found = probe(portal_env(args, mode), "profile", data={**spec, "addresses": chosen})
        for name, data in found.items():
            profiles[f"{name} ({mode})"] = data
    return profiles


def previous_result(output, result):
    """The last ``make bench`` result, if it measured the same data and settings (else None).

    Only one earlier run is kept (without its own earlier run), so the file does not grow."""
    try:
        earlier = json.loads((output / "benchmarks.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = (
        earlier.get("data", {}).get("sizes") == result["data"]["sizes"]
        and earlier.get("settings") == result["settings"]
        and {r["mode"] for r in earlier.get("runs", [])} == {r["mode"] for r in result["runs"]}
        and all("page_cache_seconds" in r for r in earlier.get("runs", []))
    )
    if not same:
        return None
    earlier.pop("previous", None)
    earlier.pop("profiles", None)
    return earlier


def versions():
    import django
    import gunicorn

    wrk = subprocess.run(  # noqa: S603
        [load.ensure_wrk(), "--version"], capture_output=True, text=True, check=False
    )
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk.stdout or wrk.stderr).split("[")[0].strip(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv=None):
    args = options(argv)
    started = time.monotonic()
    load.ensure_wrk()
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    machine = versions()
    data = prepare_data(args)
    env = portal_env(args)
    log("collectstatic")
    manage(env, "collectstatic", "--no-input", "-v0")
    spec = probe(env, "addresses")
    if args.only:
        keep = {"baseline", *args.only.split(",")}
        spec["addresses"] = [a for a in spec["addresses"] if a["name"] in keep]
    cookie_header = f"Cookie: {spec['cookie_name']}={spec['cookie']}"
    runs = []
    for repeat in range(args.repeat):
        for mode in args.modes.split(","):
            label = MODES[mode][0] + (f", run {repeat + 1}" if args.repeat > 1 else "")
            runs.append(run_mode(args, mode, label, spec, cookie_header))
    log("timing the review")
    review = probe(env, "review", args.review_runs)
    log(f"  review: median {review['median_seconds']:.2f} s ({review['seconds']})")
    result = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": {
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
            "connections": args.connections,
            "warmup_seconds": args.warmup,
            "duration_seconds": args.duration,
            "conn_max_age": 60,
            "max_requests": 0,
            "debug": False,
            "scale": args.scale,
        },
        "data": data,
        "posts": spec["posts"],
        "runs": runs,
        "review": review,
    }
    result["previous"] = previous_result(Path(args.output), result)
    result["targets"] = evaluate(result)
    result["profiles"] = {} if args.no_profile else profile_misses(args, result, spec)
    result["total_seconds"] = round(time.monotonic() - started)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "benchmarks.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (output / "benchmarks.md").write_text(write_markdown(result), encoding="utf-8")
    met = sum(row["met"] for row in result["targets"])
    log(
        f"done in {result['total_seconds']} s: {met} of {len(result['targets'])} targets met; "
        f"see {output / 'benchmarks.md'}"
    )
    return result


if __name__ == "__main__":
    try:
        main()
    except load.BenchError as error:
        sys.exit(f"make bench: {error}")
