"""The demo welfare data load_demo loads: the seed article's figures, held by real records."""

import datetime
import time

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from portal import roles
from portal.text import slugify_vi
from tests.factories import UserFactory
from unions import demo as unions_demo
from unions.models import Branch, Member
from welfare import demo
from welfare.models import AidProgram, AidRecord, Campaign, Contribution, SupportRequest
from welfare.services import campaign_totals

pytestmark = pytest.mark.django_db

HALF_YEAR = (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
TET_GROUPS = ["war_invalid", "child_of_war_invalid", "child_of_martyr"]


@pytest.fixture
def accounts():
    return {
        "officer_ministry": UserFactory(
            username="canbo_demo", first_name="Minh", last_name="Lê Quang", roles=[roles.OFFICER]
        ),
        "officer_grassroots": UserFactory(
            username="canbo_cs_demo", first_name="Hà", last_name="Phạm Thu", roles=[roles.OFFICER]
        ),
        "member_user": UserFactory(
            username="doanvien_demo", first_name="Nam", last_name="Đỗ Hoài", roles=[roles.MEMBER]
        ),
    }


@pytest.fixture
def loaded(accounts):
    unions_demo.load_unions(**accounts)
    started = time.monotonic()
    summary = demo.load_welfare(**accounts)
    summary["seconds"] = time.monotonic() - started
    return summary


def root():
    return Branch.objects.get(code=unions_demo.ROOT_CODE)


def home():
    return Branch.objects.get(code=unions_demo.HOME_CODE)


def counted(kind=None):
    """What the half-year review of the root counts: approved and paid aid in the period."""
    records = AidRecord.objects.counted().filter(
        date__range=HALF_YEAR, branch__in=Branch.objects.subtree(root())
    )
    return records.filter(program__kind=kind) if kind else records


def figures(records):
    return records.aggregate(
        records=Count("id"),
        beneficiaries=Count("member", distinct=True),
        cash=Sum("amount_vnd"),
        goods=Sum("value_vnd"),
    )


def test_tet_gifts_of_the_seed_article(loaded):
    tet = counted("tet_gift")
    assert figures(tet)["beneficiaries"] == 144 == unions_demo.TET_GIFT_RECIPIENTS
    assert figures(tet)["records"] == 144
    assert figures(tet)["cash"] == 144_000_000
    assert set(tet.values_list("amount_vnd", flat=True)) == {1_000_000}
    assert set(tet.values_list("member__policy_group", flat=True)) <= set(TET_GROUPS)
    assert set(tet.values_list("status", flat=True)) == {"paid"}
    program = AidProgram.objects.get(code="TET-CANHTY-2020")
    assert program.name == "Quà Tết Canh Tý 2020" and program.kind == "tet_gift"
    assert program.branch == root() and program.funding_source == "ministry_office"
    assert (program.starts_on, program.ends_on) == (
        datetime.date(2020, 1, 1),
        datetime.date(2020, 1, 31),
    )
    assert program.budget_vnd == 150_000_000 and program.default_amount_vnd == 1_000_000
    assert not program.is_open
    days = set(tet.values_list("date", flat=True))
    assert all(day.year == 2020 and day.month == 1 and day.day < 25 for day in days)  # before Tết
    assert len(days) > 1


def test_hardship_visits(loaded):
    hardship = counted("hardship")
    assert figures(hardship)["beneficiaries"] == 25 == unions_demo.HARDSHIP_VISITS
    assert figures(hardship)["cash"] == 50_000_000
    assert set(hardship.values_list("amount_vnd", flat=True)) == {2_000_000}
    assert not hardship.filter(member__hardship=False).exists()
    program = AidProgram.objects.get(code="KKHO-2020")
    assert program.kind == "hardship" and program.branch == root() and not program.is_open
    assert (program.starts_on, program.ends_on) == HALF_YEAR


def test_epidemic_supports_and_masks(loaded):
    epidemic = figures(counted("epidemic"))
    assert epidemic["beneficiaries"] == 19
    assert epidemic["cash"] == 38_000_000
    supports = counted("epidemic").filter(member__isnull=False)
    assert supports.count() == 19
    assert set(supports.values_list("amount_vnd", flat=True)) == {2_000_000}
    assert all(day.month == 5 for day in supports.values_list("date", flat=True))
    # Across several grassroots unions, none of them already visited for Tết or hardship.
    grassroots_of = demo._grassroots_of()
    unions = {grassroots_of[pk] for pk in supports.values_list("branch", flat=True)}
    assert len(unions) >= 5
    assert not supports.filter(member__hardship=True).exists()
    assert not supports.filter(member__policy_group__in=TET_GROUPS).exists()
    covid = AidProgram.objects.get(code="COVID-TCN-2020")
    assert covid.cap_per_person_vnd == 2_000_000 and not covid.is_open

    in_kind = {
        (row["item"], row["unit"]): row["quantity"]
        for row in counted()
        .exclude(item="")
        .values("item", "unit")
        .annotate(quantity=Sum("quantity"))
    }
    assert in_kind == {
        ("Khẩu trang vải kháng khuẩn", "chiếc"): 11_200,
        ("Khẩu trang y tế", "chiếc"): 2_500,
    }
    masks = AidRecord.objects.filter(program__code="KHAUTRANG-2020")
    assert not masks.filter(member__isnull=False).exists()  # collective, given to branches
    cloth = masks.filter(item="Khẩu trang vải kháng khuẩn")
    assert set(cloth.values_list("branch__level", flat=True)) == {"grassroots"}
    assert (
        cloth.values("branch").distinct().count()
        == Branch.objects.filter(level="grassroots").count()
    )
    medical = masks.get(item="Khẩu trang y tế")
    assert medical.branch == root() and medical.quantity == 2_500
    assert all(
        datetime.date(2020, 3, 1) <= day <= datetime.date(2020, 5, 31)
        for day in masks.values_list("date", flat=True)
    )


def test_the_whole_half_year(loaded):
    whole = figures(counted())
    assert whole["beneficiaries"] == 144 + 25 + 19
    assert whole["cash"] == 144_000_000 + 50_000_000 + 38_000_000
    kinds = set(counted().values_list("program__kind", flat=True))
    assert kinds == {"tet_gift", "hardship", "epidemic"}
    # Every record of 2020 is paid, recorded by the ministry-level officer.
    canbo = Member.objects.get(branch=root(), user__isnull=False).user
    records_2020 = AidRecord.objects.filter(date__year=2020)
    assert records_2020.count() == whole["records"]
    assert set(records_2020.values_list("created_by", "paid_by").distinct()) == {
        (canbo.pk, canbo.pk)
    }
    assert AidRecord.history.filter(date__year=2020, history_user=canbo).count() == (
        records_2020.count()
    )
    closed = AidProgram.objects.filter(starts_on__year=2020)
    assert closed.count() == 4 and not closed.filter(is_open=True).exists()


def test_the_campaign(loaded):
    campaign = Campaign.objects.get(code="UNGHO-COVID-HANMAN-2020")
    assert campaign.branch == root() and campaign.is_public
    assert campaign.slug == slugify_vi(campaign.name, max_length=120)
    assert campaign.goal_vnd == 400_000_000
    contributions = campaign.contributions.all()
    raised = figures(contributions.filter(direction="in"))
    raised_vnd = raised["cash"] + raised["goods"]
    assert 390_000_000 <= raised_vnd < 400_000_000
    assert raised_vnd == demo.CAMPAIGN_RAISED
    assert campaign_totals(campaign)["raised_vnd"] == raised_vnd
    incoming = contributions.filter(direction="in")
    assert incoming.count() > 50
    assert {d.month for d in incoming.values_list("date", flat=True)} == {3, 4, 5, 6}
    assert set(incoming.values_list("channel", flat=True)) >= {"cash", "bank", "sms"}
    assert incoming.filter(member__isnull=False).count() >= 30
    grassroots = set(Branch.objects.filter(level="grassroots").values_list("pk", flat=True))
    assert set(incoming.filter(branch__isnull=False).values_list("branch", flat=True)) == (
        grassroots
    )
    rice = contributions.get(direction="out", item="Gạo")
    assert (rice.quantity, rice.unit, rice.value_vnd) == (2_000, "kg", 30_000_000)
    assert rice.party == "Cây ATM gạo quận Cầu Giấy" and rice.amount_vnd == 0
    given = campaign_totals(campaign)["given_vnd"]
    assert 30_000_000 <= given <= raised_vnd  # never more than was raised
    for row in contributions:
        row.full_clean()
        assert HALF_YEAR[0] <= row.date <= HALF_YEAR[1]
    canbo = Member.objects.get(branch=root(), user__isnull=False).user
    assert Contribution.history.filter(history_user=canbo).count() == contributions.count()


def test_support_requests_in_every_status(loaded, accounts):
    requests = SupportRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == {
        "submitted",
        "under_review",
        "approved",
        "rejected",
        "withdrawn",
    }
    assert set(requests.values_list("member__branch", flat=True)) <= set(
        Branch.objects.subtree(home()).values_list("pk", flat=True)
    )
    assert not requests.filter(consent_given_at__isnull=True).exists()
    own = SupportRequest.objects.of_user(accounts["member_user"])
    assert set(own.values_list("status", flat=True)) == {"submitted", "approved", "withdrawn"}
    canbo_cs = accounts["officer_grassroots"]
    for request in requests.exclude(status__in=["submitted", "withdrawn"]):
        history = request.history.filter(history_user=canbo_cs)
        assert history.filter(status="under_review").exists()
    for request in requests.filter(status__in=["approved", "rejected"]):
        assert request.decided_by == canbo_cs and request.decided_at
        assert request.history.filter(status=request.status, history_user=canbo_cs).exists()
    assert requests.get(status="rejected").decision_reason
    sickness = AidProgram.objects.get(code__startswith="OMDAU-")
    assert sickness.branch == home() and sickness.kind == "sickness" and sickness.is_open
    for request in requests.filter(status="approved"):
        record = request.aid_record
        assert record.program == sickness and record.member == request.member
        assert record.status in ("approved", "paid")
    assert own.get(status="approved").aid_record.status == "paid"
    assert requests.filter(member__gender="female").exists()
    for request in requests:
        request.full_clean()
        assert request.submitted_at <= request.updated_at


def test_second_load_creates_nothing(loaded, accounts):
    models = [AidProgram, AidRecord, Campaign, Contribution, SupportRequest]

    def snapshot():
        return {
            model.__name__: (
                model.objects.count(),
                model.history.count(),
                max(model.objects.values_list("updated_at", flat=True)),
            )
            for model in models
        }

    before = snapshot()
    again = demo.load_welfare(**accounts)
    assert snapshot() == before
    created = {key: value for key, value in again.items() if key.endswith("_created")}
    assert set(created.values()) == {0}
    assert again["programs_existing"] == 4
    first = {key: value for key, value in loaded.items() if key.endswith("_created")}
    assert first["programs_created"] == AidProgram.objects.count() == 5
    assert first["aid_records_created"] == AidRecord.objects.count()
    assert first["contributions_created"] == Contribution.objects.count()
    assert first["requests_created"] == SupportRequest.objects.count()
    assert first["campaigns_created"] == 1


def test_a_later_load_creates_nothing_either(loaded, accounts):
    """load_demo run again months later: what exists is kept, no new programme of that year."""
    counts = [m.objects.count() for m in (AidProgram, AidRecord, Contribution, SupportRequest)]
    later = timezone.now() + datetime.timedelta(days=400)
    again = demo.load_welfare(**accounts, now=later)
    assert [m.objects.count() for m in (AidProgram, AidRecord, Contribution, SupportRequest)] == (
        counts
    )
    assert again["requests_created"] == again["programs_created"] == 0
