"""The demo union tree and members load_demo loads: the seed scenario's people, idempotent."""

import datetime
import re
import time
import unicodedata

import pytest
from django.utils import timezone

from portal import roles
from portal.text import fold
from tests.factories import UserFactory
from unions import demo
from unions.models import Branch, Dependant, Member, OfficerAssignment
from unions.scope import is_ministry_officer, scope_root_ids

pytestmark = pytest.mark.django_db

TET_GROUPS = ["war_invalid", "child_of_war_invalid", "child_of_martyr"]


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_nfc(text):
    return unicodedata.normalize("NFC", text) == text


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
    started = time.monotonic()
    summary = demo.load_unions(**accounts)
    summary["seconds"] = time.monotonic() - started
    return summary


def root():
    return Branch.objects.get(code=demo.ROOT_CODE)


def home():
    return Branch.objects.get(code=demo.HOME_CODE)


def test_tree_of_the_seed_scenario(loaded):
    top = root()
    assert top.name == "Công đoàn Bộ Nội vụ"
    assert top.level == "ministry" and top.parent is None and top.address
    assert Branch.objects.filter(level="ministry").count() == 1
    grassroots = Branch.objects.filter(level="grassroots")
    assert grassroots.count() >= 10
    assert set(grassroots.values_list("parent", flat=True)) == {top.pk}
    names = set(grassroots.values_list("name", flat=True))
    assert {"Công đoàn Văn phòng Bộ", "Công đoàn Thanh tra Bộ"} <= names
    assert home().name == "Công đoàn Văn phòng Bộ" and home().level == "grassroots"
    assert Branch.objects.filter(level="division").count() >= 2
    assert Branch.objects.filter(level="group").count() >= 2
    # A group under a division, three levels below the root.
    assert Branch.objects.filter(level="group", parent__level="division").exists()
    for branch in Branch.objects.select_related("parent"):
        branch.full_clean()  # every level rule of the tree holds
        assert branch.code == branch.code.upper() and is_nfc(branch.name)
    assert Branch.objects.subtree(top).count() == Branch.objects.count()
    assert loaded["branches_created"] == Branch.objects.count() == len(demo.BRANCHES)


def test_members_hold_the_seed_figures(loaded):
    members = Member.objects.all()
    assert 1000 <= members.count() <= 1100
    assert loaded["members_created"] == members.count()
    active = members.active()
    tet = active.filter(policy_group__in=TET_GROUPS)
    assert tet.count() == demo.TET_GIFT_RECIPIENTS == 144
    for group in TET_GROUPS:
        assert tet.filter(policy_group=group).exists(), group
    assert active.filter(policy_group="other").exists()
    hardship = active.filter(hardship=True)
    assert hardship.count() == demo.HARDSHIP_VISITS == 25
    assert not hardship.filter(policy_group__in=TET_GROUPS).exists()
    # They were members at the time of the seed article (Tết 2020).
    assert not tet.filter(joined_on__gte=datetime.date(2020, 1, 1)).exists()
    assert not hardship.filter(joined_on__gte=datetime.date(2020, 1, 1)).exists()
    # Mostly active civil servants; some public employees and workers; a few who left.
    by_category = {
        c: members.filter(category=c).count()
        for c in ("civil_servant", "public_employee", "worker")
    }
    assert by_category["civil_servant"] > members.count() / 2
    assert by_category["public_employee"] > 50 and by_category["worker"] > 30
    gone = members.exclude(status="active")
    assert 3 <= gone.count() <= 30
    assert set(gone.values_list("status", flat=True)) >= {"retired", "left"}
    assert not gone.filter(status_changed_on__isnull=True).exists()
    assert not gone.filter(policy_group__in=TET_GROUPS).exists()
    # Bigger unions are bigger: every branch has members, and their sizes differ.
    sizes = [
        Member.objects.in_subtree(b).count() for b in Branch.objects.filter(level="grassroots")
    ]
    assert min(sizes) > 0 and max(sizes) >= 3 * min(sizes)


def test_member_records_are_clean(loaded):
    today = timezone.localdate()
    cards = []
    for member in Member.objects.all():
        assert is_nfc(member.full_name) and member.full_name == " ".join(member.full_name.split())
        assert member.search_name == fold(member.full_name)
        assert len(member.full_name.split()) >= 3
        assert re.fullmatch(r"CDBNV\d{6}", member.card_number), member.card_number
        cards.append(member.card_number)
        assert member.date_of_birth and member.date_of_birth <= today
        assert member.joined_on and member.joined_on <= today
        assert age_on(member.date_of_birth, member.joined_on) >= 18, member
        if member.status == "active":
            assert 23 <= member.age_on(today) <= 60, member
        else:
            assert member.joined_on <= member.status_changed_on <= today
        assert re.fullmatch(r"09\d{8}", member.phone)
        assert not member.email or re.fullmatch(r"[a-z0-9._]+@example\.gov\.vn", member.email)
        assert not member.national_id or re.fullmatch(r"\d{12}", member.national_id)
        assert member.job_title and member.work_unit and is_nfc(member.job_title)
    assert len(cards) == len(set(cards))
    members = Member.objects.all()
    assert members.exclude(email="").count() > 0.8 * members.count()
    assert 0.2 * members.count() < members.exclude(national_id="").count() < members.count()
    for member in members[::25]:
        member.full_clean()
    # Bulk-created with their history.
    assert Member.history.count() == members.count()
    assert Dependant.history.count() == Dependant.objects.count()


def test_children_for_june_and_mid_autumn_gifts(loaded):
    today = timezone.localdate()
    children = Dependant.objects.select_related("member")
    parents = Member.objects.filter(dependants__isnull=False).distinct().count()
    assert 0.3 < parents / Member.objects.count() < 0.5
    assert loaded["dependants_created"] == children.count()
    for child in children:
        assert is_nfc(child.full_name) and len(child.full_name.split()) == 3
        assert child.date_of_birth <= today
        assert age_on(child.date_of_birth, today) < 18, child
        assert age_on(child.member.date_of_birth, child.date_of_birth) >= 18, child
    per_parent = [m.dependants.count() for m in Member.objects.filter(dependants__isnull=False)]
    assert set(per_parent) <= {1, 2, 3}


def test_demo_accounts_are_members_and_officers(loaded, accounts):
    ministry = Member.objects.get(user=accounts["officer_ministry"])
    grassroots = Member.objects.get(user=accounts["officer_grassroots"])
    member = Member.objects.get(user=accounts["member_user"])
    assert ministry.full_name == "Lê Quang Minh" and ministry.branch == root()
    assert grassroots.full_name == "Phạm Thu Hà" and grassroots.branch == home()
    assert member.full_name == "Đỗ Hoài Nam" and member.branch == home()
    for record in (ministry, grassroots, member):
        assert record.status == "active" and record.email.endswith("@example.gov.vn")
        assert record.policy_group == "" and not record.hardship
        record.full_clean()
    assert member.dependants.count() == 2
    assert all(age_on(c.date_of_birth, timezone.localdate()) < 18 for c in member.dependants.all())
    chair = OfficerAssignment.objects.active_on().get(member=grassroots)
    assert (chair.branch, chair.position, chair.start_on) == (
        home(),
        "chair",
        datetime.date(2020, 1, 1),
    )
    top = OfficerAssignment.objects.active_on().get(member=ministry)
    assert (top.branch, top.position) == (root(), "chair")
    assert not member.assignments.exists()


def test_scopes_of_the_demo_accounts(loaded, accounts):
    canbo, canbo_cs, doanvien = (
        accounts["officer_ministry"],
        accounts["officer_grassroots"],
        accounts["member_user"],
    )
    assert scope_root_ids(canbo) == [root().pk]
    assert is_ministry_officer(canbo)
    assert Member.objects.visible_to(canbo).count() == Member.objects.count()

    assert scope_root_ids(canbo_cs) == [home().pk]
    assert not is_ministry_officer(canbo_cs)
    seen = Member.objects.visible_to(canbo_cs)
    subtree = set(Branch.objects.subtree(home()).values_list("pk", flat=True))
    assert len(subtree) > 1  # its groups are in its scope too
    assert set(seen.values_list("branch", flat=True)) == subtree
    assert seen.count() == Member.objects.filter(branch__in=subtree).count()
    assert seen.filter(user=doanvien).exists()
    assert not seen.filter(user=canbo).exists()
    assert seen.count() < Member.objects.count() / 3

    assert scope_root_ids(doanvien) == []
    assert not Member.objects.visible_to(doanvien).exists()


def test_officers_of_the_other_branches(loaded):
    assignments = OfficerAssignment.objects.select_related("member", "branch")
    assert assignments.count() >= 15
    assert loaded["officers_created"] == assignments.count()
    positions = set(assignments.values_list("position", flat=True))
    assert {"chair", "vice_chair", "executive", "accountant"} <= positions
    ended = assignments.filter(end_on__lt=timezone.localdate())
    assert ended.count() >= 1
    assert not ended.filter(pk__in=OfficerAssignment.objects.active_on()).exists()
    for assignment in assignments:
        assignment.full_clean()
        # An officer is a member of the branch, or of a branch under it.
        assert assignment.member.branch in Branch.objects.subtree(assignment.branch)
        assert assignment.member.joined_on <= assignment.start_on
        if assignment.end_on is None:
            assert assignment.member.status == "active"
    for branch in Branch.objects.filter(level="grassroots"):
        assert assignments.active_on().filter(branch=branch, position="chair").count() == 1, branch
    # Only the two demo officers have accounts, so nobody else gets a scope.
    with_users = assignments.filter(member__user__isnull=False)
    assert with_users.count() == 2


def test_second_load_changes_nothing(loaded, accounts):
    models = [Branch, Member, Dependant, OfficerAssignment]

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
    again = demo.load_unions(**accounts)
    assert snapshot() == before
    created = {key: value for key, value in again.items() if key.endswith("_created")}
    assert set(created.values()) == {0}
    assert again["branches_existing"] == Branch.objects.count()
    assert again["members_existing"] == Member.objects.count()
    assert again["officers_existing"] == OfficerAssignment.objects.count()


def test_a_later_day_creates_nothing_either(loaded, accounts):
    """load_demo run again weeks later: ages move, but what exists is kept as it is."""
    counts = [m.objects.count() for m in (Branch, Member, Dependant, OfficerAssignment)]
    later = timezone.localdate() + datetime.timedelta(days=200)
    again = demo.load_unions(**accounts, today=later)
    assert [m.objects.count() for m in (Branch, Member, Dependant, OfficerAssignment)] == counts
    assert again["members_created"] == again["officers_created"] == 0


def test_generation_is_deterministic(loaded):
    day = datetime.date(2026, 11, 30)
    first, second = demo.generate_people(day), demo.generate_people(day)
    assert first == second
    assert demo.generate_children(first, day) == demo.generate_children(second, day)
    names = {p.full_name for p in first}
    assert not names & demo.RESERVED_NAMES
