"""Indexes in the exact order of the public lists: published posts by time then id.

The lists sort by ``published_at DESC, id DESC``; the former indexes have no ``id``, so a deep
page (``?page=2000``) walked and re-sorted 40,000 rows. These partial indexes hold only published
posts and serve the page's ids straight from the index (an index-only scan), for all posts and
for each category (the category pages and the home page's blocks).
"""

from django.db import migrations

INDEXES = {
    "news_post_pub_order_idx": "(published_at DESC, id DESC)",
    "news_post_cat_pub_order_idx": "(category_id, published_at DESC, id DESC)",
}


class Migration(migrations.Migration):
    dependencies = [("news", "0003_post_branch")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON news_post {columns} "
            "WHERE status = 'published'",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
