"""E-mails about support requests: to the officers in scope on a new request, to the member on
each decision. Sent after the transaction has committed; a mail failure is logged, never shown."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from unions.models import Member, OfficerAssignment
from welfare.models import SupportRequest

logger = logging.getLogger(__name__)


def _address(member):
    user = member.user
    if user is not None and user.is_active and user.email:
        return user.email
    return member.email


def officer_addresses(member):
    """E-mail addresses of the officers whose active assignment's subtree holds the member."""
    chain = [*member.branch.ancestors(), member.branch]
    assignments = (
        OfficerAssignment.objects.active_on()
        .filter(
            branch__in=[b.pk for b in chain],
            branch__active=True,
            member__status=Member.Status.ACTIVE,
        )
        .exclude(member__user__is_active=False)
        .select_related("member__user")
        .order_by("branch__code", "position", "member__search_name")
    )
    addresses = []
    own = _address(member).lower()
    for assignment in assignments:
        address = _address(assignment.member)
        if address and address.lower() != own and address not in addresses:
            addresses.append(address)
    return addresses


def _absolute(request, path):
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(template, context, recipients):
    """One e-mail per recipient, in the portal's language; a mail failure is logged, not shown:
    the request itself has been saved."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    for recipient in recipients:
        try:
            send_mail(subject, body, None, [recipient])
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send %s to %s", template, recipient)


def notify_officers(support_request, request=None):
    recipients = officer_addresses(support_request.member)
    if not recipients:
        logger.warning("No officer to tell about support request %s", support_request.pk)
        return
    context = {
        "support_request": support_request,
        "member": support_request.member,
        "link": _absolute(request, reverse("requests:review", args=[support_request.pk])),
    }
    _send("welfare/email/request_submitted", context, recipients)


def notify_decision(support_request, request=None):
    """Tell the member an officer approved (with the amount) or rejected (with the reason)."""
    support_request = SupportRequest.objects.select_related(
        "member__user", "aid_record__program"
    ).get(pk=support_request.pk)
    address = _address(support_request.member)
    if not address:
        logger.warning("Member of support request %s has no e-mail", support_request.pk)
        return
    context = {
        "support_request": support_request,
        "member": support_request.member,
        "approved": support_request.status == SupportRequest.Status.APPROVED,
        "aid_record": support_request.aid_record,
        "link": _absolute(request, reverse("requests:mine-detail", args=[support_request.pk])),
    }
    _send("welfare/email/request_decided", context, [address])
