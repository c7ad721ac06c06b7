"""Every environment variable the portal reads is documented: in the README's configuration table
and in deploy/portal.env.example, so a newcomer or an operator never meets an unknown one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(r"""(?:env_[a-z]+\(\s*|environ(?:\.get)?[\(\[]\s*)["']([A-Z][A-Z0-9_]+)["']""")


def _variables():
    sources = [*sorted((ROOT / "portal").glob("*.py")), ROOT / "gunicorn.conf.py"]
    found = set()
    for path in sources:
        if path.name.startswith("settings_"):
            continue  # the tests' own settings
        found |= set(READS.findall(path.read_text(encoding="utf-8")))
    # Read by the test settings / tools only, never by a deployed portal.
    return found - {"DJANGO_SETTINGS_MODULE"}


def test_the_settings_read_the_variables_this_test_looks_for():
    variables = _variables()
    assert {"DATABASE_URL", "SECRET_KEY", "S3_BUCKET", "DATABASE_REPLICA_URL"} <= variables
    assert {"GUNICORN_WORKERS", "PAGE_CACHE_SECONDS"} <= variables


def test_every_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    missing = sorted(name for name in _variables() if f"`{name}`" not in table)
    assert not missing, f"not in README's configuration table: {missing}"


def test_every_variable_is_in_the_example_environment_file():
    example = (ROOT / "deploy" / "portal.env.example").read_text(encoding="utf-8")
    missing = sorted(
        name for name in _variables() if not re.search(rf"^#?\s*{name}=", example, re.MULTILINE)
    )
    assert not missing, f"not in deploy/portal.env.example: {missing}"
