import uuid

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
