"""Importing branches and members from CSV and XLSX: the service, the command and the pages."""

import csv
import datetime
import io
import unicodedata

import openpyxl
import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import BranchFactory, MemberFactory
from unions.imports import import_branches, import_members, template_xlsx
from unions.models import Branch, Member, Transfer

pytestmark = pytest.mark.django_db

EN = [
    "card_number",
    "full_name",
    "gender",
    "date_of_birth",
    "branch_code",
    "category",
    "joined_on",
    "policy_group",
    "hardship",
    "email",
    "phone",
]
VI = [
    "Số thẻ đoàn viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Mã công đoàn",
    "Đối tượng",
    "Ngày vào công đoàn",
    "Diện chính sách",
    "Hoàn cảnh khó khăn",
    "Thư điện tử",
    "Điện thoại",
]
BRANCH_EN = ["code", "name", "parent_code", "level"]
BRANCH_VI = ["Mã", "Tên", "Mã cấp trên", "Cấp"]


def row(card="DV1001", **values):
    """A good member row of grassroots union A, as text cells in the order of ``EN``."""
    base = {
        "card_number": card,
        "full_name": "Nguyễn Thị Lan",
        "gender": "Nữ",
        "date_of_birth": "17/05/1985",
        "branch_code": "CDCS-A",
        "category": "Cán bộ, công chức",
        "joined_on": "01/03/2010",
        "policy_group": "",
        "hardship": "không",
        "email": f"{''.join(ch for ch in card.lower() if ch.isalnum())}@example.gov.vn",
        "phone": "0912345678",
    }
    base.update(values)
    return [base[name] for name in EN]


def csv_bytes(header, rows, *, bom=True, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def members_csv(rows, header=EN, **kwargs):
    return io.BytesIO(csv_bytes(header, rows, **kwargs))


def errors_of(result):
    """``{(row, column code)}`` of a result's errors."""
    return {(error.row, error.field) for error in result.errors}


# --- Members: reading -------------------------------------------------------------------------


def test_csv_with_english_headers_creates_members_with_history(tree):
    rows = [
        row("DV1001"),
        row(
            "dv 1002",
            full_name="Lê Văn Hùng",
            gender="male",
            category="người lao động",
            policy_group="con thương binh",
            hardship="x",
            date_of_birth="1979-12-03",
            joined_on="5/1/2001",
            branch_code="cdcs-a-t1",
        ),
    ]
    result = import_members(members_csv(rows), filename="doan-vien.csv")

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged, result.total_rows) == (2, 0, 0, 2)
    assert result.written
    lan = Member.objects.get(card_number="DV1001")
    assert (lan.gender, lan.category, lan.hardship, lan.policy_group) == (
        "female",
        "civil_servant",
        False,
        "",
    )
    assert lan.date_of_birth == datetime.date(1985, 5, 17)
    assert lan.joined_on == datetime.date(2010, 3, 1)
    assert lan.branch == tree.a and lan.status == "active"
    assert lan.search_name == "nguyen thi lan"
    hung = Member.objects.get(card_number="DV1002")
    assert (hung.gender, hung.category, hung.hardship, hung.policy_group) == (
        "male",
        "worker",
        True,
        "child_of_war_invalid",
    )
    assert hung.date_of_birth == datetime.date(1979, 12, 3)
    assert hung.joined_on == datetime.date(2001, 1, 5)
    assert hung.branch == tree.a_group
    history = lan.history.get()
    assert history.history_type == "+"
    assert "doan-vien.csv" in history.history_change_reason


def test_xlsx_with_vietnamese_nfd_headers_and_date_cells(tree):
    header = [unicodedata.normalize("NFD", text.upper()) for text in VI]
    rows = [
        [
            "DV2001",
            unicodedata.normalize("NFD", "Phạm Thị Hồng Nhung"),
            unicodedata.normalize("NFD", "NỮ"),
            datetime.datetime(1990, 2, 28),
            "CDCS-A",
            unicodedata.normalize("NFD", "Viên chức"),
            datetime.date(2015, 6, 1),
            unicodedata.normalize("NFD", "Con liệt sĩ"),
            unicodedata.normalize("NFD", "Có"),
            "Nhung.PT@Example.gov.vn",
            912345678,  # a number cell: Excel dropped the leading zero
        ],
        row("DV2002", date_of_birth="3/4/1988", joined_on="2012-09-15", gender="nam"),
    ]
    result = import_members(io.BytesIO(xlsx_bytes(header, rows)), filename="DOAN-VIEN.XLSX")

    assert result.errors == []
    assert result.created == 2
    nhung = Member.objects.get(card_number="DV2001")
    assert nhung.full_name == "Phạm Thị Hồng Nhung"
    assert unicodedata.is_normalized("NFC", nhung.full_name)
    assert (nhung.gender, nhung.category, nhung.policy_group, nhung.hardship) == (
        "female",
        "public_employee",
        "child_of_martyr",
        True,
    )
    assert nhung.date_of_birth == datetime.date(1990, 2, 28)
    assert nhung.joined_on == datetime.date(2015, 6, 1)
    assert nhung.email == "nhung.pt@example.gov.vn"
    assert nhung.phone == "0912345678"
    other = Member.objects.get(card_number="DV2002")
    assert other.date_of_birth == datetime.date(1988, 4, 3)
    assert other.joined_on == datetime.date(2012, 9, 15)
    assert Member.objects.search("nhung").filter(pk=nhung.pk).exists()


def test_csv_without_bom_with_semicolons_and_optional_columns(tree):
    header = [*EN, "national_id", "Chức vụ", "Đơn vị công tác", "Ghi chú"]
    rows = [[*row("DV3001"), "001185012345", "Chuyên viên", "Vụ Tổ chức", "bỏ qua"]]
    result = import_members(
        members_csv(rows, header=header, bom=False, delimiter=";"), filename="a.csv"
    )
    assert result.errors == []
    member = Member.objects.get(card_number="DV3001")
    assert (member.national_id, member.job_title, member.work_unit) == (
        "001185012345",
        "Chuyên viên",
        "Vụ Tổ chức",
    )
    assert result.ignored_columns == ["Ghi chú"]


def test_the_template_has_vietnamese_headers_and_its_example_imports(tree):
    BranchFactory(code="CDCS01", parent=tree.root)
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx("members")))
    headers = [cell.value for cell in workbook.active[1]]
    assert headers[:3] == ["Số thẻ đoàn viên *", "Họ và tên *", "Giới tính *"]
    assert workbook.active.max_row == 2

    result = import_members(io.BytesIO(template_xlsx("members")), filename="mau.xlsx")
    assert result.errors == [] and result.created == 1

    branches = openpyxl.load_workbook(io.BytesIO(template_xlsx("branches"))).active
    assert [cell.value for cell in branches[1]][:4] == ["Mã *", "Tên *", "Mã cấp trên *", "Cấp *"]


# --- Members: all or nothing, every error named ------------------------------------------------

FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"date_of_birth": "31/02/1985"}, "date_of_birth"),
        ({"date_of_birth": "17 tháng 5"}, "date_of_birth"),
        ({"joined_on": "2010/13/01"}, "joined_on"),
        ({"date_of_birth": FUTURE, "joined_on": ""}, "date_of_birth"),
        ({"date_of_birth": "01/01/1990", "joined_on": "01/01/1980"}, "joined_on"),
        ({"branch_code": "KHONG-CO"}, "branch_code"),
        ({"gender": "khác"}, "gender"),
        ({"category": "hưu trí"}, "category"),
        ({"policy_group": "anh hùng"}, "policy_group"),
        ({"hardship": "có lẽ"}, "hardship"),
        ({"email": "khong-phai-email"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"card_number": ""}, "card_number"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(tree, values, column):
    rows = [row("DV4001"), row("DV4002", **values), row("DV4003")]
    result = import_members(members_csv(rows), filename="loi.csv")

    assert errors_of(result) == {(3, column)}
    assert result.errors[0].column == column  # as written in the file's header
    assert not result.written
    assert not Member.objects.filter(card_number__startswith="DV400").exists()


def test_bad_national_id_and_vietnamese_column_names_in_errors(tree):
    header = [*VI, "Số CCCD"]
    rows = [[*row("DV4101"), "12345"], [*row("DV4102"), "001185012345"]]
    result = import_members(members_csv(rows, header=header), filename="cccd.csv")
    assert errors_of(result) == {(2, "national_id")}
    assert result.errors[0].column == "Số CCCD"
    assert str(result.errors[0]) == (
        "Dòng 2, cột Số CCCD: Số định danh cá nhân (CCCD) gồm 9 hoặc 12 chữ số."
    )


def test_duplicate_card_in_the_file_is_an_error_on_the_second_row(tree):
    rows = [row("DV4201"), row("DV4202"), row("dv-4201", full_name="Người Khác")]
    result = import_members(members_csv(rows), filename="trung.csv")
    assert errors_of(result) == {(4, "card_number")}
    assert "dòng 2" in result.errors[0].message
    assert not Member.objects.filter(card_number__startswith="DV42").exists()


def test_every_error_of_the_file_is_collected(tree):
    rows = [
        row("DV4301", date_of_birth="không rõ"),
        row("DV4302", gender="?", branch_code="XYZ"),
        row("DV4303"),
        row("DV4301"),
    ]
    result = import_members(members_csv(rows), filename="nhieu-loi.csv")
    assert errors_of(result) == {
        (2, "date_of_birth"),
        (3, "gender"),
        (3, "branch_code"),
        (5, "card_number"),
    }
    assert [error.row for error in result.errors] == sorted(error.row for error in result.errors)
    assert Member.objects.filter(card_number__startswith="DV43").count() == 0


def test_missing_required_columns_is_a_file_error_naming_them(tree):
    header = ["card_number", "full_name", "date_of_birth"]
    result = import_members(
        members_csv([["DV1", "A", "01/01/1990"]], header=header), filename="x.csv"
    )
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.row is None
    for name in ("gender", "branch_code", "category", "Giới tính", "Mã công đoàn", "Đối tượng"):
        assert name in error.message
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "empty.csv"),
        ("card_number,full_name\n".encode("utf-16"), "utf16.csv"),
        (b"not a zip", "broken.xlsx"),
        (b"a,b\n1,2\n", "data.txt"),
    ],
)
def test_unreadable_files_are_one_file_error(tree, content, filename):
    result = import_members(io.BytesIO(content), filename=filename)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert not result.written


# --- Members: idempotence, updates, transfers ----------------------------------------------


def test_reimporting_the_same_file_changes_nothing(tree):
    content = xlsx_bytes(VI, [row("DV5001"), row("DV5002", hardship="có")])
    first = import_members(io.BytesIO(content), filename="a.xlsx")
    assert (first.created, first.updated) == (2, 0)
    history = Member.history.count()
    stamps = list(Member.objects.order_by("pk").values_list("updated_at", flat=True))

    second = import_members(io.BytesIO(content), filename="a.xlsx")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert second.errors == []
    assert Member.history.count() == history
    assert list(Member.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_value_updates_the_member_and_keeps_who_did_it(tree, officer_a):
    member = MemberFactory(
        card_number="DV5101",
        full_name="Nguyễn Thị Lan",
        gender="female",
        date_of_birth=datetime.date(1985, 5, 17),
        joined_on=datetime.date(2010, 3, 1),
        branch=tree.a,
        email="dv5101@example.gov.vn",
        phone="0912345678",
    )
    result = import_members(
        members_csv([row("DV5101", phone="0987654321", full_name="Nguyễn Thị Lan Anh")]),
        filename="sua.csv",
        user=officer_a,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    member.refresh_from_db()
    assert member.phone == "0987654321"
    assert member.full_name == "Nguyễn Thị Lan Anh"
    assert member.search_name == "nguyen thi lan anh"
    last = member.history.latest()
    assert last.history_type == "~" and last.history_user == officer_a
    assert last.phone == "0987654321"


def test_a_new_branch_in_the_file_records_a_transfer(tree, ministry_officer):
    member = MemberFactory(card_number="DV5201", branch=tree.a)
    rows = [
        row(
            "DV5201",
            full_name=member.full_name,
            gender="Nam",
            branch_code="CDCS-B",
            email=member.email,
        )
    ]
    result = import_members(members_csv(rows), filename="chuyen.csv", user=ministry_officer)
    assert result.updated == 1, result.errors
    member.refresh_from_db()
    assert member.branch == tree.b
    transfer = Transfer.objects.get(member=member)
    assert (transfer.from_branch, transfer.to_branch) == (tree.a, tree.b)
    assert transfer.recorded_by == ministry_officer


def test_dry_run_counts_but_writes_nothing(tree):
    MemberFactory(card_number="DV5301", branch=tree.a)
    result = import_members(
        members_csv([row("DV5301"), row("DV5302")]), filename="thu.csv", dry_run=True
    )
    assert result.errors == []
    assert (result.created, result.updated, result.dry_run, result.written) == (1, 1, True, False)
    assert not Member.objects.filter(card_number="DV5302").exists()


def test_progress_is_reported(tree):
    calls = []
    import_members(
        members_csv([row(f"DV54{n:02d}") for n in range(5)]),
        filename="p.csv",
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )
    assert ("validated", 5, 5) in calls and ("written", 5, 5) in calls


# --- Members: scope ---------------------------------------------------------------------------


def test_an_officer_cannot_import_into_or_take_members_from_another_branch(tree):
    scope_a = set(Branch.objects.subtree(tree.a).values_list("pk", flat=True))
    MemberFactory(card_number="DV6001", branch=tree.b)
    rows = [
        row("DV6002", branch_code="CDCS-A-T1"),
        row("DV6003", branch_code="CDCS-B"),
        row("DV6001", branch_code="CDCS-A"),
    ]
    result = import_members(members_csv(rows), filename="pham-vi.csv", allowed_branch_ids=scope_a)
    assert errors_of(result) == {(3, "branch_code"), (4, "card_number")}
    assert Member.objects.get(card_number="DV6001").branch == tree.b
    assert not Member.objects.filter(card_number__in=["DV6002", "DV6003"]).exists()


# --- Members: cost ----------------------------------------------------------------------------


def _queries_for(count, prefix):
    rows = [row(f"{prefix}{n:05d}", full_name=f"Đoàn Viên {n}") for n in range(count)]
    content = csv_bytes(EN, rows)
    with CaptureQueriesContext(connection) as queries:
        result = import_members(io.BytesIO(content), filename="nhieu.csv")
    assert result.created == count, result.errors[:3]
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(tree, django_assert_max_num_queries):
    few = _queries_for(30, "DVA")
    with django_assert_max_num_queries(30):
        rows = [row(f"DVB{n:05d}", full_name=f"Đoàn Viên {n}") for n in range(300)]
        result = import_members(io.BytesIO(csv_bytes(EN, rows)), filename="nhieu.csv")
    assert result.created == 300
    assert _queries_for(300, "DVC") == few
    # Updating 300 members costs no more than creating them.
    rows = [row(f"DVC{n:05d}", full_name=f"Đoàn Viên {n}", phone="0900000000") for n in range(300)]
    with django_assert_max_num_queries(30):
        result = import_members(io.BytesIO(csv_bytes(EN, rows)), filename="nhieu.csv")
    assert result.updated == 300


# --- Branches ---------------------------------------------------------------------------------


def branches_csv(rows, header=BRANCH_EN):
    return io.BytesIO(csv_bytes(header, rows))


def test_branches_with_parents_later_in_the_file(tree):
    rows = [
        ["CDCS-C-T1", "Tổ công đoàn Một", "CDCS-C-BP", "Tổ công đoàn"],
        ["CDCS-C-BP", "Công đoàn bộ phận Kế toán", "CDCS-C", "công đoàn bộ phận"],
        ["CDCS-C", unicodedata.normalize("NFD", "Công đoàn Vụ Pháp chế"), "CDBNV", "CĐCS"],
    ]
    result = import_branches(
        io.BytesIO(xlsx_bytes(BRANCH_VI, rows)), filename="cong-doan.xlsx", dry_run=False
    )
    assert result.errors == []
    assert result.created == 3
    c = Branch.objects.get(code="CDCS-C")
    assert (c.parent, c.level, c.name) == (tree.root, "grassroots", "Công đoàn Vụ Pháp chế")
    division = Branch.objects.get(code="CDCS-C-BP")
    assert (division.parent, division.level) == (c, "division")
    assert Branch.objects.get(code="CDCS-C-T1").parent == division
    assert Branch.history.filter(code="CDCS-C").count() == 1

    again = import_branches(io.BytesIO(xlsx_bytes(BRANCH_VI, rows)), filename="cong-doan.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_branch_update_moves_and_renames(tree):
    rows = [
        ["CDCS-A-T1", "Tổ công đoàn Tổng hợp", "CDCS-B", "group"],
        ["CDCS-B", "Công đoàn Vụ Tổ chức cán bộ", "CDBNV", "grassroots"],
    ]
    result = import_branches(branches_csv(rows), filename="b.csv")
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    group = Branch.objects.get(code="CDCS-A-T1")
    assert (group.name, group.parent) == ("Tổ công đoàn Tổng hợp", tree.b)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # A grassroots union under a group.
        ([["CDCS-X", "Công đoàn X", "CDCS-A-T1", "grassroots"]], {(2, "level")}),
        # A second ministry union.
        ([["CDBXD", "Công đoàn Bộ Xây dựng", "", "Công đoàn Bộ"]], {(2, "level")}),
        # The ministry union with a parent; a branch without one.
        ([["CDBNV", "Công đoàn Bộ Nội vụ", "CDCS-A", "ministry"]], {(2, "parent_code")}),
        ([["CDCS-Y", "Công đoàn Y", "", "grassroots"]], {(2, "parent_code")}),
        # An unknown parent and an unknown level.
        ([["CDCS-Z", "Công đoàn Z", "KHONG-CO", "grassroots"]], {(2, "parent_code")}),
        ([["CDCS-Z", "Công đoàn Z", "CDBNV", "cấp tỉnh"]], {(2, "level")}),
        # Groups may nest, but not in a cycle.
        (
            [
                ["T-1", "Tổ 1", "T-2", "group"],
                ["T-2", "Tổ 2", "T-1", "group"],
            ],
            {(2, "parent_code"), (3, "parent_code")},
        ),
        # A made a group under its own group: a cycle.
        ([["CDCS-A", "Công đoàn Văn phòng Bộ", "CDCS-A-T1", "group"]], {(2, "parent_code")}),
        # A may become a division: its group still fits under it.
        ([["CDCS-A", "Công đoàn Văn phòng Bộ", "CDBNV", "division"]], set()),
        # Duplicate code in the file.
        (
            [
                ["CDCS-Q", "Công đoàn Q", "CDBNV", "grassroots"],
                ["cdcs-q", "Công đoàn Q2", "CDBNV", "grassroots"],
            ],
            {(3, "code")},
        ),
    ],
)
def test_branch_rules_are_row_errors(tree, rows, expected):
    before = Branch.history.count()
    result = import_branches(branches_csv(rows), filename="b.csv")
    assert errors_of(result) == expected
    if expected:
        assert Branch.history.count() == before


def test_a_branch_cannot_become_a_level_its_children_do_not_fit_under(tree):
    BranchFactory(code="CDCS-A-BP", level="division", parent=tree.a)
    rows = [["CDCS-A", "Công đoàn Văn phòng Bộ", "CDBNV", "division"]]
    result = import_branches(branches_csv(rows), filename="b.csv")
    assert errors_of(result) == {(2, "level")}
    assert Branch.objects.get(code="CDCS-A").level == "grassroots"


def test_the_first_ministry_union_can_be_imported_into_an_empty_database(db):
    rows = [
        ["CDCS-1", "Công đoàn cơ sở 1", "CDBNV", "grassroots"],
        ["CDBNV", "Công đoàn Bộ Nội vụ", "", "ministry"],
    ]
    result = import_branches(branches_csv(rows), filename="b.csv")
    assert result.errors == [] and result.created == 2
    assert Branch.objects.get(code="CDCS-1").parent.code == "CDBNV"


# --- The command ------------------------------------------------------------------------------


def test_command_imports_and_dry_run_writes_nothing(tree, tmp_path):
    path = tmp_path / "doan-vien.xlsx"
    path.write_bytes(xlsx_bytes(VI, [row("DV7001"), row("DV7002")]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_data", "members", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Member.objects.filter(card_number__startswith="DV70").exists()

    out = io.StringIO()
    with translation.override("en"):
        call_command("import_data", "members", str(path), stdout=out)
    assert "2 created" in out.getvalue()
    assert Member.objects.filter(card_number__startswith="DV70").count() == 2


def test_command_prints_errors_and_fails(tree, tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_bytes(VI, [row("DV7101"), row("DV7102", date_of_birth="30/02/1990")]))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 errors"):
        call_command("import_data", "members", str(path), stdout=io.StringIO(), stderr=err)
    assert "Row 3, column Ngày sinh: 30/02/1990 is not a real date." in err.getvalue()
    assert not Member.objects.filter(card_number__startswith="DV71").exists()


def test_command_imports_branches_and_reports_progress(tree, tmp_path, monkeypatch):
    monkeypatch.setattr("portal.management.commands.import_data.PROGRESS_EVERY", 1)
    path = tmp_path / "cong-doan.csv"
    path.write_bytes(csv_bytes(BRANCH_EN, [["CDCS-M", "Công đoàn M", "CDBNV", "grassroots"]]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_data", "branches", str(path), stdout=out)
    assert "Checked 1 of 1 rows." in out.getvalue()
    assert Branch.objects.filter(code="CDCS-M", parent=tree.root).exists()


def test_command_rejects_a_missing_file_and_an_unknown_kind(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_data", "members", str(tmp_path / "khong-co.csv"))
    with pytest.raises(CommandError):
        call_command("import_data", "cats", str(tmp_path / "khong-co.csv"))


# --- The pages --------------------------------------------------------------------------------

START = "/can-bo/nhap-du-lieu/"


def upload(client, content, name, kind="members"):
    return client.post(START, {"kind": kind, "file": _named(content, name)})


def _named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _pending_files():
    storage = storages["private"]
    try:
        return storage.listdir("imports")[1]
    except FileNotFoundError:
        return []


def test_officer_uploads_previews_and_confirms(client_for, tree, officer_a):
    client = client_for(officer_a)
    page = client.get(START)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'value="branches"' not in html  # branches are for ministry-level officers

    content = xlsx_bytes(VI, [row("DV8001"), row("DV8002", branch_code="CDCS-A-T1")])
    response = upload(client, content, "doan-vien.xlsx")
    assert response.status_code == 302
    preview_url = response["Location"]
    assert len(_pending_files()) == 1

    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert 'data-count="created">2<' in preview.content.decode()
    assert not Member.objects.filter(card_number__startswith="DV80").exists()

    done = client.post(preview_url + "xac-nhan/")
    assert done.status_code == 302 and done["Location"] == START + "xong/"
    assert Member.objects.filter(card_number__startswith="DV80").count() == 2
    assert Member.history.filter(card_number="DV8001").get().history_user == officer_a
    assert _pending_files() == []
    assert 'data-count="created">2<' in client.get(done["Location"]).content.decode()
    # The token is spent.
    assert client.get(preview_url).status_code == 404


def test_preview_lists_row_errors_and_offers_no_confirmation(client_for, tree, officer_a):
    client = client_for(officer_a)
    content = csv_bytes(VI, [row("DV8101"), row("DV8102", branch_code="CDCS-B")])
    preview_url = upload(client, content, "doan-vien.csv")["Location"]
    html = client.get(preview_url).content.decode()
    assert "<caption>" in html
    assert "<td>3</td>" in html and "<td>Mã công đoàn</td>" in html
    assert "xac-nhan" not in html
    # Confirming anyway writes nothing.
    response = client.post(preview_url + "xac-nhan/")
    assert response.status_code == 200
    assert not Member.objects.filter(card_number__startswith="DV81").exists()
    errors = client.get(preview_url + "loi.csv")
    assert errors["Content-Type"].startswith("text/csv")
    assert "Mã công đoàn" in b"".join(errors.streaming_content).decode()


def test_officer_b_cannot_touch_members_of_a(client_for, tree, officer_b):
    MemberFactory(card_number="DV8201", branch=tree.a, phone="0911111111")
    client = client_for(officer_b)
    content = csv_bytes(EN, [row("DV8201", branch_code="CDCS-B", phone="0922222222")])
    preview_url = upload(client, content, "b.csv")["Location"]
    html = client.get(preview_url).content.decode()
    assert "<td>2</td>" in html and "<td>card_number</td>" in html
    client.post(preview_url + "xac-nhan/")
    assert Member.objects.get(card_number="DV8201").phone == "0911111111"


def test_another_officer_cannot_use_a_token(client, tree, officer_a, officer_b):
    client.force_login(officer_a)
    preview_url = upload(client, csv_bytes(EN, [row("DV8301")]), "a.csv")["Location"]
    client.force_login(officer_b)
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url + "xac-nhan/").status_code == 404
    assert not Member.objects.filter(card_number="DV8301").exists()


def test_cancel_deletes_the_waiting_file(client_for, tree, officer_a):
    client = client_for(officer_a)
    preview_url = upload(client, csv_bytes(EN, [row("DV8401")]), "a.csv")["Location"]
    assert len(_pending_files()) == 1
    response = client.post(preview_url + "huy/")
    assert response.status_code == 302
    assert _pending_files() == []
    assert not Member.objects.filter(card_number="DV8401").exists()


def test_upload_rejects_other_types_and_kinds(client_for, tree, officer_a):
    client = client_for(officer_a)
    response = upload(client, b"a,b\n", "notes.txt")
    assert response.status_code == 200 and _pending_files() == []
    response = upload(client, csv_bytes(BRANCH_EN, []), "b.csv", kind="branches")
    assert response.status_code == 200 and _pending_files() == []
    assert client.get(START + "mau/branches.xlsx").status_code == 404


def test_ministry_officer_imports_branches_through_the_pages(client_for, tree, ministry_officer):
    client = client_for(ministry_officer)
    assert 'value="branches"' in client.get(START).content.decode()
    content = csv_bytes(BRANCH_VI, [["CDCS-N", "Công đoàn N", "CDBNV", "Công đoàn cơ sở"]])
    preview_url = upload(client, content, "cd.csv", kind="branches")["Location"]
    assert client.get(preview_url).status_code == 200
    assert client.post(preview_url + "xac-nhan/").status_code == 302
    assert Branch.objects.get(code="CDCS-N").parent == tree.root


def test_template_download_is_an_xlsx(client_for, tree, officer_a):
    response = client_for(officer_a).get(START + "mau/members.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Số thẻ đoàn viên *"


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_non_officers_get_404(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(START).status_code == 404
    assert client.get(START + "mau/members.xlsx").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, tree):
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_upload_over_the_size_limit_is_refused(client_for, tree, officer_a, monkeypatch):
    monkeypatch.setattr("unions.views_import.MAX_UPLOAD_SIZE", 100)
    response = upload(client_for(officer_a), csv_bytes(EN, [row("DV8501")] * 5), "a.csv")
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert _pending_files() == []


def test_preview_cost_does_not_grow_with_rows(
    client_for, tree, officer_a, django_assert_max_num_queries
):
    client = client_for(officer_a)
    rows = [row(f"DV86{n:04d}", full_name=f"Đoàn Viên {n}") for n in range(300)]
    preview_url = upload(client, csv_bytes(EN, rows), "nhieu.csv")["Location"]
    with django_assert_max_num_queries(20):
        response = client.get(preview_url)
    assert 'data-count="created">300<' in response.content.decode()
    with django_assert_max_num_queries(30):
        assert client.post(preview_url + "xac-nhan/").status_code == 302
    assert Member.objects.filter(card_number__startswith="DV86").count() == 300


def fake_importer(
    file, *, filename, dry_run=False, user=None, allowed_branch_ids=None, progress=None
):
    from unions.imports import ImportResult

    return ImportResult(kind="aid", dry_run=dry_run, filename=filename, total_rows=1, created=1)


def test_other_apps_register_their_importers_for_the_command(tmp_path, monkeypatch):
    from portal import importers

    monkeypatch.setitem(importers.IMPORTERS, "aid", "tests.unions.test_imports.fake_importer")
    path = tmp_path / "tro-cap.csv"
    path.write_bytes(b"program_code\nTET2020\n")
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_data", "aid", str(path), stdout=out)
    assert "1 created" in out.getvalue()


def test_repeated_columns_and_noted_headers(tree):
    header = [*EN, "Thư điện tử"]
    result = import_members(
        members_csv([[*row("DV8701"), "x@example.gov.vn"]], header=header), filename="a.csv"
    )
    assert errors_of(result) == {(1, "email")}

    header = [f"{name} (bắt buộc)" if name == "Ngày sinh" else name for name in VI]
    result = import_members(members_csv([row("DV8702")], header=header), filename="a.csv")
    assert result.errors == [] and result.created == 1


def test_a_row_reports_each_of_its_errors(tree):
    rows = [row("DV8801", gender="?", date_of_birth=FUTURE, joined_on="", email="sai")]
    result = import_members(members_csv(rows), filename="a.csv")
    assert errors_of(result) == {(2, "gender"), (2, "date_of_birth"), (2, "email")}
    assert [error.field for error in result.errors] == ["gender", "date_of_birth", "email"]
