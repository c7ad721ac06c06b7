"""Changes to members that touch more than one row: each is one transaction, kept in history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import nfc
from unions.models import Branch, Member, Transfer


def _check_scope(user, *branches):
    visible = Branch.objects.visible_to(user)
    if visible.filter(pk__in=[b.pk for b in branches]).count() != len({b.pk for b in branches}):
        raise PermissionDenied(_("This branch is outside your scope."))


@transaction.atomic
def save_member(*, member, by, dependants=None, reason=""):
    """Create or update a member (and their children) after checking the officer's scope."""
    _check_scope(by, member.branch)
    if member.pk:
        current = Member.objects.select_for_update().get(pk=member.pk)
        if current.branch_id != member.branch_id:
            raise ValidationError(_("Use the transfer form to move a member to another branch."))
    member.full_clean()
    member._change_reason = reason
    member.save()
    if dependants is not None:
        dependants.instance = member
        dependants.save()
    return member


@transaction.atomic
def transfer_member(*, member, to_branch, date, by, reason=""):
    """Move a member to another branch; the transfer is recorded and the history kept."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_scope(by, member.branch, to_branch)
    if to_branch.pk == member.branch_id:
        raise ValidationError(_("The member is already in this branch."))
    if not to_branch.active:
        raise ValidationError(_("This branch is no longer active."))
    Transfer.objects.create(
        member=member,
        from_branch=member.branch,
        to_branch=to_branch,
        date=date,
        reason=nfc(reason),
        recorded_by=by,
    )
    member.branch = to_branch
    member._change_reason = _("Transferred to %(branch)s") % {"branch": to_branch.name}
    member.save()
    return member


@transaction.atomic
def change_status(*, member, status, date, by, reason):
    """Mark a member as left, retired, deceased or transferred out (or active again), with why."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_scope(by, member.branch)
    if status == member.status:
        raise ValidationError(_("The member already has this status."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    member.status = status
    member.status_changed_on = date
    member.status_reason = reason.strip()
    member._change_reason = reason.strip()
    member.full_clean()
    member.save()
    return member
