"""Issue #8's targets, checked against one ``make bench`` result (``benchmarks.run``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    mode: str | None  # "on", "off", or None: every run
    kind: str  # "ratio", "p95", "review", "rss", "errors", "post_count"
    address: str | None = None
    limit: float | None = None


TARGETS = [
    Target("post_off", "Post page ≥ 11% of the baseline, caching off", "off", "ratio", "post",
           0.11),
    Target("news_off", "`/tin-tuc/` ≥ 6% of the baseline, caching off", "off", "ratio", "news",
           0.06),
    Target(
        "deep_off", "`?page=2000` ≥ 5% of the baseline, caching off", "off", "ratio",
        "news_deep", 0.05,
    ),
    Target("home_on", "`/` ≥ 50% of the baseline, caching on", "on", "ratio", "home", 0.5),
    Target("news_on", "`/tin-tuc/` ≥ 50% of the baseline, caching on", "on", "ratio", "news", 0.5),
    Target(
        "category_on", "Category page ≥ 50% of the baseline, caching on", "on", "ratio",
        "category", 0.5,
    ),
    Target("post_on", "Post page ≥ 50% of the baseline, caching on", "on", "ratio", "post", 0.5),
    Target("search_p95", "Search p95 ≤ 100 ms", None, "p95", "search", 100),
    Target("members_p95", "Member list p95 ≤ 150 ms", None, "p95", "members", 150),
    Target("aid_p95", "Aid record list p95 ≤ 150 ms", None, "p95", "aid_records", 150),
    Target("review", "Review of the whole tree for a year < 2 s", None, "review", None, 2.0),
    Target("rss", "Worker RSS ≤ 150 MB after the run", None, "rss", None, 150),
    Target("errors", "0 errors", None, "errors", None, 0),
    Target(
        "post_count", "No page counts all posts (`COUNT(*)`) on every request", None,
        "post_count", None, 0,
    ),
]  # fmt: skip


def _address(run, name):
    return next(a for a in run["addresses"] if a["name"] == name)


def _check_run(target, run, review):
    """(value shown, met) of one target in one run."""
    if target.kind == "ratio":
        address = _address(run, target.address)
        return f"{address['ratio']:.1%}", address["ratio"] >= target.limit
    if target.kind == "p95":
        p95 = _address(run, target.address)["latency_ms"]["p95"]
        if p95 is None:
            return "no request finished", False
        return f"{p95:,.0f} ms", p95 <= target.limit
    if target.kind == "review":
        return f"{review['median_seconds']:.2f} s", review["median_seconds"] < target.limit
    if target.kind == "rss":
        rss = max((w["rss_mb"] for w in run["workers"]), default=0)
        return f"{rss:.0f} MB", rss <= target.limit
    if target.kind == "errors":
        errors = sum(a["errors"] for a in run["addresses"])
        return f"{errors}", errors == 0
    if target.kind == "post_count":
        pages = [a["name"] for a in run["addresses"] if a.get("counts_all_posts")]
        return (", ".join(pages) or "none"), not pages
    raise ValueError(target.kind)


def measurements(result):
    """(name, result) of each ``make bench`` run in the write-up: the earlier one, if kept, then
    this one."""
    previous = result.get("previous")
    if not previous:
        return [("", result)]
    return [("1st run, ", previous), ("2nd run, ", result)]


def evaluate(result):
    """Each target with its value in each run it applies to, and whether it is met in all (in
    both ``make bench`` runs when the earlier one is kept)."""
    rows = []
    for target in TARGETS:
        values = []
        for prefix, measured in measurements(result):
            runs = [
                r
                for r in measured["runs"]
                if target.mode in (None, r["mode"])
                and (
                    target.address is None
                    or any(a["name"] == target.address for a in r["addresses"])
                )
            ]
            if target.kind == "review":
                runs = runs[:1]
            values += [
                (prefix + run["label"], *_check_run(target, run, measured["review"]))
                for run in runs
            ]
        if not values:
            continue
        rows.append(
            {
                "key": target.key,
                "target": target.text,
                "address": target.address,
                "mode": target.mode,
                "values": [
                    {"run": label, "value": value, "met": met} for label, value, met in values
                ],
                "met": all(met for _label, _value, met in values),
            }
        )
    return rows
