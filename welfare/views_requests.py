"""Members' support requests, end to end.

Members file and follow their own requests under ``/doan-vien/de-nghi-ho-tro/``; officers review
the requests of their scope under ``/can-bo/de-nghi/``. Decisions go through
``welfare.services`` (start_review, approve_request, reject_request, withdraw_request), which
check scope and status under a row lock. Attachments live in the private storage and are served
only by ``attachment``, which checks who asks. E-mails leave once the transaction has committed.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from unions.models import Member, OfficerAssignment
from unions.views import officer_required
from unions.views_member import _own_member
from welfare import services
from welfare.forms_requests import ApproveForm, QueueFilterForm, RejectForm, SupportRequestForm
from welfare.models import RequestAttachment, SupportRequest, private_storage

logger = logging.getLogger(__name__)

OVERDUE_DAYS = 7
REQUESTS_PER_PAGE = 25


# Filing a request and telling people ------------------------------------------------------


def submit_request(*, member, form, request):
    """Save a valid ``SupportRequestForm`` for ``member`` with its documents, in one transaction;
    the officers in scope get an e-mail once it has committed."""
    stored = []
    try:
        with transaction.atomic():
            support_request = form.save(commit=False)
            support_request.member = member
            support_request.consent_given_at = timezone.now()
            support_request.status = SupportRequest.Status.SUBMITTED
            support_request._change_reason = _("Submitted by the member")
            support_request.save()
            for checked in form.cleaned_data["attachments"]:
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
            transaction.on_commit(lambda: notify_officers(support_request, request))
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise
    return support_request


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


def _timeline(support_request):
    """The request's history, one row per change of status, oldest first."""
    rows = []
    history = support_request.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    for row in history:
        if not rows or rows[-1].status != row.status:
            rows.append(row)
    return rows


# The member's pages -----------------------------------------------------------------------


def _own_request(request, pk):
    member = _own_member(request)
    support_request = get_object_or_404(
        SupportRequest.objects.of_user(request.user)
        .filter(member=member)
        .select_related("member__branch", "aid_record__program"),
        pk=pk,
    )
    return member, support_request


@never_cache
@login_required
def new(request):
    member = _own_member(request, "branch", "user")
    form = SupportRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        support_request = submit_request(member=member, form=form, request=request)
        messages.success(
            request,
            _(
                "Your request has been sent. The union office will review it and tell you "
                "by e-mail."
            ),
        )
        return redirect("requests:mine-detail", pk=support_request.pk)
    breadcrumbs = [
        (_("Member area"), reverse("members:home")),
        (_("My support requests"), reverse("requests:mine")),
        (_("New request"), None),
    ]
    return render(
        request,
        "welfare/requests/new.html",
        {"form": form, "member": member, "breadcrumbs": breadcrumbs},
    )


@never_cache
@login_required
def mine(request):
    member = _own_member(request)
    support_requests = (
        SupportRequest.objects.of_user(request.user)
        .filter(member=member)
        .select_related("aid_record")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-submitted_at", "-id")  # Meta.ordering is dropped from GROUP BY queries
    )
    breadcrumbs = [(_("Member area"), reverse("members:home")), (_("My support requests"), None)]
    return render(
        request,
        "welfare/requests/mine.html",
        {"member": member, "support_requests": support_requests, "breadcrumbs": breadcrumbs},
    )


@never_cache
@login_required
def mine_detail(request, pk):
    member, support_request = _own_request(request, pk)
    breadcrumbs = [
        (_("Member area"), reverse("members:home")),
        (_("My support requests"), reverse("requests:mine")),
        (support_request.get_kind_display(), None),
    ]
    context = {
        "member": member,
        "support_request": support_request,
        "is_open": support_request.status in SupportRequest.OPEN_STATUSES,
        "timeline": _timeline(support_request),
        "attachments": support_request.attachments.all(),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "welfare/requests/mine_detail.html", context)


@login_required
@require_POST
def withdraw(request, pk):
    _member, support_request = _own_request(request, pk)
    try:
        services.withdraw_request(support_request=support_request, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("requests:mine-detail", pk=support_request.pk)


@login_required
def attachment(request, pk):
    """A request's document, to its member or to an officer whose scope holds the member."""
    allowed = RequestAttachment.objects.filter(
        Q(request__in=SupportRequest.objects.of_user(request.user).values("pk"))
        | Q(request__in=SupportRequest.objects.visible_to(request.user).values("pk"))
    )
    document = get_object_or_404(allowed, pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# The officers' pages ----------------------------------------------------------------------


def _officer_request(request, pk):
    return get_object_or_404(
        SupportRequest.objects.visible_to(request.user).select_related(
            "member__branch", "member__user", "aid_record__program", "decided_by"
        ),
        pk=pk,
    )


@officer_required
def queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    overdue_before = timezone.now() - datetime.timedelta(days=OVERDUE_DAYS)
    support_requests = (
        form.filter(SupportRequest.objects.visible_to(request.user))
        .select_related("member__branch")
        .annotate(
            overdue=Case(
                When(
                    status__in=SupportRequest.OPEN_STATUSES,
                    submitted_at__lt=overdue_before,
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            attachment_count=Count("attachments"),
        )
    )
    if form.shows_open_only():
        # The longest waiting first: those open for more than a week lead the list.
        support_requests = support_requests.order_by("-overdue", "submitted_at", "id")
    else:
        support_requests = support_requests.order_by("-submitted_at", "-id")
    page = Paginator(support_requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "support_requests": page.object_list,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "pagination_query": query.urlencode(),
        "overdue_days": OVERDUE_DAYS,
    }
    return render(request, "welfare/requests/queue.html", context)


def _render_review(request, support_request, *, approve_form=None, reject_form=None, status=200):
    is_open = support_request.status in SupportRequest.OPEN_STATUSES
    if is_open:
        approve_form = approve_form or ApproveForm(
            user=request.user, support_request=support_request
        )
        reject_form = reject_form or RejectForm()
    member = support_request.member
    context = {
        "support_request": support_request,
        "member": member,
        "branch_chain": [*member.branch.ancestors(), member.branch],
        "is_open": is_open,
        "can_start_review": support_request.status == SupportRequest.Status.SUBMITTED,
        "approve_form": approve_form,
        "reject_form": reject_form,
        "attachments": support_request.attachments.all(),
        "timeline": support_request.history.select_related("history_user").order_by(
            "history_date", "history_id"
        ),
        "overdue": is_open
        and support_request.submitted_at < timezone.now() - datetime.timedelta(days=OVERDUE_DAYS),
    }
    return render(request, "welfare/requests/review.html", context, status=status)


@officer_required
def review(request, pk):
    return _render_review(request, _officer_request(request, pk))


def _decide(request, support_request, action, success_message):
    """Run a service; its refusal becomes a message, a scope refusal a 404."""
    try:
        with transaction.atomic():
            decided = action()
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success_message)
    return decided


@officer_required
@require_POST
def start_review(request, pk):
    support_request = _officer_request(request, pk)
    _decide(
        request,
        support_request,
        lambda: services.start_review(support_request=support_request, by=request.user),
        _("The request is now under review."),
    )
    return redirect("requests:review", pk=support_request.pk)


@officer_required
@require_POST
def approve(request, pk):
    support_request = _officer_request(request, pk)
    if support_request.status not in SupportRequest.OPEN_STATUSES:
        messages.error(request, _("This request has already been decided or withdrawn."))
        return redirect("requests:review", pk=support_request.pk)
    form = ApproveForm(request.POST, user=request.user, support_request=support_request)
    if not form.is_valid():
        return _render_review(request, support_request, approve_form=form)
    data = form.cleaned_data

    def action():
        decided = services.approve_request(
            support_request=support_request,
            by=request.user,
            program=data["program"],
            amount_vnd=data["amount_vnd"],
            note=data["note"],
        )
        transaction.on_commit(lambda: notify_decision(decided, request))
        return decided

    _decide(request, support_request, action, _("The request is approved and the aid recorded."))
    return redirect("requests:review", pk=support_request.pk)


@officer_required
@require_POST
def reject(request, pk):
    support_request = _officer_request(request, pk)
    if support_request.status not in SupportRequest.OPEN_STATUSES:
        messages.error(request, _("This request has already been decided or withdrawn."))
        return redirect("requests:review", pk=support_request.pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_review(request, support_request, reject_form=form)

    def action():
        decided = services.reject_request(
            support_request=support_request, by=request.user, reason=form.cleaned_data["reason"]
        )
        transaction.on_commit(lambda: notify_decision(decided, request))
        return decided

    _decide(request, support_request, action, _("The request is rejected; the member is told."))
    return redirect("requests:review", pk=support_request.pk)
