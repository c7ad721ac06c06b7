"""The importers of ``manage.py import_data`` (and of any page that imports a file), by kind.

Each entry is the dotted path of a function with this signature, so the portal never imports an
app's code before it is asked for it, and each app keeps its own importer::

    importer(file, *, filename, dry_run=False, user=None, allowed_branch_ids=None, progress=None)
        -> unions.imports.ImportResult

``file`` is a binary file object (or bytes), ``filename`` gives its type (.csv or .xlsx),
``allowed_branch_ids`` limits the branches written to (None: all), and ``progress(stage, done,
total)`` is called as rows are validated and written. The result lists every error with its row
and column; nothing is written when there is one, nor with ``dry_run``.

Welfare adds its own here: ``"aid"`` and ``"contributions"``.
"""

from django.utils.module_loading import import_string

IMPORTERS = {
    "branches": "unions.imports.import_branches",
    "members": "unions.imports.import_members",
    "aid": "welfare.imports.import_aid",
    "contributions": "welfare.imports.import_contributions",
}


def register(kind, path):
    """Add or replace an importer: ``register("aid", "welfare.imports.import_aid")``."""
    IMPORTERS[kind] = path


def kinds():
    return list(IMPORTERS)


def get_importer(kind):
    """The importer function of ``kind``; ``KeyError`` for a kind nobody registered."""
    return import_string(IMPORTERS[kind])
