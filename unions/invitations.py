"""Member accounts: an officer invites a member, who sets a password through a one-time link.

The link carries a token from ``invitation_token_generator``: Django's password-reset token
machinery with its own salt (a reset token is not an invitation token, nor the other way round)
and its own lifetime, ``settings.INVITATION_TIMEOUT_DAYS`` days. The token hashes the user's
password and last sign-in, so it stops working once the password is set: the link works once.

``invite_member`` and ``invite_branch`` check the officer's scope themselves, so the officers'
pages, the admin and management commands can all call them.
"""

import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from unions.models import Branch, Member

logger = logging.getLogger(__name__)


def invitation_timeout_days():
    return int(getattr(settings, "INVITATION_TIMEOUT_DAYS", 7))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens with their own salt and a lifetime counted in days."""

    key_salt = "unions.invitations.InvitationTokenGenerator"

    @property
    def timeout_seconds(self):
        return invitation_timeout_days() * 24 * 60 * 60

    def check_token(self, user, token):
        # Django's own check compares the age with PASSWORD_RESET_TIMEOUT; this one is the same
        # check with the invitation's lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        return 0 <= self._num_seconds(self._now()) - timestamp <= self.timeout_seconds


invitation_token_generator = InvitationTokenGenerator()


class InviteSummary(NamedTuple):
    """What ``invite_branch`` did. ``failed`` lists (member, reason) for invitations that broke."""

    sent: int
    skipped_no_email: int
    skipped_has_account: int
    failed: tuple = ()


def has_usable_account(member):
    user = member.user
    return user is not None and user.has_usable_password()


def username_for(member):
    """A member's user name: the normalised union card number, in lower case."""
    return member.card_number.lower()


def split_name(full_name):
    """Vietnamese order: the last word is the given name, the rest family and middle names.

    Returns ``(first_name, last_name)`` as Django's user model names them.
    """
    words = (full_name or "").split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def activation_path(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return reverse("members:activate", kwargs={"uidb64": uidb64, "token": token})


def _absolute(path, request):
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "SITE_URL", "")
    if not base:
        raise ImproperlyConfigured("Set SITE_URL to send invitations outside a web request.")
    return base.rstrip("/") + path


def _check_member(member):
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is not an active member, so cannot be given an account.")
            % {"name": member.full_name}
        )
    if not member.email:
        raise ValidationError(
            _("%(name)s has no e-mail address: add one to the member's record first.")
            % {"name": member.full_name}
        )
    if has_usable_account(member):
        raise ValidationError(
            _("%(name)s already has an account (user name %(username)s).")
            % {"name": member.full_name, "username": member.user.get_username()}
        )
    if member.user is not None and not member.user.is_active:
        raise ValidationError(
            _("The account of %(name)s is disabled; an administrator must enable it first.")
            % {"name": member.full_name}
        )


@transaction.atomic
def _account_for(member):
    """The member's user, created (without a usable password) and linked if there is none."""
    User = get_user_model()
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    user = member.user
    if user is None:
        username = username_for(member)
        if User._default_manager.filter(username__iexact=username).exists():
            raise ValidationError(
                _(
                    "An account named %(username)s already exists but is not linked to this "
                    "member; an administrator must link it."
                )
                % {"username": username}
            )
        first_name, last_name = split_name(member.full_name)
        user = User(
            username=username, email=member.email, first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        member.user = user
        member._change_reason = _("User account created for an invitation")
        member.save(update_fields=["user", "updated_at"])
    elif user.email != member.email:
        # The account cannot be used yet, so the invitation goes to the record's address.
        user.email = member.email
        user.save(update_fields=["email"])
    return member, user


def _send(member, user, request):
    link = _absolute(activation_path(user), request)
    from portal.models import SiteSettings

    context = {
        "member": member,
        "user": user,
        "username": user.get_username(),
        "link": link,
        "union_name": SiteSettings.get_solo().name,
        "timeout_days": invitation_timeout_days(),
    }
    # The member reads the e-mail in the portal's language, whatever the officer's choice.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("unions/email/invitation_subject.txt", context)
        body = render_to_string("unions/email/invitation.txt", context)
    subject = " ".join(subject.split())
    return send_mail(subject, body, None, [member.email]) == 1


def invite_member(*, member, by, request=None):
    """Give ``member`` an account (if needed) and e-mail them a link to set its password.

    Raises ``PermissionDenied`` if ``by`` cannot see the member and ``ValidationError`` if the
    member is not active, has no e-mail address or already has an account they can use.
    Returns whether the e-mail went out.
    """
    if not Member.objects.visible_to(by).filter(pk=member.pk).exists():
        raise PermissionDenied(_("This member is outside your scope."))
    _check_member(member)
    member, user = _account_for(member)
    sent = _send(member, user, request)
    logger.info("Invitation for member %s sent by %s", member.card_number, by)
    return sent


def invite_branch(*, branch, by, request=None):
    """Invite every active member of ``branch`` and the branches under it who has no account.

    Members without an e-mail address or with an account they can use are counted, not invited.
    """
    if not Branch.objects.visible_to(by).filter(pk=branch.pk).exists():
        raise PermissionDenied(_("This branch is outside your scope."))
    sent = no_email = has_account = 0
    failed = []
    members = (
        Member.objects.in_subtree(branch).active().select_related("user").order_by("card_number")
    )
    for member in members:
        if has_usable_account(member):
            has_account += 1
            continue
        if not member.email:
            no_email += 1
            continue
        try:
            _check_member(member)
            member, user = _account_for(member)
            if _send(member, user, request):
                sent += 1
            else:
                failed.append((member, _("The e-mail could not be sent.")))
        except ValidationError as error:
            failed.append((member, " ".join(error.messages)))
        except OSError:
            logger.exception("Invitation e-mail to member %s failed", member.card_number)
            failed.append((member, _("The e-mail could not be sent.")))
    logger.info(
        "Invitations for branch %s by %s: %s sent, %s without e-mail, %s with account, %s failed",
        branch.code,
        by,
        sent,
        no_email,
        has_account,
        len(failed),
    )
    return InviteSummary(sent, no_email, has_account, tuple(failed))
