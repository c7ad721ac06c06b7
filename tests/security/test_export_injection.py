"""CSV and XLSX injection: text that a spreadsheet would run as a formula comes out as text.

Members, branches, aid goods and notes, campaigns and a bad import cell are given the classic
payloads (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``-2+3+cmd...``, ``@SUM(...)``, a leading
tab or carriage return, full-width ``＝``), then every export an officer can download is read
back: in a CSV the cell starts with an apostrophe; in a workbook the cell is a string (never a
formula) that starts with one. Numbers stay numbers, so the sheets still add up.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.spreadsheet import is_formula_like, safe_cell, safe_row
from tests.factories import BranchFactory, CampaignFactory, MemberFactory, ProgramFactory
from tests.security.conftest import content_of
from welfare.models import AidRecord, Contribution

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x.example","Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+3",
    "＝1+4",
    "＋1+5",
    "－1+6",
    "＠SUM(1)",
    " =1+7",
]
# What identifies each payload once stored (names lose their leading and doubled spaces).
MARKS = ["HYPERLINK", "cmd|", "-2+3", "@SUM", "1+2", "1+3", "1+4", "1+5", "1+6", "＠SUM", "1+7"]
DAY = datetime.date(2020, 4, 10)
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


# The helper itself ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_puts_an_apostrophe_before_anything_a_spreadsheet_would_run(payload):
    assert safe_cell(payload) == "'" + payload
    assert not is_formula_like(safe_cell(payload))


@pytest.mark.parametrize(
    "value",
    [0, 144_000_000, -5, 2.5, True, None, datetime.date(2020, 1, 1), "Nguyễn Văn An", "", "a=b"],
)
def test_safe_cell_leaves_numbers_dates_and_plain_text_alone(value):
    assert safe_cell(value) is value or safe_cell(value) == value


def test_safe_cell_gives_text_of_lazy_strings_and_other_objects():
    from django.utils.translation import gettext_lazy

    assert safe_cell(gettext_lazy("Yes")) in ("Yes", "Có")
    assert safe_row([1, "=1", None]) == [1, "'=1", None]


def test_openpyxl_keeps_a_neutralised_cell_as_a_string():
    workbook = openpyxl.Workbook()
    workbook.active.append(safe_row([*PAYLOADS, 12]))
    workbook = openpyxl.load_workbook(io.BytesIO(_save(workbook)))
    cells = next(iter(workbook.active.iter_rows()))
    assert [c.data_type for c in cells] == ["s"] * len(PAYLOADS) + ["n"]
    assert all(c.value.startswith("'") for c in cells[:-1])


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading exports -------------------------------------------------------------------------------


def csv_cells(data):
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_cells(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data))  # formulas kept as formulas
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def problems_in(data, kind, marks):
    """Every way the export could run a formula, and the payloads it lost on the way."""
    problems, found = [], set()
    if kind == "csv":
        for cell in csv_cells(data):
            for mark in marks:
                if mark in cell:
                    found.add(mark)
            if is_formula_like(cell) and not NUMBER.fullmatch(cell):
                problems.append(f"CSV cell {cell!r} would be read as a formula")
    else:
        for cell in xlsx_cells(data):
            if cell.data_type == "f":
                problems.append(f"{cell.coordinate} is a formula: {cell.value!r}")
                continue
            if isinstance(cell.value, str):
                for mark in marks:
                    if mark in cell.value:
                        found.add(mark)
                        if not cell.value.startswith("'") or cell.data_type != "s":
                            problems.append(f"{cell.coordinate} {cell.value!r} is not neutralised")
                if is_formula_like(cell.value):
                    problems.append(f"{cell.coordinate} {cell.value!r} would be read as a formula")
    missing = [mark for mark in marks if mark not in found]
    if missing:
        problems.append(f"the export lost these rows, so nothing was checked: {missing}")
    return problems


def download(client, url, kind, marks):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return problems_in(content_of(response), kind, marks)


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return client


# The members list ------------------------------------------------------------------------------


@pytest.fixture
def hostile_members(tree):
    members = []
    for number, payload in enumerate(PAYLOADS):
        members.append(
            MemberFactory(
                branch=tree.a_group,
                full_name=payload,
                job_title=payload,
                work_unit=payload,
                card_number=f"XSS{number:03d}",
            )
        )
    return members


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_member_list_exports_neutralise_formulas(officer, hostile_members, kind):
    problems = download(officer, reverse("unions:member-list") + f"?export={kind}", kind, MARKS)
    assert not problems, "\n".join(problems)


def test_member_list_export_keeps_numbers_and_dates_as_such(officer, hostile_members):
    data = content_of(officer.get(reverse("unions:member-list") + "?export=xlsx"))
    cells = xlsx_cells(data)
    assert any(isinstance(c.value, datetime.datetime) for c in cells), "dates stay dates"


# Aid records ----------------------------------------------------------------------------------


@pytest.fixture
def hostile_program(tree, hostile_members):
    program = ProgramFactory(branch=tree.a, code="CT-XSS", budget_vnd=None)
    for member, payload in zip(hostile_members, PAYLOADS, strict=True):
        AidRecord.objects.create(
            program=program,
            member=member,
            branch=member.branch,
            date=DAY,
            amount_vnd=1_000_000,
            item=payload,
            quantity=2,
            unit=payload[:30],
            value_vnd=50_000,
            note=payload,
            status=AidRecord.Status.PAID,
        )
    return program


def test_aid_record_workbook_neutralises_formulas(officer, hostile_program):
    url = reverse("aid:program", kwargs={"pk": hostile_program.pk}) + "?export=xlsx"
    problems = download(officer, url, "xlsx", MARKS)
    assert not problems, "\n".join(problems)
    cells = xlsx_cells(content_of(officer.get(url)))
    money = [c.value for c in cells if c.column == 7 and c.row > 1]
    assert all(isinstance(v, int) for v in money), "cash stays a number"


# The import's list of errors -----------------------------------------------------------------


def test_the_import_error_list_neutralises_the_cells_it_quotes(officer, tree):
    rows = ["card_number,full_name,gender,date_of_birth,branch_code,category"]
    for number, payload in enumerate(PAYLOADS):
        cell = '"' + payload.replace('"', '""') + '"'
        rows.append(f"IMP{number:03d},Nguyễn Văn An,Nam,{cell},{tree.a_group.code},Công chức")
    upload = SimpleUploadedFile("doan-vien.csv", "\n".join(rows).encode())
    response = officer.post(reverse("unions-import:start"), {"kind": "members", "file": upload})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]
    # Names lose nothing here: the bad dates are quoted in the messages as they were typed,
    # after trimming (a leading tab or return is trimmed away, the rest stays).
    marks = ["HYPERLINK", "cmd|", "-2+3", "@SUM", "1+4", "1+5", "1+6", "1+7"]
    url = reverse("unions-import:errors", kwargs={"token": token})
    problems = download(officer, url, "csv", marks)
    assert not problems, "\n".join(problems)


# The half-year review ------------------------------------------------------------------------


@pytest.fixture
def hostile_review(tree, hostile_program):
    """Branch and campaign codes and goods names that are formulas, in the review's period."""
    BranchFactory(
        code='=HYPERLINK("X","Y")', name="=cmd|' /C calc'!A0", level="division", parent=tree.a
    )
    campaign = CampaignFactory(
        branch=tree.a, code="+CMD|'/CCALC'!A0", name="@SUM(1+1)", starts_on=DAY
    )
    Contribution.objects.create(
        campaign=campaign, direction="in", date=DAY, party="=1+1", amount_vnd=1_000
    )
    return hostile_program


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_review_exports_neutralise_formulas(officer, tree, hostile_review, kind):
    url = reverse("reports:report") + (f"?preset=year&year=2020&branch={tree.a.pk}&download={kind}")
    problems = download(officer, url, kind, ["HYPERLINK", "cmd|", "CMD|", "-2+3", "@SUM"])
    assert not problems, "\n".join(problems)
