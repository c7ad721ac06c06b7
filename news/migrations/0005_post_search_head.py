"""A small vector of the title and the lead, for ranking search results cheaply.

``search_vector`` (title, lead and a ~3 KB body) is stored out of line (TOAST): ranking or testing
1,000 candidates read and decompressed 1,000 of them (~15 ms). ``search_head`` holds only the
title (weight A) and the lead (weight B), a few hundred bytes kept in the row: the search ranks
by it and tests it before the whole vector (news/search.py). The trigger of
``0002_post_search`` fills it from the whole vector (``ts_filter``), so it always agrees with it;
a GIN index lets a rare word be found through it as through the whole vector.
"""

import importlib

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

search_0002 = importlib.import_module("news.migrations.0002_post_search")

FUNCTION = search_0002.FUNCTION
TRIGGER = search_0002.TRIGGER
INDEX = "news_post_search_head_gin"
VECTOR = (
    f"{search_0002.field_vector('title', 'A')}"
    f" || {search_0002.field_vector('lead', 'B')}"
    f" || {search_0002.field_vector('body_text', 'C')}"
)


def function_sql(with_head):
    head = "NEW.search_head := ts_filter(NEW.search_vector, '{a,b}');" if with_head else ""
    return f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {VECTOR};
        {head}
        RETURN NEW;
    END
    $$
    """


FORWARD = [
    function_sql(with_head=True),
    # The existing rows, from their vectors: the trigger (which would rebuild every vector) is
    # off for this one statement.
    f"ALTER TABLE news_post DISABLE TRIGGER {TRIGGER}",
    "UPDATE news_post SET search_head = ts_filter(search_vector, '{a,b}')",
    f"ALTER TABLE news_post ENABLE TRIGGER {TRIGGER}",
    f"CREATE INDEX {INDEX} ON news_post USING gin (search_head)",
]

REVERSE = [
    f"DROP INDEX IF EXISTS {INDEX}",
    function_sql(with_head=False),
]


def forward(apps, schema_editor):
    search_0002.run_on_postgresql(schema_editor, FORWARD)


def reverse(apps, schema_editor):
    search_0002.run_on_postgresql(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("news", "0004_post_list_order_indexes")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_head",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, reverse),
    ]
