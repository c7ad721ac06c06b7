"""The benchmark's load step on a tiny data set, so ``make bench`` cannot rot unnoticed: the
probe finds the addresses and signs an officer in, gunicorn serves the test database the
production way, wrk loads a few addresses for a second each, and the write-up is made."""

import json
import shutil
from urllib.parse import quote

import pytest
from django.db import connection

from benchmarks import load, run
from benchmarks.datagen import TINY, generate
from benchmarks.targets import evaluate
from benchmarks.writeup import write_markdown

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt: wrk)"),
]


def _database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_load_step_runs_on_a_tiny_portal(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL")
    generate(TINY)  # committed: gunicorn and the probe are other processes
    monkeypatch.setenv("BENCHMARK_STATIC", "plain")  # no collectstatic in a test
    args = run.options(
        [
            "--database-url", _database_url(), "--port", str(load.free_port()),
            "--warmup", "0", "--duration", "1", "--connections", "1", "--workers", "1",
            "--workdir", str(tmp_path), "--output", str(tmp_path),
        ]
    )  # fmt: skip
    # What `make bench` reads to decide whether to build the data again.
    assert run.migration_count(args.database_url) > 40
    assert run.read_marker(args.database_url) is None  # generated here, not by `probe build`
    size, version = run.database_size(args.database_url)
    assert size.endswith(("kB", "MB", "GB")) and version.startswith("PostgreSQL")
    env = run.portal_env(args)
    spec = run.probe(env, "addresses")
    names = {a["name"] for a in spec["addresses"]}
    assert {"baseline", "post", "search", "members", "aid_records", "review"} <= names
    spec["addresses"] = [
        a for a in spec["addresses"] if a["name"] in {"baseline", "news", "members"}
    ]
    cookie = f"Cookie: {spec['cookie_name']}={spec['cookie']}"

    measured = run.run_mode(args, "on", "smoke", spec, cookie)

    by_name = {a["name"]: a for a in measured["addresses"]}
    for address in by_name.values():
        assert address["requests"] > 0 and address["errors"] == 0, address
        assert address["latency_ms"]["p95"] >= address["latency_ms"]["p50"] > 0
    assert by_name["baseline"]["queries"] == 0 and by_name["baseline"]["ratio"] == 1
    assert by_name["members"]["queries"] > 0  # the officer's page, signed in
    # The list's count is kept in the cache (news/views.py PostPaginator): no COUNT(*) of all
    # posts on every request.
    assert by_name["news"]["post_counts"] == []
    assert measured["workers"] and measured["workers"][0]["rss_mb"] > 10

    result = {
        "generated_at": "now",
        "total_seconds": 1,
        "machine": run.versions(),
        "settings": {"gunicorn_workers": 1, "connections": 1, "warmup_seconds": 0,
                     "duration_seconds": 1},
        "data": {"sizes": TINY.as_dict(), "built_at": "now", "seconds": 1, "steps": {},
                 "database_size": "1 MB", "postgres": "PostgreSQL"},
        "runs": [measured],
        "review": {"branch": "CDBNV", "period": ["2025-01-01", "2025-12-31"], "seconds": [0.1],
                   "median_seconds": 0.1, "queries": 20, "aid_records_counted": 1},
    }  # fmt: skip
    result["targets"] = evaluate(result)
    page = write_markdown(result)
    assert "## Smoke" in page and "/can-bo/doan-vien/" in page
    assert "| 0 errors | 0 ✓ | **met** |" in page

    # A second `make bench` keeps the first as the earlier run: both are in the write-up, and a
    # target counts as met only when both runs meet it.
    (tmp_path / "benchmarks.json").write_text(json.dumps(result), encoding="utf-8")
    second = {**result, "generated_at": "later", "runs": [json.loads(json.dumps(measured))]}
    second["runs"][0]["addresses"][0]["errors"] = 3
    second["previous"] = run.previous_result(tmp_path, second)
    assert second["previous"]["generated_at"] == "now"
    second["targets"] = evaluate(second)
    page = write_markdown(second)
    assert "## 1st run, smoke" in page and "## 2nd run, smoke" in page
    assert "| 0 errors | 0 ✓ | 3 ✗ | **missed** |" in page
    # Different data: the earlier result is not comparable and is not kept.
    other = {**second, "data": {**second["data"], "sizes": {"posts": 1}}}
    assert run.previous_result(tmp_path, other) is None
