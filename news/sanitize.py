"""The one allow-list for post bodies: the editor offers exactly what the sanitiser keeps.

django-prose-editor derives its nh3 (Ammonia) allow-list from the editor extensions below, so the
toolbar and the server agree. Every path that writes a body (the admin, imports, the demo) goes
through ``clean_body``, because ``Post.save()`` calls it.
"""

import nh3
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": True, "protocols": ["http", "https", "mailto", "tel"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
    "SpecialCharacters": True,
}


def _cleaner():
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    # No free-form classes: a class could pull in any layout utility of the site's CSS.
    allowlist["attributes"] = {
        tag: {name for name in names if name not in {"class", "rel"}}
        for tag, names in allowlist["attributes"].items()
    }
    allowlist["link_rel"] = "noopener noreferrer"
    return nh3.Cleaner(**allowlist)


_CLEANER = _cleaner()


def clean_body(html):
    """Keep only what the editor can make; an empty editor gives an empty string."""
    cleaned = _CLEANER.clean(html or "").strip()
    return "" if cleaned in {"<p></p>", ""} else cleaned
