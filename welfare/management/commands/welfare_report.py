"""The review of a branch and everything under it over a period, both dates included.

    python manage.py welfare_report --from 2020-01-01 --to 2020-06-30 [--branch CDBNV]
        [--format json|xlsx|csv] [--output FILE]

Without --branch, the root (the ministry union). JSON and CSV go to standard output unless
--output names a file; XLSX needs --output. Bad dates, --to before --from or an unknown branch stop
with a one-line error and exit status 1.
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from unions.models import Branch, normalize_code
from welfare import report_exports
from welfare.reports import review


def _date(value, option):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r}: ngày không hợp lệ, hãy dùng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Báo cáo công tác chăm lo (sơ kết, tổng kết) của một công đoàn và các công đoàn trực thuộc."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", required=True, help="Đến ngày (YYYY-MM-DD).")
        parser.add_argument("--branch", help="Mã công đoàn (mặc định: Công đoàn Bộ).")
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
        parser.add_argument("--output", help="Tệp kết quả (bắt buộc với xlsx).")

    def handle(self, *args, start, end, branch, format, output, **options):
        start, end = _date(start, "--from"), _date(end, "--to")
        if end < start:
            raise CommandError("--to phải cùng ngày hoặc sau --from.")
        if branch:
            found = Branch.objects.filter(code=normalize_code(branch)).first()
            if found is None:
                raise CommandError(f"Không có công đoàn mã {branch!r}.")
        else:
            found = Branch.objects.filter(parent__isnull=True).first()
            if found is None:
                raise CommandError("Chưa có công đoàn nào: hãy nhập dữ liệu công đoàn trước.")
        figures = review(branch=found, start=start, end=end)
        if format == "json":
            content = json.dumps(figures, ensure_ascii=False, indent=2).encode()
        elif format == "csv":
            content = report_exports.review_csv(figures)
        else:
            if not output:
                raise CommandError("Định dạng xlsx cần --output TỆP.")
            content = report_exports.review_xlsx(figures)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(self.style.SUCCESS(f"Đã ghi {output}."))
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.write(b"\n")
