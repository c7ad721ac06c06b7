"""Sign-in and session safeguards that Django and django-axes leave to the project.

- ``client_ip``: the address of the person, also behind a reverse proxy (``TRUSTED_PROXIES``
  hops of ``X-Forwarded-For`` are trusted, none by default), for lock-outs and the audit log.
- ``SessionIdleTimeoutMiddleware``: people who hold power over others' data (officers, editors,
  staff) are signed out after ``SESSION_IDLE_STAFF_MINUTES`` without a request, members after
  ``SESSION_IDLE_MEMBER_HOURS``. The limit is chosen once at sign-in and kept in the session, so
  the check costs no query; the last-seen time is written at most once a minute.
- ``SecurityHeadersMiddleware``: the headers Django's SecurityMiddleware does not send.
"""

import logging
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import roles

logger = logging.getLogger("portal.security")

IDLE_LIMIT_KEY = "_portal_idle_limit"
LAST_SEEN_KEY = "_portal_last_seen"
# Writing the last-seen time on every request would save the session on every request.
LAST_SEEN_RESOLUTION = 60


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw."""
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a value, not a bind)


def idle_limit_for(user):
    """Seconds of inactivity after which this user's session ends."""
    if user.is_staff or roles.is_editor(user) or roles.is_officer(user):
        return settings.SESSION_IDLE_STAFF_MINUTES * 60
    return settings.SESSION_IDLE_MEMBER_HOURS * 3600


@receiver(user_logged_in)
def _remember_idle_limit(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    limit = idle_limit_for(user)
    request.session[IDLE_LIMIT_KEY] = limit
    request.session[LAST_SEEN_KEY] = int(time.time())
    # The cookie and the stored session expire with the same limit.
    request.session.set_expiry(limit)


@receiver(user_locked_out)
def _log_lockout(sender, request, username, ip_address, **kwargs):
    """Every lock-out leaves one line in the log (django-axes also keeps it in the database)."""
    logger.warning("Sign-in locked out: username=%r address=%s", username, ip_address)


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            limit = session.get(IDLE_LIMIT_KEY)
            if limit is None:  # signed in some other way (an old session): choose now
                limit = idle_limit_for(user)
                session[IDLE_LIMIT_KEY] = limit
            now = int(time.time())
            last_seen = session.get(LAST_SEEN_KEY, now)
            if now - last_seen > limit:
                logout(request)
                messages.info(
                    request,
                    _("Your session ended after a period without activity. Please sign in again."),
                )
                login_url = redirect("accounts:login").url
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_KEY not in session:
                session[LAST_SEEN_KEY] = now
                session.set_expiry(limit)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy: the portal uses no camera, microphone, location, payment or USB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
