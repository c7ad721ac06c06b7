"""Import branches or members (and whatever else is registered) from a CSV or XLSX file.

    python manage.py import_data members doan-vien.xlsx --dry-run
    python manage.py import_data members doan-vien.xlsx
    python manage.py import_data branches cong-doan.csv

The file has a header row (English column names or the Vietnamese labels of the template). All or
nothing: every row is checked first and, if any row has an error, the errors are printed with
their row and column, nothing is written and the command exits with a non-zero status. Importing
the same file again changes nothing. The kinds come from ``portal.importers``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal import importers

PROGRESS_EVERY = 2000


def _n(value):
    return number_format(value, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ tệp CSV (UTF-8) hoặc XLSX có dòng tiêu đề: công đoàn (branches), "
        "đoàn viên (members)... Có dòng lỗi thì không ghi gì và in ra từng lỗi với dòng, cột; "
        "nhập lại cùng tệp không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=importers.kinds(), help="Loại dữ liệu cần nhập.")
        parser.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra tệp, không ghi gì vào cơ sở dữ liệu.",
        )

    def handle(self, *args, kind, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        importer = importers.get_importer(kind)
        self.stdout.write(_("Reading %(file)s…") % {"file": path.name})
        with path.open("rb") as handle, transaction.atomic():
            result = importer(handle, filename=path.name, dry_run=dry_run, progress=self.progress)

        if result.ignored_columns:
            self.stdout.write(
                self.style.WARNING(
                    _("Columns ignored: %(columns)s.")
                    % {"columns": ", ".join(result.ignored_columns)}
                )
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(self.style.ERROR(str(error)))
            raise CommandError(
                _("%(count)s errors in %(file)s: nothing was imported.")
                % {"count": _n(len(result.errors)), "file": path.name}
            )

        counts = {
            "rows": _n(result.total_rows),
            "created": _n(result.created),
            "updated": _n(result.updated),
            "unchanged": _n(result.unchanged),
        }
        if dry_run:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Dry run, nothing was written. %(rows)s rows without errors: "
                        "%(created)s to create, %(updated)s to update, %(unchanged)s unchanged."
                    )
                    % counts
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Imported %(rows)s rows: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % counts
                )
            )

    def progress(self, stage, done, total):
        if done % PROGRESS_EVERY and done != total:
            return
        if stage == "validated":
            line = _("Checked %(done)s of %(total)s rows.")
        else:
            line = _("Wrote %(done)s of %(total)s rows.")
        self.stdout.write(line % {"done": _n(done), "total": _n(total)})
