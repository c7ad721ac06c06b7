"""The personal data access log (see ``audit.models``); ``record`` is how views write to it."""


def record(request, action, target, *, branch=None, branch_id=None, member=None):
    """Add one line to the access log for what ``request.user`` just saw or took away."""
    from audit.models import AccessEvent
    from portal.security import client_ip

    user = request.user if request.user.is_authenticated else None
    AccessEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        target=str(target)[:300],
        branch=branch,
        member=member,
        **({"branch_id": branch_id} if branch_id is not None else {}),
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
