"""Welfare workflows: each is one transaction that checks the asker's scope and every rule, so the
officers' pages, the admin, imports and the demo all obey the same rules.

Rules of aid records: amounts ≥ 0 and below the ceiling; at most the programme's cap per person;
the programme's approved and paid total never above its budget (row lock on the programme);
the beneficiary an active member inside the programme's branch subtree on the record's date; a
second record of the same programme for the same member needs ``confirm_duplicate``; a closed
programme takes no new record; approved or paid records are never deleted, only cancelled with a
reason. Support requests: approving creates the aid record in the same transaction under a row
lock, so two officers approving at once give exactly one record.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.models import normalize_text_fields
from portal.templatetags.portal_tags import format_vnd
from unions.models import Branch, Member
from welfare import notifications
from welfare.models import (
    MAX_AMOUNT_VND,
    AidProgram,
    AidReceipt,
    AidRecord,
    Contribution,
    RequestAttachment,
    SupportRequest,
    private_storage,
)


def _in_scope(user, branch):
    if not Branch.objects.visible_to(user).filter(pk=branch.pk).exists():
        raise PermissionDenied(_("This is outside your scope."))


def committed_total(program):
    """Cash plus declared value of the approved and paid records of a programme."""
    totals = program.records.counted().aggregate(cash=Sum("amount_vnd"), goods=Sum("value_vnd"))
    return (totals["cash"] or 0) + (totals["goods"] or 0)


def remaining_budget(program):
    return None if program.budget_vnd is None else program.budget_vnd - committed_total(program)


@dataclass
class AidInput:
    """One record to create: a member (or none for a collective gift to ``branch``), and what."""

    member: Member | None
    amount_vnd: int = 0
    item: str = ""
    quantity: int | None = None
    unit: str = ""
    value_vnd: int = 0
    note: str = ""
    branch: Branch | None = None
    confirm_duplicate: bool = False


# The largest quantity the database stores (a PositiveIntegerField).
MAX_QUANTITY = 2_147_483_647


def _check_amounts(data, program):
    errors = {}
    for field in ("amount_vnd", "value_vnd"):
        value = getattr(data, field) or 0
        if value < 0:
            errors[field] = _("An amount cannot be negative.")
        elif value > MAX_AMOUNT_VND:
            errors[field] = _("The amount is larger than %(max)s.") % {
                "max": format_vnd(MAX_AMOUNT_VND)
            }
    if not errors and not data.amount_vnd and not (data.item and data.quantity):
        errors["amount_vnd"] = _("Give a cash amount, or goods with their quantity.")
    if data.item and not data.quantity:
        errors["quantity"] = _("Give the quantity of the goods.")
    elif data.quantity is not None and data.quantity > MAX_QUANTITY:
        errors["quantity"] = _("The quantity is too large.")
    cap = program.cap_per_person_vnd
    if data.member is not None and cap is not None and (data.amount_vnd or 0) > cap:
        errors["amount_vnd"] = _("At most %(cap)s per person in this programme.") % {
            "cap": format_vnd(cap)
        }
    if errors:
        raise ValidationError(errors)


def _check_beneficiary(program, data, date, inside=None):
    """The record's branch; ``inside`` (ids of members under the programme's branch) saves a query
    per entry when many are checked at once."""
    if data.member is None:
        if data.branch is None:
            raise ValidationError(_("Choose a member, or a branch for a collective gift."))
        if not Branch.objects.subtree(program.branch).filter(pk=data.branch.pk).exists():
            raise ValidationError(_("This branch is not under the programme's branch."))
        return data.branch
    member = data.member
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("%(name)s is not an active member.") % {"name": member.full_name})
    if member.joined_on and member.joined_on > date:
        raise ValidationError(
            _("%(name)s had not joined the union on that date.") % {"name": member.full_name}
        )
    if inside is None:
        inside = set(
            Member.objects.in_subtree(program.branch)
            .filter(pk=member.pk)
            .values_list("pk", flat=True)
        )
    if member.pk not in inside:
        raise ValidationError(
            _("%(name)s is not a member of %(branch)s or a branch under it.")
            % {"name": member.full_name, "branch": program.branch.name}
        )
    return member.branch


def _check_program_open(program, date):
    if not program.is_open:
        raise ValidationError(_("The programme is closed: it takes no new records."))
    if not program.starts_on <= date <= program.ends_on:
        raise ValidationError(
            _("The date must be within the programme's period (%(start)s – %(end)s).")
            % {"start": f"{program.starts_on:%d/%m/%Y}", "end": f"{program.ends_on:%d/%m/%Y}"}
        )


def _check_budget(program, adding):
    remaining = remaining_budget(program)
    if remaining is not None and adding > remaining:
        raise ValidationError(
            _("Over the programme's budget: %(left)s left, %(asked)s asked.")
            % {"left": format_vnd(max(remaining, 0)), "asked": format_vnd(adding)}
        )


def duplicates(program, member_ids):
    """Ids of the members who already have a live record in this programme."""
    return set(
        program.records.exclude(status=AidRecord.Status.CANCELLED)
        .filter(member_id__in=member_ids)
        .values_list("member_id", flat=True)
    )


@transaction.atomic
def record_aid(*, program, by, date, entries, status=AidRecord.Status.PROPOSED):
    """Create one or many aid records in one transaction; all or nothing.

    ``entries`` is a list of ``AidInput``. Raises ``ValidationError`` (with every problem found,
    each naming the member) and writes nothing when any entry breaks a rule.
    """
    program = AidProgram.objects.select_for_update().get(pk=program.pk)
    _in_scope(by, program.branch)
    _check_program_open(program, date)
    problems = []
    member_ids = [e.member.pk for e in entries if e.member is not None]
    seen = duplicates(program, member_ids)
    inside = set(
        Member.objects.in_subtree(program.branch)
        .filter(pk__in=member_ids)
        .values_list("pk", flat=True)
    )
    in_this_batch = set()
    records = []
    for entry in entries:
        try:
            _check_amounts(entry, program)
            branch = _check_beneficiary(program, entry, date, inside)
            if entry.member is not None:
                again = entry.member.pk in seen or entry.member.pk in in_this_batch
                if again and not entry.confirm_duplicate:
                    raise ValidationError(
                        _(
                            "%(name)s already has a record in this programme: "
                            "confirm to add a second one."
                        )
                        % {"name": entry.member.full_name}
                    )
                in_this_batch.add(entry.member.pk)
        except ValidationError as exc:
            name = (
                entry.member.full_name
                if entry.member
                else (entry.branch.name if entry.branch else "")
            )
            problems.extend(
                f"{name}: {message}" if name and name not in message else message
                for message in exc.messages
            )
            continue
        records.append(
            AidRecord(
                program=program,
                member=entry.member,
                branch=branch,
                date=date,
                amount_vnd=entry.amount_vnd or 0,
                item=entry.item,
                quantity=entry.quantity,
                unit=entry.unit,
                value_vnd=entry.value_vnd or 0,
                note=entry.note,
                status=status,
                duplicate_confirmed=entry.confirm_duplicate,
                created_by=by,
                approved_by=by
                if status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID)
                else None,
                approved_at=timezone.now()
                if status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID)
                else None,
                paid_by=by if status == AidRecord.Status.PAID else None,
                paid_at=timezone.now() if status == AidRecord.Status.PAID else None,
            )
        )
    if problems:
        raise ValidationError(problems)
    if status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
        _check_budget(program, sum(r.amount_vnd + r.value_vnd for r in records))
    for record in records:
        normalize_text_fields(record)  # bulk_create does not call save()
    return bulk_create_with_history(records, AidRecord, default_user=by)


@transaction.atomic
def approve_aid(*, record, by):
    record = AidRecord.objects.select_for_update().select_related("program").get(pk=record.pk)
    _in_scope(by, record.program.branch)
    if record.status != AidRecord.Status.PROPOSED:
        raise ValidationError(_("Only a proposed record can be approved."))
    AidProgram.objects.select_for_update().get(pk=record.program_id)
    _check_budget(record.program, record.amount_vnd + record.value_vnd)
    record.status = AidRecord.Status.APPROVED
    record.approved_by, record.approved_at = by, timezone.now()
    record._history_user = by
    record._change_reason = _("Approved")
    record.save()
    return record


@transaction.atomic
def mark_paid(*, record, by):
    record = AidRecord.objects.select_for_update().select_related("program").get(pk=record.pk)
    _in_scope(by, record.program.branch)
    if record.status != AidRecord.Status.APPROVED:
        raise ValidationError(_("Only an approved record can be marked paid or delivered."))
    record.status = AidRecord.Status.PAID
    record.paid_by, record.paid_at = by, timezone.now()
    record._history_user = by
    record._change_reason = _("Paid or delivered")
    record.save()
    return record


@transaction.atomic
def cancel_aid(*, record, by, reason):
    record = AidRecord.objects.select_for_update().select_related("program").get(pk=record.pk)
    _in_scope(by, record.program.branch)
    if record.status == AidRecord.Status.CANCELLED:
        raise ValidationError(_("The record is already cancelled."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for cancelling."))
    record.status = AidRecord.Status.CANCELLED
    record.cancelled_by, record.cancelled_at = by, timezone.now()
    record.cancel_reason = reason.strip()
    record._history_user = by
    record._change_reason = reason.strip()
    record.save()
    return record


def delete_aid(*, record, by):
    """Only a proposed record may be deleted; approved or paid ones are cancelled instead."""
    _in_scope(by, record.program.branch)
    if record.status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
        raise ValidationError(
            _("An approved or paid record is never deleted: cancel it with a reason.")
        )
    record.delete()


# Support requests ---------------------------------------------------------------------------


def _locked_request(request_obj):
    return (
        SupportRequest.objects.select_for_update()
        .select_related("member__branch")
        .get(pk=request_obj.pk)
    )


def _decidable(locked):
    if locked.status not in SupportRequest.OPEN_STATUSES:
        raise ValidationError(_("This request has already been decided or withdrawn."))


@transaction.atomic
def start_review(*, support_request, by):
    locked = _locked_request(support_request)
    _in_scope(by, locked.member.branch)
    if locked.status != SupportRequest.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted request can be taken under review."))
    locked.status = SupportRequest.Status.UNDER_REVIEW
    locked._history_user = by
    locked._change_reason = _("Under review")
    locked.save()
    return locked


@transaction.atomic
def approve_request(*, support_request, by, program, amount_vnd, note=""):
    """Approve a request: the aid record is created in the same transaction, under a row lock."""
    locked = _locked_request(support_request)
    _in_scope(by, locked.member.branch)
    _decidable(locked)
    (record,) = record_aid(
        program=program,
        by=by,
        date=timezone.localdate(),
        entries=[
            AidInput(member=locked.member, amount_vnd=amount_vnd, note=note, confirm_duplicate=True)
        ],
        status=AidRecord.Status.APPROVED,
    )
    locked.status = SupportRequest.Status.APPROVED
    locked.aid_record = record
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decision_reason = note
    locked._history_user = by
    locked._change_reason = _("Approved")
    locked.save()
    return locked


@transaction.atomic
def reject_request(*, support_request, by, reason):
    locked = _locked_request(support_request)
    _in_scope(by, locked.member.branch)
    _decidable(locked)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the refusal."))
    locked.status = SupportRequest.Status.REJECTED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decision_reason = reason.strip()
    locked._history_user = by
    locked._change_reason = _("Rejected")
    locked.save()
    return locked


@transaction.atomic
def withdraw_request(*, support_request, by):
    """The member takes back their own request before a decision."""
    locked = _locked_request(support_request)
    if locked.member.user_id != by.pk:
        raise PermissionDenied
    _decidable(locked)
    locked.status = SupportRequest.Status.WITHDRAWN
    locked._history_user = by
    locked._change_reason = _("Withdrawn by the member")
    locked.save()
    return locked


# Campaigns ----------------------------------------------------------------------------------


def campaign_totals(campaign):
    """Raised (cash plus declared value of goods), given away, balance, number of contributions."""
    rows = campaign.contributions.values("direction").annotate(
        cash=Sum("amount_vnd"), goods=Sum("value_vnd"), n=Count("id")
    )
    raised = given = count = 0
    for row in rows:
        total = (row["cash"] or 0) + (row["goods"] or 0)
        if row["direction"] == Contribution.Direction.IN:
            raised += total
        else:
            given += total
        count += row["n"]
    return {
        "raised_vnd": raised,
        "given_vnd": given,
        "balance_vnd": raised - given,
        "contributions": count,
    }


@transaction.atomic
def add_contribution(*, contribution, by):
    _in_scope(by, contribution.campaign.branch)
    if (
        contribution.member_id
        and not Member.objects.in_subtree(contribution.campaign.branch)
        .filter(pk=contribution.member_id)
        .exists()
    ):
        raise ValidationError(_("The member is not under the campaign's branch."))
    if contribution.date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if contribution.date < contribution.campaign.starts_on:
        raise ValidationError(
            {
                "date": _("The campaign starts on %(date)s.")
                % {"date": f"{contribution.campaign.starts_on:%d/%m/%Y}"}
            }
        )
    contribution.created_by = by
    contribution._history_user = by
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def attach_receipt(*, record, checked, by):
    """Keep a receipt (a ``welfare.uploads.CheckedFile``) with an aid record, in private storage."""
    _in_scope(by, record.program.branch)
    receipt = AidReceipt(
        record=record,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    receipt._history_user = by
    receipt.file.save(f"receipt.{checked.extension}", checked.upload, save=False)
    receipt.save()
    return receipt


def submit_request(
    *, member, kind, description, happened_on, amount_requested_vnd, attachments, request=None
):
    """A member files a support request with its documents (``welfare.uploads.CheckedFile``s),
    consent recorded now, in one transaction; the officers in scope get an e-mail once it has
    committed. Stored files are removed again if anything fails."""
    stored = []
    try:
        with transaction.atomic():
            support_request = SupportRequest(
                member=member,
                kind=kind,
                description=description,
                happened_on=happened_on,
                amount_requested_vnd=amount_requested_vnd,
                consent_given_at=timezone.now(),
                status=SupportRequest.Status.SUBMITTED,
            )
            support_request._change_reason = _("Submitted by the member")
            if member.user_id:
                support_request._history_user = member.user
            support_request.full_clean()
            support_request.save()
            for checked in attachments:
                attachment = RequestAttachment(
                    request=support_request,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=checked.size,
                )
                # The stored name is random (``upload_to``); only the extension comes from here.
                attachment.file.save(f"document{checked.extension}", checked.upload, save=False)
                stored.append(attachment.file.name)
                attachment.save()
            transaction.on_commit(lambda: notifications.notify_officers(support_request, request))
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise
    return support_request
