"""``docs/benchmarks.md`` from one ``make bench`` result (the same data as ``benchmarks.json``).

``benchmarks/notes.md``, written by hand after reading the profiles, is copied in when present.
"""

from pathlib import Path

from benchmarks.targets import measurements

NOTES = Path(__file__).with_name("notes.md")
PROFILE_LINES = 70
NAMES = {
    "baseline": "baseline (constant view, no database)",
    "home": "home",
    "news": "news list",
    "news_deep": "news list, deep page",
    "category": "category",
    "post": "post",
    "search": "search",
    "rss": "RSS feed",
    "members": "member list (officer)",
    "aid_records": "aid record list (officer)",
    "review": "review of the whole tree, a year (officer)",
}


def _n(value):
    return f"{value:,.0f}"


def _latency(value):
    return "none finished" if value is None else f"{value:,.1f}"


def _table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _targets(result):
    runs = [prefix + run["label"] for prefix, measured in measurements(result)
            for run in measured["runs"]]  # fmt: skip
    rows = []
    for row in result["targets"]:
        values = {v["run"]: f"{v['value']} {'✓' if v['met'] else '✗'}" for v in row["values"]}
        rows.append(
            [row["target"], *[values.get(label, "–") for label in runs],
             "**met**" if row["met"] else "**missed**"]
        )  # fmt: skip
    return _table(["target", *runs, "result"], rows)


def _run(run):
    rows = []
    for a in run["addresses"]:
        latency = a["latency_ms"]
        rows.append(
            [
                NAMES.get(a["name"], a["name"]),
                f"`{a['path']}`",
                f"{a['requests_per_second']:,.1f}",
                f"{a['ratio']:.1%}",
                _latency(latency["p50"]),
                _latency(latency["p95"]),
                _latency(latency["p99"]),
                a["errors"],
                a["queries"],
                f"{a['db_ms']:,.0f}",
                f"{a.get('in_process_ms', 0):,.0f}",
                _n(a["requests"]),
            ]
        )
    table = _table(
        ["address", "path", "req/s", "of baseline", "p50 ms", "p95 ms", "p99 ms", "errors",
         "queries", "DB ms", "one request ms", "requests"],
        rows,
    )  # fmt: skip
    memory = ", ".join(
        f"{w['rss_mb']:.0f} MB (peak {w['peak_rss_mb']:.0f} MB)" for w in run["workers"]
    )
    return f"{table}\n\nWorker memory (RSS) after the run: {memory}."


def _data(result):
    data = result["data"]
    sizes = data["sizes"]
    rows = [
        ["published posts", _n(sizes["posts"]), f"{sizes['categories']} categories, ~3 KB bodies"],
        ["branches", _n(sizes["branches"]), "ministry root, grassroots unions, divisions, groups"],
        ["members", _n(sizes["members"]), "with ~0.7 children each"],
        ["aid records", _n(sizes["aid_records"]), "2023–2025, every aid kind"],
        ["support requests", _n(sizes["support_requests"]), "every status"],
        ["campaigns", _n(sizes["campaigns"]), f"{_n(sizes['contributions'])} contributions"],
    ]
    steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in data["steps"].items())
    built = (
        f"Built {data['built_at']} in **{data['seconds']:.0f} s** ({steps}; then `VACUUM ANALYZE`)"
    )
    if data.get("reused"):
        built += "; this run reused it"
    table = _table(["what", "how many", ""], rows)
    return f"{table}\n\n{built}. Database size: {data['database_size']}."


def _findings(result):
    lines = []
    counting = {}
    for run in result["runs"]:
        for a in run["addresses"]:
            for sql in a.get("post_counts", []):
                counting.setdefault(a["name"], sql)
    if counting:
        lines.append("Pages that count posts on every request (`SELECT COUNT(*)` on `news_post`):")
        lines.append("")
        for name, sql in counting.items():
            lines.append(f"- {NAMES.get(name, name)}: `{sql[:220]}`")
        lines.append("")
    slow = []
    for run in result["runs"][:1]:
        for a in run["addresses"]:
            q = a.get("slowest_query")
            if q and q["ms"] >= 5:
                slow.append(
                    f"- {NAMES.get(a['name'], a['name'])}: {q['ms']:.1f} ms `{q['sql'][:200]}`"
                )
    if slow:
        lines += [
            "Slowest query of each page that has one over 5 ms (one request, in-process):",
            "",
        ]
        lines += slow
        lines.append("")
    return "\n".join(lines)


def _profiles(result):
    parts = []
    for name, data in result.get("profiles", {}).items():
        profile = "\n".join(data["profile"].splitlines()[:PROFILE_LINES])
        slowest = data.get("slowest") or {}
        flat = data.get("flat", "")
        parts.append(
            f"<details><summary>{name}: {data['ms_per_request']} ms a request in-process "
            f"({data['requests']} requests)</summary>\n\n```\n{profile}\n```\n\n"
            f"Where the time goes (own time of each function):\n\n```\n{flat}\n```\n\n"
            f"Slowest query ({slowest.get('ms', 0)} ms):\n\n"
            f"```sql\n{slowest.get('sql', '')}\n```\n\n"
            f"```\n{data.get('explain', '')}\n```\n</details>"
        )
    return "\n\n".join(parts)


def write_markdown(result):
    machine, settings = result["machine"], result["settings"]
    sections = [
        "# Benchmarks",
        'Written by `make bench` (see the README, "Benchmark"); do not edit by hand: run it '
        f"again. Last run: {result['generated_at']}, {result['total_seconds']} s in all. "
        "Requests per second depend on the machine and on what else runs on it; compare the "
        "**ratios to the baseline** of the same run, not absolute figures.",
        "## Targets (issue #8)",
        _targets(result),
        "## How it was measured",
        f"- Machine: {machine['cpus']} cores, {machine['memory_gb']} GB; load average at the "
        f"start {machine['load_average_at_start']}. Python {machine['python']}, Django "
        f"{machine['django']}, gunicorn {machine['gunicorn']}, {machine['wrk']}, "
        f"{result['data']['postgres']}.\n"
        f"- Server: gunicorn with `gunicorn.conf.py`, {settings['gunicorn_workers']} sync "
        "workers, `DEBUG` off, `CONN_MAX_AGE=60` (persistent connections), WhiteNoise with the "
        "collected, hashed static files, `X-Forwarded-Proto: https` as nginx would send; "
        "`GUNICORN_MAX_REQUESTS=0` so no worker is recycled during a run.\n"
        f"- Load: wrk on the same machine, {settings['connections']} connections, "
        f"{settings['warmup_seconds']:g} s of warm-up then {settings['duration_seconds']:g} s "
        "measured, per address; every address is checked to answer 200 before and after. "
        "Officer pages carry the session cookie of a ministry-level officer (the whole tree).\n"
        "- Queries, DB ms and one request ms: the second of two requests through Django's test "
        "client on the same database and settings (the first may fill caches), alone, with no "
        "load; wall time, so it also waits for PostgreSQL.\n"
        "- Caching on is the production default: the anonymous page cache (`news/cache.py`, "
        "`PAGE_CACHE_SECONDS=60`) over the local-memory cache of each worker (`CACHE_URL` "
        "unset). Caching off is the same with the page cache off (`PAGE_CACHE_SECONDS=0`): no "
        "whole page is kept, every response is rendered; the smaller caches the code keeps "
        "under the news generation (site settings, navigation, list counts, a post by its "
        "address, a deep page's ids, post cards and the post page's fragments) stay as in "
        "production.\n"
        "- Two runs: `make bench` keeps the previous result of `docs/benchmarks.json` when it "
        "measured the same data and settings, so two `make bench` in a row leave both here; a "
        "target is met only when every run meets it.",
        "## Data",
        _data(result),
    ]
    for prefix, measured in measurements(result):
        when = measured["generated_at"]
        load_average = measured["machine"]["load_average_at_start"]
        for run in measured["runs"]:
            sections += [
                f"## {(prefix + run['label']).capitalize()}",
                f"Measured {when}; load average at the start {load_average}.",
                _run(run),
            ]
    sections += ["## The review"]
    for prefix, measured in measurements(result):
        review = measured["review"]
        sections.append(
            f"{prefix.capitalize()}`welfare.reports.review` of {review['branch']} and everything "
            f"under it for {review['period'][0]} – {review['period'][1]}, called in-process: "
            f"median **{review['median_seconds']:.2f} s** over {len(review['seconds'])} calls "
            f"({', '.join(f'{s:.2f}' for s in review['seconds'])} s), {review['queries']} "
            f"queries, {_n(review['aid_records_counted'])} aid records counted."
        )
    findings = _findings(result)
    if findings:
        sections += ["## What the queries show", findings]
    profiles = _profiles(result)
    if profiles:
        sections += [
            "## Profiles of the missed targets",
            "pyinstrument over a few requests of each address, in-process, with the slowest "
            "query of one request and its plan.",
            profiles,
        ]
    if NOTES.is_file():
        sections += [NOTES.read_text(encoding="utf-8").strip()]
    return "\n\n".join(sections) + "\n"
