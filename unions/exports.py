"""The member list as XLSX or CSV with Vietnamese headers; the national ID masked as on screen.
Every cell goes through ``portal.spreadsheet.safe_cell``: a name typed as a formula stays text."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.spreadsheet import safe_row


def _columns():
    return [
        (_("Union card number"), lambda m: m.card_number),
        (_("Full name"), lambda m: m.full_name),
        (_("Gender"), lambda m: m.get_gender_display()),
        (_("Date of birth"), lambda m: m.date_of_birth),
        (_("National ID number"), lambda m: m.masked_national_id),
        (_("Branch code"), lambda m: m.branch.code),
        (_("Branch"), lambda m: m.branch.name),
        (_("Category"), lambda m: m.get_category_display()),
        (_("Job title"), lambda m: m.job_title),
        (_("Work unit"), lambda m: m.work_unit),
        (_("Joined the union on"), lambda m: m.joined_on),
        (_("Status"), lambda m: m.get_status_display()),
        (_("Policy group"), lambda m: m.get_policy_group_display() if m.policy_group else ""),
        (_("Difficult circumstances"), lambda m: _("Yes") if m.hardship else ""),
        (_("Phone"), lambda m: m.phone),
        (_("E-mail"), lambda m: m.email),
    ]


def _rows(members):
    columns = _columns()
    yield [title for title, _value in columns]
    for member in members.iterator(chunk_size=2000):
        yield safe_row(value(member) for _title, value in columns)


def filename(extension):
    return f"doan-vien-{timezone.localdate():%Y%m%d}.{extension}"


def members_csv(members):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a byte order mark
    writer = csv.writer(buffer)
    for row in _rows(members):
        writer.writerow([f"{v:%d/%m/%Y}" if hasattr(v, "strftime") else v for v in row])
    return buffer.getvalue().encode("utf-8")


def members_xlsx(members):
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Members")[:31]
    for index, row in enumerate(_rows(members)):
        sheet.append(row)
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for column in range(1, sheet.max_column + 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 18
        for cell in sheet[letter][1:]:
            if hasattr(cell.value, "strftime"):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
