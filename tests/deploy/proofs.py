"""Running a proof script of scripts/ (two instances, the read replica) from a test."""

import subprocess


def run_proof(command, steps, cwd):
    """Run the script; it must exit 0 and print each of ``steps`` as a line of its own, no FAIL
    and ``ALL PASSED``. Returns its standard output."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for line in steps:
        assert line in result.stdout.splitlines(), output
    assert "FAIL" not in result.stdout, output
    assert "ALL PASSED" in result.stdout
    return result.stdout
