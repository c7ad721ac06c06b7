"""Static security checks run by `make test`:

- bandit over the portal's code: any HIGH severity finding fails the run;
- pip-audit over the pinned requirements: any known vulnerability fails the run. When the
  advisory data cannot be reached (no internet, or a package index mirror without the
  vulnerability data, as on the CI machine), pip-audit audits nothing: that is reported on one
  line and does not fail the run, since nothing was learnt either way.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CODE = ["portal", "news", "unions", "welfare", "audit"]


def bandit():
    result = subprocess.run(  # noqa: S603
        [str(BIN / "bandit"), "-q", "-r", *CODE, "-x", "*/migrations/*", "-lll", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout or "{}")
    high = [r for r in report.get("results", []) if r["issue_severity"] == "HIGH"]
    for finding in high:
        print(f"bandit: {finding['filename']}:{finding['line_number']}: {finding['issue_text']}")
    print(f"bandit: {len(high)} high-severity finding(s)")
    return not high


def pip_audit():
    result = subprocess.run(  # noqa: S603
        [
            str(BIN / "pip-audit"),
            "-r",
            "requirements/base.txt",
            "--disable-pip",
            "--no-deps",
            "--progress-spinner",
            "off",
            "-f",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print("pip-audit: the advisory data could not be reached; dependencies not audited")
        return True
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"pip-audit: {dependency['name']} {dependency['version']}: {ids}")
    if not audited:
        print(
            "pip-audit: the advisory data could not be reached (the package index answers "
            "without it); dependencies not audited"
        )
        return True
    print(f"pip-audit: {len(audited)} audited, {len(vulnerable)} with known vulnerabilities")
    return not vulnerable


if __name__ == "__main__":
    ok = bandit()
    ok = pip_audit() and ok
    sys.exit(0 if ok else 1)
