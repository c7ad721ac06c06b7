"""Who may see which branches: the officer scope, from active officer assignments.

An active assignment in branch B gives scope over B and everything under it; one at the root
gives ministry-level scope. A superuser sees everything. Everyone else sees no branch here.
"""

from django.utils import timezone

from unions.models import Branch, OfficerAssignment


def scope_root_ids(user):
    """Ids of the branches whose subtrees the user may see (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_unions_scope_roots", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roots = list(Branch.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    else:
        roots = list(
            OfficerAssignment.objects.active_on(timezone.localdate())
            .filter(member__user=user, member__status="active", branch__active=True)
            .values_list("branch_id", flat=True)
            .distinct()
        )
    user._unions_scope_roots = roots
    return roots


def is_officer(user):
    return bool(scope_root_ids(user))


def is_ministry_officer(user):
    roots = scope_root_ids(user)
    return bool(roots) and Branch.objects.filter(pk__in=roots, parent__isnull=True).exists()
