"""Print the DATABASE_URL that `make test` should use, and say on stderr which database it is.

PostgreSQL when one answers at DATABASE_URL or at the local default; SQLite otherwise. With CI set,
a PostgreSQL that does not answer is a failure (exit 1), not a fallback.
"""

import os
import sys

import psycopg2

DEFAULT = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")


def answers(url):
    # Connect to the server's maintenance database: the test database is created by the tests.
    base = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg2.connect(base, connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


def main():
    url = os.environ.get("DATABASE_URL") or DEFAULT
    if url.startswith("sqlite"):
        if os.environ.get("CI"):
            sys.exit("make test: CI must run on PostgreSQL, but DATABASE_URL names SQLite")
        print("make test: SQLite (DATABASE_URL)", file=sys.stderr)
        print(url)
        return
    error = answers(url)
    host = url.split("@")[-1]
    if error is None:
        print(f"make test: PostgreSQL at {host}", file=sys.stderr)
        print(url)
        return
    if os.environ.get("CI"):
        sys.exit(f"make test: PostgreSQL at {host} does not answer ({error}); CI needs it")
    print(
        f"make test: PostgreSQL at {host} does not answer ({error}); using SQLite", file=sys.stderr
    )
    print("sqlite:///" + os.path.abspath("test-db.sqlite3"))


if __name__ == "__main__":
    main()
