"""Property-based tests of the import parser (``portal.importers``: branches, members, aid,
contributions), with hypothesis.

Random bytes named .csv or .xlsx, real workbooks and CSV files with the right headers and random
cells (Vietnamese NFC/NFD, 10,000 characters, control characters and NUL, huge and negative
numbers, odd dates, numbers and dates where text is expected): every importer returns its result
with a list of errors by row and column, never an exception; a file with errors writes nothing;
what a clean file writes is NFC and free of NUL bytes. The officers' upload page goes through the
same parser and never answers 500.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from portal import importers
from tests.factories import CampaignFactory, MemberFactory, ProgramFactory
from tests.security.fuzz import (
    FUZZ,
    FUZZ_FEW,
    NUMBERS,
    PYTHON_TALK,
    counts,
    nasty_text,
    stored_text_problems,
)
from unions import imports as union_imports
from welfare import imports as welfare_imports

pytestmark = pytest.mark.django_db

KINDS = ["branches", "members", "aid", "contributions"]
COLUMNS = {
    "branches": union_imports.BRANCH_COLUMNS,
    "members": union_imports.MEMBER_COLUMNS,
    "aid": welfare_imports.AID_COLUMNS,
    "contributions": welfare_imports.CONTRIBUTION_COLUMNS,
}
VIETNAMESE_LETTERS = set("ăâđêôơưàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ")


@pytest.fixture
def world(tree):
    """What valid rows refer to: branch codes, card numbers, a programme and a campaign."""
    MemberFactory(branch=tree.a_group, card_number="NK000001")
    ProgramFactory(branch=tree.root, code="CT-NK", budget_vnd=None)
    CampaignFactory(branch=tree.root, code="VD-NK")
    return tree


def run(kind, content, filename, *, dry_run):
    importer = importers.get_importer(kind)
    before = counts()
    with translation.override("vi"):
        result = importer(content, filename=filename, dry_run=dry_run)
        messages = [str(error) for error in result.errors]
    if result.errors or dry_run:
        assert counts() == before, f"{kind}: a refused or dry-run import wrote something"
    for message in messages:
        assert message.strip(), "an error without a message"
        assert not PYTHON_TALK.search(message), f"{kind}: a Python error leaked: {message!r}"
    if messages and catalogue_is_vietnamese():
        assert all(VIETNAMESE_LETTERS & set(m.lower()) for m in messages), messages[:5]
    problems = stored_text_problems()
    assert not problems, "\n".join(problems)
    return result


def catalogue_is_vietnamese():
    with translation.override("vi"):
        return translation.gettext(
            "The file is empty: it needs a header row and at least one row."
        ) != ("The file is empty: it needs a header row and at least one row.")


# Random bytes ----------------------------------------------------------------------------------


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    content=st.one_of(
        st.binary(max_size=4000),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),  # looks like a zip
        st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),  # a BOM, then anything
    ),
    extension=st.sampled_from([".csv", ".xlsx", ".xls", ""]),
)
def test_random_bytes_give_a_list_of_errors(world, kind, content, extension):
    result = run(kind, content, f"tep{extension}", dry_run=False)
    assert result.errors or not content.strip()


# Right headers, random cells -------------------------------------------------------------------


def valid_cells(kind):
    """One valid row of each kind, keyed by column name."""
    return {
        "branches": {
            "code": "NK-CS",
            "name": "Công đoàn Nhập khẩu",
            "parent_code": "CDBNV",
            "level": "Công đoàn cơ sở",
        },
        "members": {
            "card_number": "NK000002",
            "full_name": "Nguyễn Thị Nhập",
            "gender": "Nữ",
            "date_of_birth": "17/05/1985",
            "branch_code": "CDCS-A-T1",
            "category": "Viên chức",
        },
        "aid": {
            "program_code": "CT-NK",
            "kind": "tet_gift",
            "date": "10/04/2020",
            "card_number": "NK000001",
            "amount_vnd": "1.000.000",
        },
        "contributions": {
            "campaign_code": "VD-NK",
            "direction": "in",
            "date": "10/04/2020",
            "party": "Công ty Bình An",
            "amount_vnd": "2.000.000",
        },
    }[kind]


CELL = st.one_of(nasty_text(), st.sampled_from(NUMBERS), st.just(None))
TYPED_CELL = st.one_of(
    CELL,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
    st.booleans(),
)


@st.composite
def table(draw, kind, cell):
    """A header (the file's own, sometimes Vietnamese labels, sometimes repeated or odd) and a
    few rows mixing valid and hostile cells."""
    columns = COLUMNS[kind]
    valid = valid_cells(kind)
    names = [c.name for c in columns if c.required or draw(st.booleans())]
    labels = {c.name: c.label for c in columns}
    header = [labels[n] if draw(st.booleans()) else n for n in names]
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(nasty_text()))  # an unknown column
    if draw(st.integers(0, 9)) == 0:
        header.append(header[0])  # a repeated column
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = []
        for name in names:
            row.append(valid.get(name, "") if draw(st.booleans()) else draw(cell))
        rows.append(row)
    return header, rows


def csv_bytes(header, rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_bytes(header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active

    def clean(value):
        # Only characters a workbook can hold (openpyxl refuses the others, as Excel does).
        return ILLEGAL_IN_XLSX.sub("", value)[:32_000] if isinstance(value, str) else value

    sheet.append([clean(v) for v in header])
    for row in rows:
        sheet.append([clean(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=st.data(), kind=st.sampled_from(KINDS), dry_run=st.booleans())
def test_csv_cells(world, data, kind, dry_run):
    header, rows = data.draw(table(kind, CELL))
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))
    run(kind, csv_bytes(header, rows, delimiter), "tep.csv", dry_run=dry_run)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(KINDS), dry_run=st.booleans())
def test_xlsx_cells(world, data, kind, dry_run):
    header, rows = data.draw(table(kind, TYPED_CELL))
    run(kind, xlsx_bytes(header, rows), "tep.xlsx", dry_run=dry_run)


@pytest.mark.parametrize("kind", KINDS)
def test_a_nul_byte_in_a_cell_is_never_stored_nor_a_crash(world, kind):
    cells = dict(valid_cells(kind))
    text_column = {
        "branches": "name",
        "members": "full_name",
        "aid": "program_code",
        "contributions": "party",
    }[kind]
    cells[text_column] = cells[text_column][:5] + "\x00" + cells[text_column][5:]
    content = csv_bytes(list(cells), [list(cells.values())], ",")
    run(kind, content, "tep.csv", dry_run=False)


@pytest.mark.parametrize("number", NUMBERS)
def test_exotic_numbers_in_amount_and_quantity_cells(world, number):
    for kind in ("aid", "contributions"):
        cells = dict(valid_cells(kind))
        cells.update(amount_vnd=number, item="Gạo", quantity=number, unit="kg", value_vnd=number)
        run(kind, csv_bytes(list(cells), [list(cells.values())], ","), "tep.csv", dry_run=False)


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_row_still_imports(world, kind):
    """The valid rows used above really are valid: the fuzz reaches the writing code."""
    cells = valid_cells(kind)
    result = run(
        kind, csv_bytes(list(cells), [list(cells.values())], ","), "tep.csv", dry_run=False
    )
    assert result.ok and result.written, [str(e) for e in result.errors]


# The officers' page ------------------------------------------------------------------------------


@FUZZ_FEW
@given(data=st.data())
def test_the_upload_page_previews_anything_without_a_500(client, ministry_officer, world, data):
    client.force_login(ministry_officer)
    kind = data.draw(st.sampled_from(["members", "branches"]))
    if data.draw(st.booleans()):
        header, rows = data.draw(table(kind, CELL))
        content, name = csv_bytes(header, rows, ","), "tep.csv"
    else:
        content, name = (
            data.draw(st.binary(max_size=2000)),
            data.draw(st.sampled_from(["tep.csv", "tep.xlsx"])),
        )
    response = client.post(
        reverse("unions-import:start"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        errors = client.get(response["Location"] + "loi.csv")
        assert errors.status_code == 200
        b"".join(errors.streaming_content)
        before = counts()
        confirmed = client.post(response["Location"] + "xac-nhan/")
        assert confirmed.status_code in (200, 302)
        if confirmed.status_code == 200:
            assert counts() == before
    assert not stored_text_problems()
