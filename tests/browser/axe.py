"""Running axe-core (tests/browser/vendor/axe.min.js, copied from the npm package by
`make vendor`) in a page, and describing what it finds so a failure says what to fix."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async tags => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', '),
      impact: n.impact,
      summary: (n.failureSummary || '').replace(/\\s+/g, ' ').trim(),
    })),
  }));
}"""


def violations(page):
    """The serious and critical WCAG 2.1 A/AA violations axe finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    blocking = []
    for violation in found:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in BLOCKING]
        if nodes:
            blocking.append({**violation, "nodes": nodes})
    return blocking


def describe(where, found, *, nodes_shown=6):
    """A readable report: for each page, each rule with its impact and the elements it hit."""
    lines = [f"{where}:"]
    for violation in found:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:nodes_shown]:
            lines.append(f"      {node['target']}")
            if node["summary"]:
                lines.append(f"        {node['summary'][:300]}")
        hidden = len(violation["nodes"]) - nodes_shown
        if hidden > 0:
            lines.append(f"      … and {hidden} more")
    return "\n".join(lines)
