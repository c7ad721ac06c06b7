"""Members' support requests, end to end.

Members file and follow their own requests under ``/doan-vien/de-nghi-ho-tro/``; officers review
the requests of their scope under ``/can-bo/de-nghi/``. Decisions go through
``welfare.services`` (start_review, approve_request, reject_request, withdraw_request), which
check scope and status under a row lock. Attachments live in the private storage and are served
only by ``attachment``, which checks who asks. E-mails leave once the transaction has committed.
"""

import datetime
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import audit
from audit.models import AccessEvent
from portal.storage import private_file_response
from unions.views import officer_required
from unions.views_member import _own_member
from welfare import notifications, services
from welfare.forms_requests import ApproveForm, QueueFilterForm, RejectForm, SupportRequestForm
from welfare.models import RequestAttachment, SupportRequest

logger = logging.getLogger(__name__)

SUBMITTED_FIELDS = ["kind", "description", "happened_on", "amount_requested_vnd"]
OVERDUE_DAYS = 7
REQUESTS_PER_PAGE = 25


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
        data = {name: form.cleaned_data[name] for name in SUBMITTED_FIELDS}
        support_request = services.submit_request(
            member=member, attachments=form.cleaned_data["attachments"], request=request, **data
        )
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
    document = get_object_or_404(allowed.select_related("request__member"), pk=pk)
    member = document.request.member
    audit.record(
        request,
        AccessEvent.Action.DOWNLOAD_ATTACHMENT,
        f"{document.original_name} — {member.full_name}",
        branch_id=member.branch_id,
        member=member,
    )
    response = private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
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
    support_request = _officer_request(request, pk)
    audit.record(
        request,
        AccessEvent.Action.VIEW_REQUEST,
        f"{support_request} — {support_request.member.full_name}",
        branch_id=support_request.member.branch_id,
        member=support_request.member,
    )
    return _render_review(request, support_request)


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
        transaction.on_commit(lambda: notifications.notify_decision(decided, request))
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
        transaction.on_commit(lambda: notifications.notify_decision(decided, request))
        return decided

    _decide(request, support_request, action, _("The request is rejected; the member is told."))
    return redirect("requests:review", pk=support_request.pk)
