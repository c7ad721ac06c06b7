"""The review's figures: exact on hand-built data, and the seed scenario after load_demo."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.factories import BranchFactory, CampaignFactory, MemberFactory, ProgramFactory
from unions.models import Branch
from welfare import services
from welfare.models import AidRecord, Contribution
from welfare.reports import previous_period, review
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
START, END = datetime.date(2020, 1, 1), datetime.date(2020, 6, 30)


def give(program, by, date, entries, status="paid"):
    return services.record_aid(program=program, by=by, date=date, entries=entries, status=status)


@pytest.fixture
def data(tree, ministry_officer):
    program = ProgramFactory(
        branch=tree.root,
        kind="tet_gift",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2021, 12, 31),
        budget_vnd=None,
    )
    in_a = MemberFactory(branch=tree.a_group)
    twice = MemberFactory(branch=tree.a)
    in_b = MemberFactory(branch=tree.b)
    by = ministry_officer
    give(program, by, START, [AidInput(member=in_a, amount_vnd=1_000_000)])  # first day counts
    give(program, by, END, [AidInput(member=twice, amount_vnd=500_000)])  # last day counts
    give(program, by, END, [AidInput(member=twice, amount_vnd=700_000, confirm_duplicate=True)])
    give(
        program, by, END + datetime.timedelta(days=1), [AidInput(member=in_b, amount_vnd=9_000_000)]
    )
    give(
        program,
        by,
        datetime.date(2019, 12, 31),
        [AidInput(member=in_b, amount_vnd=2_000_000, confirm_duplicate=True)],
    )
    give(
        program,
        by,
        START,
        [AidInput(member=in_b, amount_vnd=3_000_000, confirm_duplicate=True)],
        status="proposed",
    )
    (cancelled,) = give(
        program, by, START, [AidInput(member=in_b, amount_vnd=4_000_000, confirm_duplicate=True)]
    )
    services.cancel_aid(record=cancelled, by=by, reason="nhầm")
    give(
        program,
        by,
        datetime.date(2020, 3, 1),
        [
            AidInput(
                member=None,
                branch=tree.a,
                item="Khẩu trang",
                quantity=100,
                unit="chiếc",
                value_vnd=1_000_000,
            ),
            AidInput(
                member=None,
                branch=tree.b,
                item="Khẩu trang",
                quantity=50,
                unit="chiếc",
                value_vnd=500_000,
            ),
            AidInput(member=None, branch=tree.b, item="Khẩu trang", quantity=2, unit="hộp"),
        ],
    )
    return {"tree": tree, "program": program}


def test_exact_figures_period_edges_and_exclusions(data):
    figures = review(branch=data["tree"].root, start=START, end=END)
    aid = figures["aid"]
    # in_a 1,000,000 + twice 500,000 + 700,000; three collective records; nothing else counts.
    assert aid["amount_vnd"] == 2_200_000
    assert aid["beneficiaries"] == 2  # one member with two gifts counts once
    assert aid["records"] == 6
    assert aid["by_kind"]["tet_gift"]["amount_vnd"] == 2_200_000
    assert {(g["item"], g["unit"]): g["quantity"] for g in aid["in_kind"]} == {
        ("Khẩu trang", "chiếc"): 150,
        ("Khẩu trang", "hộp"): 2,
    }
    assert figures["period"] == {"from": "2020-01-01", "to": "2020-06-30"}
    assert figures["branch"]["code"] == "CDBNV"


def test_subtree_versus_sibling_and_by_sub_branch(data):
    tree = data["tree"]
    a = review(branch=tree.a, start=START, end=END)["aid"]
    assert a["amount_vnd"] == 2_200_000 and a["beneficiaries"] == 2
    b = review(branch=tree.b, start=START, end=END)["aid"]
    assert b["amount_vnd"] == 0 and b["beneficiaries"] == 0 and b["records"] == 2
    rows = {
        row["code"]: row
        for row in review(branch=tree.root, start=START, end=END)["aid"]["by_branch"]
    }
    assert rows["CDCS-A"]["amount_vnd"] == 2_200_000 and rows["CDCS-A"]["beneficiaries"] == 2
    assert rows["CDCS-B"]["records"] == 2
    assert rows["CDBNV"]["own"] is True and rows["CDBNV"]["records"] == 0


def test_previous_period_and_change(data):
    # 182 days (2020 is a leap year), ending the day before the period starts.
    assert previous_period(START, END) == (datetime.date(2019, 7, 3), datetime.date(2019, 12, 31))
    figures = review(branch=data["tree"].root, start=START, end=END)
    assert figures["previous"]["aid_amount_vnd"] == 2_000_000
    assert figures["change_percent"]["aid_amount_vnd"] == 10.0


def test_an_empty_period_is_all_zeros(tree):
    figures = review(
        branch=tree.root, start=datetime.date(2030, 1, 1), end=datetime.date(2030, 1, 1)
    )
    assert figures["aid"]["records"] == figures["aid"]["amount_vnd"] == 0
    assert figures["aid"]["by_kind"] == {} and figures["aid"]["in_kind"] == []
    assert figures["change_percent"]["aid_amount_vnd"] is None
    assert figures["support_requests"]["median_days_to_decision"] is None


def test_members_active_on_the_last_day(tree):
    MemberFactory(
        branch=tree.a, joined_on=datetime.date(2020, 3, 1), category="worker", gender="female"
    )
    MemberFactory(branch=tree.a, joined_on=datetime.date(2020, 8, 1))  # joined after
    MemberFactory(
        branch=tree.a, status="retired", status_changed_on=datetime.date(2020, 5, 1)
    )  # left in
    MemberFactory(
        branch=tree.a, status="retired", status_changed_on=datetime.date(2020, 9, 1)
    )  # still active then
    MemberFactory(branch=tree.b)
    members = review(branch=tree.a, start=START, end=END)["members"]
    assert members["total"] == 2 and members["joined"] == 1 and members["left"] == 1
    assert members["by_category"]["worker"] == 1 and members["by_gender"]["female"] == 1


def test_campaign_figures(tree, ministry_officer):
    campaign = CampaignFactory(branch=tree.a, starts_on=datetime.date(2020, 3, 1))
    other = CampaignFactory(branch=tree.b, starts_on=datetime.date(2020, 3, 1))
    for direction, amount, item, quantity, value in [
        ("in", 1_000_000, "", None, 0),
        ("in", 0, "Gạo", 10, 150_000),
        ("out", 0, "Gạo", 10, 150_000),
    ]:
        Contribution.objects.create(
            campaign=campaign,
            direction=direction,
            date=datetime.date(2020, 4, 1),
            party="Nhà hảo tâm",
            amount_vnd=amount,
            item=item,
            quantity=quantity,
            unit="kg" if item else "",
            value_vnd=value,
        )
    Contribution.objects.create(
        campaign=other, direction="in", date=datetime.date(2020, 4, 1), party="X", amount_vnd=5
    )
    (row,) = review(branch=tree.a, start=START, end=END)["campaigns"]
    assert (row["raised_vnd"], row["disbursed_vnd"], row["contributions"]) == (
        1_150_000,
        150_000,
        3,
    )


def test_query_count_does_not_grow_with_data(data, django_assert_max_num_queries, ministry_officer):
    tree = data["tree"]
    with django_assert_max_num_queries(20) as small:
        review(branch=tree.root, start=START, end=END)
    group = BranchFactory(code="CDCS-A-T9", name="Tổ 9", level="group", parent=tree.a)
    people = MemberFactory.create_batch(40, branch=group)
    give(
        data["program"], ministry_officer, START, [AidInput(member=m, amount_vnd=1) for m in people]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        review(branch=tree.root, start=START, end=END)


def test_command_outputs_and_errors(data, tmp_path, capsysbinary):
    call_command(
        "welfare_report", "--from", "2020-01-01", "--to", "2020-06-30", "--branch", "cdcs-a"
    )
    figures = json.loads(capsysbinary.readouterr().out)
    assert figures["branch"]["code"] == "CDCS-A" and figures["aid"]["amount_vnd"] == 2_200_000
    path = tmp_path / "r.xlsx"
    call_command(
        "welfare_report",
        "--from",
        "2020-01-01",
        "--to",
        "2020-06-30",
        "--format",
        "xlsx",
        "--output",
        str(path),
        stderr=io.StringIO(),
    )
    book = openpyxl.load_workbook(path)
    kinds = (
        list(book["Theo loại hỗ trợ"].values)
        if "Theo loại hỗ trợ" in book.sheetnames
        else list(book.worksheets[1].values)
    )
    assert kinds[-1][3] == 2_200_000
    call_command("welfare_report", "--from", "2020-01-01", "--to", "2020-06-30", "--format", "csv")
    assert "2200000" in capsysbinary.readouterr().out.decode("utf-8-sig")
    for args in (
        ["--from", "2020-13-01", "--to", "2020-06-30"],
        ["--from", "2020-07-01", "--to", "2020-06-30"],
        ["--from", "2020-01-01", "--to", "2020-06-30", "--branch", "KHONGCO"],
        ["--from", "2020-01-01", "--to", "2020-06-30", "--format", "xlsx"],
    ):
        with pytest.raises(CommandError):
            call_command("welfare_report", *args)


def test_the_seed_scenario_after_load_demo(settings, capsysbinary):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    capsysbinary.readouterr()
    root = Branch.objects.get(parent__isnull=True)
    call_command(
        "welfare_report", "--from", "2020-01-01", "--to", "2020-06-30", "--branch", root.code
    )
    figures = json.loads(capsysbinary.readouterr().out)
    kinds = figures["aid"]["by_kind"]
    assert (kinds["tet_gift"]["beneficiaries"], kinds["tet_gift"]["amount_vnd"]) == (
        144,
        144_000_000,
    )
    assert (kinds["hardship"]["beneficiaries"], kinds["hardship"]["amount_vnd"]) == (25, 50_000_000)
    assert (kinds["epidemic"]["beneficiaries"], kinds["epidemic"]["amount_vnd"]) == (19, 38_000_000)
    goods = {g["item"]: g["quantity"] for g in figures["aid"]["in_kind"]}
    assert goods["Khẩu trang vải kháng khuẩn"] == 11_200 and goods["Khẩu trang y tế"] == 2_500
    (campaign,) = figures["campaigns"]
    assert 390_000_000 <= campaign["raised_vnd"] < 400_000_000
    rice = Contribution.objects.get(direction="out", item="Gạo")
    assert (rice.quantity, rice.unit, rice.value_vnd) == (2_000, "kg", 30_000_000)
    assert AidRecord.objects.counted().filter(date__year=2020).count() == figures["aid"]["records"]


def test_aid_by_month_lists_every_month_with_exact_figures(tree, ministry_officer):
    """A period from mid-January to 10 April: the month edges, a month with nothing (zeros), the
    same member twice in a month (one beneficiary), and records outside the period or cancelled."""
    program = ProgramFactory(branch=tree.root, budget_vnd=None)
    by = ministry_officer
    one, two = MemberFactory(branch=tree.a), MemberFactory(branch=tree.b)
    D = datetime.date
    give(program, by, D(2020, 1, 14), [AidInput(member=one, amount_vnd=9_000_000)])  # before
    give(
        program,
        by,
        D(2020, 1, 15),  # the period's first day
        [AidInput(member=one, amount_vnd=1_000_000, confirm_duplicate=True)],
    )
    give(
        program,
        by,
        D(2020, 1, 31),  # the last day of January is January's
        [
            AidInput(member=one, amount_vnd=500_000, confirm_duplicate=True),
            AidInput(member=two, amount_vnd=200_000),
        ],
    )
    give(
        program,
        by,
        D(2020, 2, 1),  # the first day of February is February's
        [
            AidInput(member=two, amount_vnd=300_000, confirm_duplicate=True),
            AidInput(
                member=None, branch=tree.a, item="Gạo", quantity=10, unit="kg", value_vnd=150_000
            ),
        ],
    )
    (cancelled,) = give(
        program,
        by,
        D(2020, 3, 10),
        [AidInput(member=one, amount_vnd=4_000_000, confirm_duplicate=True)],
    )
    services.cancel_aid(record=cancelled, by=by, reason="nhầm")
    give(
        program,
        by,
        D(2020, 3, 20),
        [AidInput(member=two, amount_vnd=3_000_000, confirm_duplicate=True)],
        status="proposed",
    )
    give(
        program,
        by,
        D(2020, 4, 10),
        [AidInput(member=two, amount_vnd=700_000, confirm_duplicate=True)],
    )
    give(
        program,
        by,
        D(2020, 4, 11),
        [AidInput(member=one, amount_vnd=8_000_000, confirm_duplicate=True)],
    )

    aid = review(branch=tree.root, start=D(2020, 1, 15), end=D(2020, 4, 10))["aid"]
    assert aid["by_month"] == [
        {
            "month": "2020-01",
            "label": "01/2020",
            "records": 3,
            "beneficiaries": 2,
            "amount_vnd": 1_700_000,
            "value_vnd": 0,
        },
        {
            "month": "2020-02",
            "label": "02/2020",
            "records": 2,
            "beneficiaries": 1,
            "amount_vnd": 300_000,
            "value_vnd": 150_000,
        },
        {
            "month": "2020-03",
            "label": "03/2020",
            "records": 0,
            "beneficiaries": 0,
            "amount_vnd": 0,
            "value_vnd": 0,
        },
        {
            "month": "2020-04",
            "label": "04/2020",
            "records": 1,
            "beneficiaries": 1,
            "amount_vnd": 700_000,
            "value_vnd": 0,
        },
    ]
    # The months add up to the period; beneficiaries are distinct within a month only.
    assert sum(m["amount_vnd"] for m in aid["by_month"]) == aid["amount_vnd"] == 2_700_000
    assert sum(m["records"] for m in aid["by_month"]) == aid["records"] == 6
    assert aid["beneficiaries"] == 2
    # A sub-branch's review has its own months.
    b = review(branch=tree.b, start=D(2020, 1, 15), end=D(2020, 4, 10))["aid"]["by_month"]
    assert [m["amount_vnd"] for m in b] == [200_000, 300_000, 0, 700_000]


def test_aid_by_month_of_a_short_or_empty_period(tree):
    D = datetime.date
    (only,) = review(branch=tree.root, start=D(2030, 2, 10), end=D(2030, 2, 11))["aid"]["by_month"]
    assert only == {
        "month": "2030-02",
        "label": "02/2030",
        "records": 0,
        "beneficiaries": 0,
        "amount_vnd": 0,
        "value_vnd": 0,
    }
    across = review(branch=tree.root, start=D(2029, 11, 30), end=D(2030, 1, 1))["aid"]["by_month"]
    assert [m["month"] for m in across] == ["2029-11", "2029-12", "2030-01"]


def test_xlsx_by_month_sheet_and_csv_rows(data):
    from welfare.report_exports import review_csv, review_xlsx

    figures = review(branch=data["tree"].root, start=START, end=END)
    book = openpyxl.load_workbook(io.BytesIO(review_xlsx(figures)))
    sheet = book["Theo tháng"] if "Theo tháng" in book.sheetnames else book.worksheets[3]
    rows = list(sheet.values)
    assert len(rows) == 1 + 6 + 1  # header, January to June, totals
    assert [r[0] for r in rows[1:7]] == [
        "01/2020",
        "02/2020",
        "03/2020",
        "04/2020",
        "05/2020",
        "06/2020",
    ]
    by_label = {r[0]: r for r in rows[1:7]}
    assert by_label["01/2020"][1:] == (1, 1, 1_000_000, 0)
    assert by_label["02/2020"][1:] == (0, 0, 0, 0)
    assert by_label["03/2020"][1:] == (3, 0, 0, 1_500_000)
    assert by_label["06/2020"][1:] == (2, 1, 1_200_000, 0)
    assert rows[-1][1:] == (6, 2, 2_200_000, 1_500_000)
    assert sheet.cell(row=2, column=4).number_format == "#,##0"
    assert sheet.cell(row=8, column=5).number_format == "#,##0"
    assert sheet.cell(row=8, column=1).font.bold
    text = review_csv(figures).decode("utf-8-sig")
    assert ",2020-06,amount_vnd,1200000" in text and ",2020-03,value_vnd,1500000" in text
