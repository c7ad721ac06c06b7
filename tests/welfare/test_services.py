"""The aid rules, enforced by the services (and the database) whatever page or import calls them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import MemberFactory, ProgramFactory
from welfare import services
from welfare.models import MAX_AMOUNT_VND, AidRecord, SupportRequest
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 1, 20)


@pytest.fixture
def program(tree):
    return ProgramFactory(branch=tree.a, budget_vnd=5_000_000, cap_per_person_vnd=2_000_000)


@pytest.fixture
def in_a(tree):
    return [MemberFactory(branch=tree.a_group) for _ in range(3)]


def give(program, by, entries, status=AidRecord.Status.APPROVED, date=DAY):
    return services.record_aid(program=program, by=by, date=date, entries=entries, status=status)


def messages(excinfo):
    return " ".join(excinfo.value.messages)


def test_records_are_created_with_history(program, officer_a, in_a):
    records = give(program, officer_a, [AidInput(member=m, amount_vnd=1_000_000) for m in in_a])
    assert len(records) == 3 and all(r.history.count() == 1 for r in records)
    assert services.committed_total(program) == 3_000_000
    assert services.remaining_budget(program) == 2_000_000


def test_budget_is_never_exceeded_and_the_officer_is_told_what_is_left(program, officer_a, in_a):
    give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=2_000_000)])
    with pytest.raises(ValidationError) as excinfo:
        give(program, officer_a, [AidInput(member=m, amount_vnd=2_000_000) for m in in_a[1:]])
    assert "3.000.000" in messages(excinfo)
    assert AidRecord.objects.count() == 1  # all or nothing
    # Proposed records do not use the budget; approving them does.
    (proposed,) = give(
        program, officer_a, [AidInput(member=in_a[1], amount_vnd=2_000_000)], status="proposed"
    )
    (other,) = give(
        program, officer_a, [AidInput(member=in_a[2], amount_vnd=2_000_000)], status="proposed"
    )
    services.approve_aid(record=proposed, by=officer_a)
    with pytest.raises(ValidationError):
        services.approve_aid(record=other, by=officer_a)


def test_cap_per_person_and_amount_limits(program, officer_a, in_a):
    with pytest.raises(ValidationError) as excinfo:
        give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=2_000_001)])
    assert "2.000.000" in messages(excinfo)
    with pytest.raises(ValidationError):
        give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=-5)])
    with pytest.raises(ValidationError):
        give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=0)])
    with pytest.raises(IntegrityError), transaction.atomic():
        AidRecord.objects.create(
            program=program,
            member=in_a[0],
            branch=in_a[0].branch,
            date=DAY,
            amount_vnd=MAX_AMOUNT_VND + 1,
        )


def test_beneficiary_must_be_active_and_inside_the_programme_branch(program, officer_a, tree):
    outside = MemberFactory(branch=tree.b)
    left = MemberFactory(branch=tree.a, status="left")
    late = MemberFactory(branch=tree.a, joined_on=datetime.date(2020, 6, 1))
    for member in (outside, left, late):
        with pytest.raises(ValidationError) as excinfo:
            give(program, officer_a, [AidInput(member=member, amount_vnd=1_000_000)])
        assert member.full_name in messages(excinfo)


def test_a_second_record_needs_confirmation(program, officer_a, in_a):
    give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=1_000_000)])
    with pytest.raises(ValidationError) as excinfo:
        give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=500_000)])
    assert "đã có" in messages(excinfo) or "already" in messages(excinfo)
    give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=500_000, confirm_duplicate=True)])
    assert program.records.filter(member=in_a[0]).count() == 2


def test_closed_programme_and_dates_outside_the_period(program, officer_a, in_a):
    with pytest.raises(ValidationError):
        give(
            program,
            officer_a,
            [AidInput(member=in_a[0], amount_vnd=1)],
            date=datetime.date(2021, 1, 1),
        )
    program.is_open = False
    program.save()
    with pytest.raises(ValidationError):
        give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=1)])


def test_collective_gift_of_goods_to_a_branch(program, officer_a, tree):
    (record,) = give(
        program,
        officer_a,
        [
            AidInput(
                member=None,
                branch=tree.a_group,
                item="Khẩu trang vải kháng khuẩn",
                quantity=11_200,
                unit="chiếc",
            )
        ],
    )
    assert record.member is None and record.branch == tree.a_group and record.quantity == 11_200
    with pytest.raises(ValidationError):
        give(
            program,
            officer_a,
            [AidInput(member=None, branch=tree.b, item="Gạo", quantity=1, unit="kg")],
        )


def test_other_branch_officer_cannot_record(program, officer_b, in_a):
    with pytest.raises(PermissionDenied):
        give(program, officer_b, [AidInput(member=in_a[0], amount_vnd=1_000_000)])


def test_approved_records_are_cancelled_never_deleted(program, officer_a, in_a):
    (record,) = give(program, officer_a, [AidInput(member=in_a[0], amount_vnd=1_000_000)])
    with pytest.raises(ValidationError):
        services.delete_aid(record=record, by=officer_a)
    with pytest.raises(ValidationError):
        services.cancel_aid(record=record, by=officer_a, reason="  ")
    services.cancel_aid(record=record, by=officer_a, reason="Ghi nhầm người")
    record.refresh_from_db()
    assert record.status == "cancelled" and record.cancelled_by == officer_a
    assert services.committed_total(program) == 0
    (proposed,) = give(
        program, officer_a, [AidInput(member=in_a[1], amount_vnd=1)], status="proposed"
    )
    services.delete_aid(record=proposed, by=officer_a)
    assert not AidRecord.objects.filter(pk=proposed.pk).exists()


def test_paid_after_approved_only(program, officer_a, in_a):
    (proposed,) = give(
        program, officer_a, [AidInput(member=in_a[0], amount_vnd=1)], status="proposed"
    )
    with pytest.raises(ValidationError):
        services.mark_paid(record=proposed, by=officer_a)
    services.approve_aid(record=proposed, by=officer_a)
    services.mark_paid(record=proposed, by=officer_a)
    proposed.refresh_from_db()
    assert proposed.status == "paid" and proposed.paid_by == officer_a


def _request_for(member_user, **kwargs):
    return SupportRequest.objects.create(
        member=member_user.member,
        kind="sickness",
        description="Nằm viện điều trị",
        happened_on=datetime.date(2020, 3, 1),
        consent_given_at=timezone.now(),
        **kwargs,
    )


def test_approving_a_request_creates_one_aid_record(tree, officer_a, officer_b, member):
    program = ProgramFactory(
        branch=tree.a,
        kind="sickness",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
    )
    request = _request_for(member)
    with pytest.raises(PermissionDenied):
        services.approve_request(
            support_request=request, by=officer_b, program=program, amount_vnd=1_000_000
        )
    services.approve_request(
        support_request=request, by=officer_a, program=program, amount_vnd=1_000_000
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.aid_record.amount_vnd == 1_000_000
    with pytest.raises(ValidationError):
        services.approve_request(
            support_request=request, by=officer_a, program=program, amount_vnd=1_000_000
        )
    with pytest.raises(ValidationError):
        services.reject_request(support_request=request, by=officer_a, reason="muộn")
    assert AidRecord.objects.count() == 1


def test_rejecting_needs_a_reason_and_withdrawing_is_the_members_own(
    tree, officer_a, member, outsider
):
    request = _request_for(member)
    with pytest.raises(ValidationError):
        services.reject_request(support_request=request, by=officer_a, reason="")
    with pytest.raises(PermissionDenied):
        services.withdraw_request(support_request=request, by=outsider)
    services.withdraw_request(support_request=request, by=member)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.start_review(support_request=request, by=officer_a)


def test_contributions_cannot_be_dated_in_the_future_or_before_the_campaign(tree, officer_a):
    from tests.factories import CampaignFactory
    from welfare.models import Contribution

    campaign = CampaignFactory(branch=tree.a, starts_on=datetime.date(2020, 3, 1))
    for date in (datetime.date(2020, 2, 28), timezone.localdate() + datetime.timedelta(days=1)):
        contribution = Contribution(
            campaign=campaign, direction="in", date=date, party="X", amount_vnd=1
        )
        with pytest.raises(ValidationError) as excinfo:
            services.add_contribution(contribution=contribution, by=officer_a)
        assert "date" in excinfo.value.message_dict
    assert not Contribution.objects.exists()
