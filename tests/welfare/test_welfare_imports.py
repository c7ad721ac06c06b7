"""Importing aid records and campaign contributions: the services and ``import_data``."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from portal import importers
from tests.factories import CampaignFactory, MemberFactory, ProgramFactory
from welfare.imports import import_aid, import_contributions, parse_whole
from welfare.models import AidProgram, AidRecord, Campaign, Contribution

pytestmark = pytest.mark.django_db

AID_EN = [
    "program_code",
    "program_name",
    "kind",
    "date",
    "card_number",
    "branch_code",
    "amount_vnd",
    "item",
    "quantity",
    "unit",
    "value_vnd",
    "note",
]
AID_VI = [
    "Mã chương trình",
    "Tên chương trình",
    "Loại hỗ trợ",
    "Ngày",
    "Số thẻ đoàn viên",
    "Mã công đoàn",
    "Số tiền (đồng)",
    "Hiện vật",
    "Số lượng",
    "Đơn vị tính",
    "Trị giá hiện vật (đồng)",
    "Ghi chú",
]
CON_EN = [
    "campaign_code",
    "campaign_name",
    "direction",
    "date",
    "card_number",
    "branch_code",
    "party",
    "amount_vnd",
    "item",
    "quantity",
    "unit",
    "value_vnd",
    "channel",
    "note",
]
CON_VI = [
    "Mã cuộc vận động",
    "Tên cuộc vận động",
    "Thu/chi",
    "Ngày",
    "Số thẻ đoàn viên",
    "Mã công đoàn",
    "Đơn vị, cá nhân ngoài",
    "Số tiền (đồng)",
    "Hiện vật",
    "Số lượng",
    "Đơn vị tính",
    "Trị giá hiện vật (đồng)",
    "Hình thức nộp",
    "Ghi chú",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(tree):
    """Three active members of A's group and one of B."""
    members = [
        MemberFactory(branch=tree.a_group, card_number=f"DV10{n}", full_name=f"Nguyễn Văn {n}")
        for n in range(3)
    ]
    members.append(MemberFactory(branch=tree.b, card_number="DV200", full_name="Lê Thị B"))
    return members


def csv_file(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(("\ufeff" + buffer.getvalue()).encode())


def xlsx_file(header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def aid_row(**values):
    base = dict.fromkeys(AID_EN, "")
    base.update(
        program_code="TET2020",
        program_name="Quà Tết Canh Tý 2020",
        kind="Quà Tết",
        date="15/01/2020",
        amount_vnd="1.000.000",
    )
    base.update(values)
    return [base[name] for name in AID_EN]


def con_row(**values):
    base = dict.fromkeys(CON_EN, "")
    base.update(
        campaign_code="VD-COVID",
        campaign_name="Chung tay phòng, chống dịch Covid-19",
        direction="ủng hộ",
        date="2020-04-10",
        amount_vnd="500000",
        channel="tiền mặt",
    )
    base.update(values)
    return [base[name] for name in CON_EN]


def where(result):
    return {(error.row, error.field) for error in result.errors}


def test_both_importers_are_registered():
    assert importers.IMPORTERS["aid"] == "welfare.imports.import_aid"
    assert importers.IMPORTERS["contributions"] == "welfare.imports.import_contributions"
    assert importers.get_importer("aid") is import_aid


def test_parse_whole():
    assert parse_whole("30.000.000") == 30_000_000
    assert parse_whole("30,000,000 ₫") == 30_000_000
    assert parse_whole("11 200") == 11_200
    assert parse_whole(11200.0) == 11_200
    assert parse_whole("", blank=0) == 0
    for bad in ("2,5", "2.5", "1.0000", "abc", 2.5):
        with pytest.raises(ValueError):
            parse_whole(bad)
    with pytest.raises(ValueError, match="negative"):
        parse_whole("-5")


# --- Aid ---------------------------------------------------------------------------------------


def test_aid_csv_creates_paid_records_and_reimport_changes_nothing(tree, people):
    program = ProgramFactory(code="TET2020", branch=tree.root, budget_vnd=None)
    rows = [aid_row(card_number=m.card_number) for m in people]
    result = import_aid(csv_file(AID_EN, rows), filename="tet.csv")
    assert result.ok, result.errors
    assert (result.created, result.unchanged, result.written) == (4, 0, True)
    records = AidRecord.objects.filter(program=program)
    assert records.count() == 4
    assert set(records.values_list("status", flat=True)) == {"paid"}
    assert {r.branch_id for r in records} == {tree.a_group.pk, tree.b.pk}
    assert all(r.history.count() == 1 for r in records)

    again = import_aid(csv_file(AID_EN, rows), filename="tet.csv")
    assert again.ok and (again.created, again.unchanged) == (0, 4)
    assert AidRecord.objects.count() == 4


def test_aid_xlsx_with_vietnamese_headers_creates_the_programme(tree, people):
    covid = {"program_code": "COVID-2020", "program_name": "", "kind": ""}
    rows = [
        aid_row(**{**covid, "program_name": "Hỗ trợ Covid-19", "kind": "Dịch bệnh"},
                date=datetime.date(2020, 4, 2), card_number="DV100", amount_vnd=2_000_000),
        aid_row(**covid, date="20/05/2020", card_number="DV101", amount_vnd=2000000.0),
        # Collective gifts to a whole branch: no card number.
        aid_row(**covid, date="20/05/2020", branch_code="CDCS-A", item="Khẩu trang vải kháng khuẩn",
                amount_vnd=None, quantity=11200, unit="chiếc", value_vnd=0, note="Phát cho CĐCS"),
        aid_row(**covid, date="20/05/2020", branch_code="CDCS-B", item="Khẩu trang y tế",
                amount_vnd="", quantity="2.500", unit="chiếc"),
    ]  # fmt: skip
    result = import_aid(xlsx_file(AID_VI, rows), filename="covid.xlsx")
    assert result.ok, result.errors
    assert result.created == 4
    program = AidProgram.objects.get(code="COVID-2020")
    assert (program.name, program.kind, program.branch) == (
        "Hỗ trợ Covid-19",
        "epidemic",
        tree.root,
    )
    assert (program.starts_on, program.ends_on) == (
        datetime.date(2020, 4, 2),
        datetime.date(2020, 5, 20),
    )
    assert program.budget_vnd is None and program.history.count() == 1
    masks = AidRecord.objects.get(item="Khẩu trang vải kháng khuẩn")
    assert masks.member is None and masks.branch == tree.a
    assert (masks.quantity, masks.unit, masks.amount_vnd, masks.status) == (
        11200,
        "chiếc",
        0,
        "paid",
    )
    assert AidRecord.objects.get(item="Khẩu trang y tế").quantity == 2500
    assert sum(AidRecord.objects.values_list("amount_vnd", flat=True)) == 4_000_000

    again = import_aid(xlsx_file(AID_VI, rows), filename="covid.xlsx")
    assert (again.created, again.unchanged) == (0, 4)
    assert AidProgram.objects.count() == 1 and AidRecord.objects.count() == 4


def test_aid_one_bad_row_writes_nothing_and_names_row_and_column(tree, people):
    ProgramFactory(code="TET2020", branch=tree.a, budget_vnd=None)
    rows = [
        aid_row(card_number="DV100"),
        aid_row(card_number="DV999"),  # row 3: nobody has this card
        aid_row(card_number="DV101", amount_vnd="hai triệu"),  # row 4
        aid_row(card_number="DV200"),  # row 5: a member of B, outside the programme's branch
        aid_row(card_number="", branch_code=""),  # row 6: neither member nor branch
        aid_row(card_number="DV102", date="31/02/2020"),  # row 7: no such date
        aid_row(card_number="DV102", date="15/01/2021"),  # row 8: outside the period
        aid_row(card_number="DV102", item="Gạo", amount_vnd=""),  # row 9: goods, no quantity
    ]
    result = import_aid(csv_file(AID_EN, rows), filename="tet.csv")
    assert not result.ok and not result.written
    assert where(result) == {
        (3, "card_number"),
        (4, "amount_vnd"),
        (5, "card_number"),
        (6, "branch_code"),
        (7, "date"),
        (8, "date"),
        (9, "amount_vnd"),  # as the service says: neither cash nor goods with a quantity
        (9, "quantity"),
    }
    assert str(result.errors[0]).startswith("Row 3, column card_number:")
    assert AidRecord.objects.count() == 0


def test_aid_rules_of_the_service(tree, people):
    ProgramFactory(
        code="KK2020",
        kind="hardship",
        branch=tree.a,
        budget_vnd=3_000_000,
        cap_per_person_vnd=2_000_000,
        is_open=False,  # a closed programme still takes history
    )
    gone = MemberFactory(branch=tree.a, card_number="DV300", status="retired")
    gone.status_changed_on = datetime.date(2020, 3, 1)
    gone.save()
    left_early = MemberFactory(branch=tree.a, card_number="DV301", status="left")
    left_early.status_changed_on = datetime.date(2019, 12, 1)
    left_early.save()
    rows = [
        aid_row(program_code="KK2020", kind="", card_number="DV100", amount_vnd="2.000.000"),
        aid_row(program_code="KK2020", kind="", card_number="DV101", amount_vnd="2.500.000"),
        aid_row(program_code="KK2020", kind="", card_number="DV300", amount_vnd="1.000.000"),
        aid_row(program_code="KK2020", kind="", card_number="DV301", amount_vnd="500.000"),
        aid_row(program_code="KK2020", kind="Quà Tết", card_number="DV102", amount_vnd="1"),
    ]
    result = import_aid(csv_file(AID_EN, rows), filename="kk.csv")
    # Row 3: over the cap; row 5: retired after the date is fine, left before is not; row 6: the
    # programme is of another kind. Budget: 2 + 1 (+0.5 refused) fits 3 million.
    assert where(result) == {(3, "amount_vnd"), (5, "card_number"), (6, "kind")}

    ok_rows = [rows[0], rows[2], aid_row(program_code="KK2020", kind="", card_number="DV102")]
    result = import_aid(csv_file(AID_EN, ok_rows), filename="kk.csv")
    assert where(result) == {(4, "amount_vnd")}  # over the budget: 0 left, 1.000.000 asked
    assert "Over the programme's budget" in result.errors[0].message

    result = import_aid(csv_file(AID_EN, ok_rows[:2]), filename="kk.csv")
    assert result.ok and result.created == 2


def test_aid_status_column_and_second_records(tree, people):
    ProgramFactory(code="TET2020", branch=tree.a, budget_vnd=1_000_000)
    header = [*AID_EN, "status"]
    rows = [
        [*aid_row(card_number="DV100", amount_vnd="900000"), "Đã chi"],
        [*aid_row(card_number="DV100", amount_vnd="800000", date="16/01/2020"), "Đề xuất"],
    ]
    result = import_aid(csv_file(header, rows), filename="tet.csv")
    assert result.ok, result.errors
    first, second = AidRecord.objects.order_by("date")
    assert (first.status, second.status) == ("paid", "proposed")  # proposed: not in the budget
    assert second.duplicate_confirmed and not first.duplicate_confirmed


def test_aid_scope_of_an_officer_import(tree, people, officer_a):
    ProgramFactory(code="TET2020", branch=tree.a, budget_vnd=None)
    allowed = {tree.a.pk, tree.a_group.pk}
    rows = [aid_row(card_number="DV100"), aid_row(program_code="MOI", card_number="DV101")]
    result = import_aid(
        csv_file(AID_EN, rows), filename="x.csv", user=officer_a, allowed_branch_ids=allowed
    )
    assert where(result) == {(3, "program_code")}  # a new programme would belong to the root
    result = import_aid(
        csv_file(AID_EN, rows[:1]), filename="x.csv", user=officer_a, allowed_branch_ids=allowed
    )
    assert result.ok
    record = AidRecord.objects.get()
    assert record.created_by == officer_a and record.paid_by == officer_a
    assert record.history.get().history_user == officer_a


def test_aid_missing_columns_and_new_programme_without_name(tree, people):
    result = import_aid(
        csv_file(["program_code", "card_number"], [["X", "DV100"]]), filename="a.csv"
    )
    assert not result.ok and result.errors[0].row is None
    result = import_aid(
        csv_file(AID_EN, [aid_row(program_name="", kind="", card_number="DV100")]), filename="a.csv"
    )
    assert where(result) == {(2, "program_name"), (2, "kind")}


def test_command_aid_dry_run_writes_nothing(tree, people, tmp_path, capsys):
    path = tmp_path / "ho-tro.csv"
    path.write_bytes(csv_file(AID_EN, [aid_row(card_number="DV100")]).getvalue())
    call_command("import_data", "aid", str(path), "--dry-run")
    assert AidRecord.objects.count() == 0 and AidProgram.objects.count() == 0
    call_command("import_data", "aid", str(path))
    assert AidRecord.objects.count() == 1
    bad = tmp_path / "loi.csv"
    bad.write_bytes(csv_file(AID_EN, [aid_row(card_number="DV999")]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_data", "aid", str(bad))
    assert "DV999" in capsys.readouterr().err


# --- Contributions -----------------------------------------------------------------------------


def test_contributions_csv_vietnamese_words_create_the_campaign(tree, people):
    rows = [
        con_row(card_number="DV100", amount_vnd="200.000"),
        con_row(branch_code="CDCS-A", amount_vnd="50.000.000", channel="chuyển khoản"),
        con_row(party="Nhà hảo tâm", amount_vnd="20000", channel="tin nhắn"),
        con_row(party="Nhà hảo tâm", amount_vnd="20000", channel="tin nhắn"),  # a second SMS
        con_row(
            direction="chi",
            party="Cây ATM gạo quận Cầu Giấy",
            amount_vnd="",
            item="Gạo",
            quantity="2.000",
            unit="kg",
            value_vnd="30.000.000",
            channel="khác",
        ),
    ]
    result = import_contributions(csv_file(CON_EN, rows), filename="vd.csv")
    assert result.ok, result.errors
    assert result.created == 5
    campaign = Campaign.objects.get()
    assert (campaign.code, campaign.branch, campaign.is_public) == ("VD-COVID", tree.root, False)
    assert campaign.slug == "chung-tay-phong-chong-dich-covid-19"
    assert campaign.starts_on == datetime.date(2020, 4, 10)
    by_member = Contribution.objects.get(member__card_number="DV100")
    assert by_member.branch == tree.a_group and by_member.direction == "in"
    assert Contribution.objects.get(branch=tree.a, member=None).channel == "bank"
    assert Contribution.objects.filter(channel="sms").count() == 2
    rice = Contribution.objects.get(direction="out")
    assert (rice.quantity, rice.value_vnd, rice.channel) == (2000, 30_000_000, "other")

    again = import_contributions(csv_file(CON_EN, rows), filename="vd.csv")
    assert again.ok and (again.created, again.unchanged) == (0, 5)
    assert Contribution.objects.count() == 5 and Campaign.objects.count() == 1


def test_contributions_xlsx_vietnamese_headers_into_an_existing_campaign(tree, people):
    campaign = CampaignFactory(code="VD-A", branch=tree.a, is_public=True)
    rows = [
        con_row(campaign_code="vd-a", campaign_name="", direction="Vào",
                date=datetime.date(2020, 4, 1), card_number="DV101", amount_vnd=300000),
        con_row(campaign_code="VD-A", campaign_name="", direction="Ra", date="02/04/2020",
                branch_code="CDCS-A-T1", amount_vnd=100000, channel=""),
    ]  # fmt: skip
    result = import_contributions(xlsx_file(CON_VI, rows), filename="vd.xlsx")
    assert result.ok, result.errors
    assert campaign.contributions.count() == 2
    assert campaign.contributions.get(direction="out").branch == tree.a_group
    again = import_contributions(xlsx_file(CON_VI, rows), filename="vd.xlsx")
    assert (again.created, again.unchanged) == (0, 2)


def test_contributions_one_bad_row_writes_nothing(tree, people):
    CampaignFactory(code="VD-A", branch=tree.a)
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    rows = [
        con_row(campaign_code="VD-A", card_number="DV100"),
        con_row(campaign_code="VD-A", card_number="DV200"),  # row 3: a member of B
        con_row(campaign_code="VD-A", direction="maybe", party="X"),  # row 4
        con_row(campaign_code="VD-A", party="X", channel="bồ câu"),  # row 5
        con_row(campaign_code="VD-A"),  # row 6: from nobody
        con_row(campaign_code="VD-A", party="X", amount_vnd="0"),  # row 7: nothing given
        con_row(campaign_code="VD-A", party="X", date=future),  # row 8
        con_row(campaign_code="VD-A", branch_code="CDCS-B"),  # row 9: outside the campaign
    ]
    result = import_contributions(csv_file(CON_EN, rows), filename="vd.csv")
    assert where(result) == {
        (3, "card_number"),
        (4, "direction"),
        (5, "channel"),
        (6, "party"),
        (7, "amount_vnd"),
        (8, "date"),
        (9, "branch_code"),
    }
    assert Contribution.objects.count() == 0


def test_contributions_scope_of_an_officer_import(tree, people, officer_a):
    CampaignFactory(code="VD-B", branch=tree.b)
    rows = [
        con_row(campaign_code="VD-B", party="X"),
        con_row(campaign_code="MOI", party="X"),
    ]
    result = import_contributions(
        csv_file(CON_EN, rows),
        filename="vd.csv",
        user=officer_a,
        allowed_branch_ids={tree.a.pk, tree.a_group.pk},
    )
    assert where(result) == {(2, "campaign_code"), (3, "campaign_code")}


def test_command_contributions(tree, people, tmp_path, capsys):
    path = tmp_path / "quyen-gop.xlsx"
    path.write_bytes(xlsx_file(CON_VI, [con_row(party="Nhà hảo tâm")]).getvalue())
    call_command("import_data", "contributions", str(path))
    assert Contribution.objects.count() == 1
    assert "1" in capsys.readouterr().out
    call_command("import_data", "contributions", str(path))
    assert Contribution.objects.count() == 1
