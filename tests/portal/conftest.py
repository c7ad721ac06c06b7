import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection


@pytest.fixture
def fresh_database():
    """The name of an empty PostgreSQL database on the test server, dropped afterwards (for
    restores)."""
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_in_another_process(archive, env):
    """``manage.py restore ARCHIVE`` run as an operator would, with ``env`` as its environment;
    it must succeed. Returns its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
