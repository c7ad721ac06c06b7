"""Accent- and case-insensitive search of posts on PostgreSQL (news/search.py).

- the ``unaccent`` extension and a text search configuration ``portal_vi``: the ``simple`` one
  with every kind of word that may hold letters passed through ``unaccent`` first;
- a trigger that keeps ``news_post.search_vector`` up to date on every insert and update, whatever
  writes the row (``save()``, ``bulk_create()``, ``update()``, raw SQL): title weighted A, lead B,
  body C;
- the vectors of the posts already there, and a GIN index on them.

A query is made of the words of ``portal.text.words``, split at every punctuation mark, while
PostgreSQL's parser keeps some punctuation inside its tokens: "Covid-19" gives "covid" and "-19",
"11.200" and "144.000.000" stay numbers of their own, "a@b.vn" is an e-mail. So the trigger reads
ASCII punctuation as spaces before parsing. It also turns đ/Đ into d/D itself: the standard
``unaccent`` rules do it, but a server with other rules still finds "đoàn" for ``doan``.

Nothing happens on other databases: SQLite searches with a Python fallback.
"""

import string

from django.db import migrations

CONFIG = "portal_vi"
INDEX = "news_post_search_vector_gin"
FUNCTION = "news_post_search_vector_update"
TRIGGER = "news_post_search_vector_trigger"
# The parser's token kinds that may hold non-ASCII letters (ascii* kinds need no unaccent).
WORD_TOKENS = "word, hword, hword_part, numword, numhword, hword_numpart"
FOLD_FROM = "đĐ" + string.punctuation
FOLD_TO = "dD" + " " * len(string.punctuation)


def sql_string(text):
    """A PostgreSQL string constant (E'...'), whatever standard_conforming_strings says."""
    return "E'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def field_vector(column, weight):
    text = f"translate(coalesce(NEW.{column}, ''), {sql_string(FOLD_FROM)}, {sql_string(FOLD_TO)})"
    return f"setweight(to_tsvector('{CONFIG}', {text}), '{weight}')"


FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG}"
    f" ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, simple",
    f"""
    CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {field_vector("title", "A")}
            || {field_vector("lead", "B")}
            || {field_vector("body_text", "C")};
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON news_post
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
    # Fires the trigger on every existing row.
    "UPDATE news_post SET search_vector = NULL",
    f"CREATE INDEX {INDEX} ON news_post USING gin (search_vector)",
]

REVERSE = [
    f"DROP INDEX IF EXISTS {INDEX}",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON news_post",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
    "UPDATE news_post SET search_vector = NULL",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
    # As django.contrib.postgres's UnaccentExtension does when it is reversed.
    "DROP EXTENSION IF EXISTS unaccent",
]


def run_on_postgresql(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            # No parameters: "%" in the SQL is not a placeholder.
            schema_editor.execute(sql, params=None)


def forward(apps, schema_editor):
    run_on_postgresql(schema_editor, FORWARD)


def reverse(apps, schema_editor):
    run_on_postgresql(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
