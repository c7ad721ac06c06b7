"""The Django side of ``make bench``: ``python -m benchmarks.probe COMMAND`` with the server's
environment (``DJANGO_SETTINGS_MODULE=benchmarks.settings``, the bench database), printing one
line ``PROBE_JSON {...}`` for ``benchmarks.run`` to read.

Commands:

- ``build SCALE WORKERS``: generate the data set (``benchmarks.datagen``), ``VACUUM ANALYZE``, and
  record what was built in the table ``bench_dataset``;
- ``marker``: what ``build`` recorded (or null);
- ``addresses``: the addresses to load, chosen in the data (a busy category, a post, the largest
  programme of the review year...), and a signed-in officer's session cookie;
- ``queries`` (addresses as JSON on stdin): each address requested through Django's test client,
  the queries of the second request captured (the first may fill caches);
- ``review RUNS``: ``welfare.reports.review`` of the whole tree for the review year, timed;
- ``profile`` (addresses on stdin): pyinstrument over a few requests of each, with the slowest
  query and its plan.
"""

import datetime
import json
import os
import statistics
import sys
import time

PREFIX = "PROBE_JSON "
MARKER_TABLE = "bench_dataset"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def _client(cookie=None):
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


# --- build and marker ---------------------------------------------------------------------------


def read_marker():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'")  # noqa: S608
        row = cursor.fetchone()
    if not row:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def build(scale, workers):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from benchmarks import datagen

    sizes = datagen.FULL.scaled(scale) if scale != 1 else datagen.FULL
    started = time.monotonic()
    result = datagen.generate(
        sizes,
        post_workers=workers,
        progress=lambda message: print(f"  data: {message}", file=sys.stderr, flush=True),
    )
    generated = time.monotonic() - started
    print("  data: VACUUM ANALYZE", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    marker = {
        "version": datagen.VERSION,
        "seed": result.seed,
        "sizes": sizes.as_dict(),
        "generate_seconds": round(generated, 1),
        "seconds": round(time.monotonic() - started, 1),
        "steps": result.steps,
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "migrations": MigrationRecorder(connection).migration_qs.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('dataset', %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(marker)],
        )
    return marker


# --- addresses ----------------------------------------------------------------------------------


def addresses():
    """What ``make bench`` loads, found in the data, and an officer's session cookie."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from benchmarks import datagen
    from news.models import Category, Post
    from news.views import PAGE_SIZE
    from unions.models import Branch
    from welfare.models import AidProgram

    published = Post.objects.published()
    total = published.count()
    last_page = max(1, -(-total // PAGE_SIZE))
    category = (
        Category.objects.annotate(n=Count("posts", filter=Q(posts__in=published)))
        .order_by("-n", "order")
        .first()
    )
    post = published.order_by("id")[total // 2] if total else None
    root = Branch.objects.get(parent__isnull=True)
    program = (
        AidProgram.objects.filter(starts_on__year=datagen.REVIEW_YEAR)
        .annotate(n=Count("records"))
        .order_by("-n", "code")
        .first()
    )
    officer = get_user_model().objects.get(username=datagen.OFFICER_USERNAME)
    cookie = officer_session(officer)
    deep = min(2000, last_page)
    year = datagen.REVIEW_YEAR
    from django.conf import settings

    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie": cookie,
        "posts": total,
        "addresses": [
            {"name": "baseline", "path": "/bench/baseline/", "officer": False},
            {"name": "home", "path": "/", "officer": False},
            {"name": "news", "path": "/tin-tuc/", "officer": False},
            {"name": "news_deep", "path": f"/tin-tuc/?page={deep}", "officer": False},
            {"name": "category", "path": category.get_absolute_url(), "officer": False},
            {"name": "post", "path": post.get_absolute_url(), "officer": False},
            {"name": "search", "path": "/tim-kiem/?q=cong+doan", "officer": False},
            {"name": "rss", "path": "/tin-tuc/rss/", "officer": False},
            {"name": "members", "path": "/can-bo/doan-vien/", "officer": True},
            {"name": "aid_records", "path": f"/can-bo/ho-tro/{program.pk}/", "officer": True},
            {
                "name": "review",
                "path": f"/can-bo/bao-cao/?preset=year&year={year}&branch={root.pk}",
                "officer": True,
            },
        ],
    }


def officer_session(officer):
    """The session key of ``officer`` signed in as after a real sign-in: with the second step
    (the authenticator app's code) done, where the portal asks for one."""
    from django.conf import settings

    client = _client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # a portal without two-step sign-in
        pass
    else:
        device, _created = TOTPDevice.objects.get_or_create(
            user=officer, name="benchmark", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- queries per request ------------------------------------------------------------------------


def _summarise(captured):
    queries = [
        {"sql": q["sql"], "ms": round(float(q.get("time") or 0) * 1000, 2)} for q in captured
    ]
    slowest = max(queries, key=lambda q: q["ms"], default=None)
    counts_posts = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT COUNT(") and '"news_post"' in q["sql"]
    ]
    return {
        "queries": len(queries),
        "db_ms": round(sum(q["ms"] for q in queries), 1),
        "slowest": slowest,
        "post_counts": counts_posts,
        "sql": [q["sql"][:300] for q in queries],
    }


def queries(spec):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    warm = _client()
    for _ in range(3):  # the process's own first-request costs (URLconf, translations, a
        warm.get("/bench/baseline/")  # connection) are not any page's
    for address in spec["addresses"]:
        client = _client(spec["cookie"] if address["officer"] else None)
        first = client.get(address["path"])
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as context:
            second = client.get(address["path"])
        elapsed = time.perf_counter() - began
        results[address["name"]] = {
            "status": [first.status_code, second.status_code],
            "bytes": len(second.content),
            "ms": round(elapsed * 1000, 1),
            **_summarise(context.captured_queries),
        }
    return results


# --- the review ---------------------------------------------------------------------------------


def review_timing(runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks import datagen
    from unions.models import Branch
    from welfare.reports import review

    root = Branch.objects.get(parent__isnull=True)
    start = datetime.date(datagen.REVIEW_YEAR, 1, 1)
    end = datetime.date(datagen.REVIEW_YEAR, 12, 31)
    seconds = []
    for n in range(runs):
        began = time.perf_counter()
        if n == 0:
            with CaptureQueriesContext(connection) as context:
                figures = review(branch=root, start=start, end=end)
        else:
            figures = review(branch=root, start=start, end=end)
        seconds.append(round(time.perf_counter() - began, 3))
    return {
        "branch": root.code,
        "period": [start.isoformat(), end.isoformat()],
        "seconds": seconds,
        "median_seconds": statistics.median(seconds),
        "queries": len(context.captured_queries),
        "aid_records_counted": figures["aid"]["records"],
        "slowest": _summarise(context.captured_queries)["slowest"],
    }


# --- profiles -----------------------------------------------------------------------------------


def _explain(sql):
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def profile(spec, seconds_each=4.0, max_requests=30):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    results = {}
    for address in spec["addresses"]:
        client = _client(spec["cookie"] if address["officer"] else None)
        client.get(address["path"])  # warm
        with CaptureQueriesContext(connection) as context:
            client.get(address["path"])
        slowest = _summarise(context.captured_queries)["slowest"]
        profiler = Profiler(interval=0.0005)
        began, requests = time.perf_counter(), 0
        profiler.start()
        while requests < max_requests and time.perf_counter() - began < seconds_each:
            client.get(address["path"])
            requests += 1
        profiler.stop()
        elapsed = time.perf_counter() - began
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        flat = profiler.output_text(unicode=False, color=False, flat=True, time="percent_of_total")
        results[address["name"]] = {
            "requests": requests,
            "ms_per_request": round(elapsed * 1000 / max(requests, 1), 1),
            "profile": text,
            "flat": "\n".join(flat.splitlines()[:40]),
            "slowest": slowest,
            "explain": _explain(slowest["sql"]) if slowest else "",
        }
    return results


def main(argv):
    _setup()
    command = argv[0]
    if command == "build":
        output = build(float(argv[1]), int(argv[2]))
    elif command == "marker":
        output = read_marker()
    elif command == "addresses":
        output = addresses()
    elif command == "queries":
        output = queries(json.load(sys.stdin))
    elif command == "review":
        output = review_timing(int(argv[1]))
    elif command == "profile":
        output = profile(json.load(sys.stdin))
    else:
        raise SystemExit(f"unknown command {command!r}")
    sys.stdout.write(PREFIX + json.dumps(output, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
