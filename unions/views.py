"""Officers' pages under /can-bo/: dashboard, branches, members. Everything is scoped: an
officer sees their branches' subtrees; another branch's id answers 404."""

import datetime
import hashlib
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import audit
from audit.models import AccessEvent
from unions import exports, services
from unions.forms import DependantFormSet, MemberFilterForm, MemberForm, StatusForm, TransferForm
from unions.models import Branch, Member, OfficerAssignment
from unions.scope import is_ministry_officer, is_officer, scope_root_ids

MEMBERS_PER_PAGE = 50
# The member list's filter fields (a select of every branch in scope, through crispy's
# templates) cost more to render than the rest of the page: their HTML is kept this long.
FILTER_FIELDS_SECONDS = 10 * 60
# The member columns the list shows.
LISTED_COLUMNS = [
    "card_number",
    "full_name",
    "branch",
    "joined_on",
    "date_of_birth",
    "category",
    "national_id",
    "status",
    "policy_group",
    "hardship",
]
SORTS = {
    "name": ("search_name", "card_number"),
    "card": ("card_number",),
    "branch": ("branch__code", "search_name"),
    "joined": ("joined_on", "search_name"),
    "born": ("date_of_birth", "search_name"),
}


def officer_required(view):
    """Signed-in officers only: anonymous people sign in first, anyone else gets a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _member_for(request, pk):
    return get_object_or_404(
        Member.objects.visible_to(request.user).select_related("branch", "user"), pk=pk
    )


@officer_required
def dashboard(request):
    members = Member.objects.visible_to(request.user)
    active = members.active()
    roots = Branch.objects.visible_to(request.user).filter(
        Q(parent__isnull=True) | ~Q(parent__in=Branch.objects.visible_to(request.user))
    )
    by_category = dict(
        active.values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
    context = {
        "active_count": active.count(),
        "by_category": [
            (label, by_category.get(value, 0)) for value, label in Member.Category.choices
        ],
        "scope_roots": roots,
        "show_access_log": is_ministry_officer(request.user),
        "branches": _branches_with_counts(request.user)[:50],
        "recent_changes": Member.history.filter(id__in=members.values("id"))
        .select_related("history_user")
        .order_by("-history_date")[:10],
        "attention": {
            "no_email": active.filter(email="").count(),
            "no_birth_date": active.filter(date_of_birth__isnull=True).count(),
            "hardship": active.filter(hardship=True).count(),
            "ending_soon": OfficerAssignment.objects.active_on()
            .filter(branch__in=Branch.objects.visible_to(request.user))
            .filter(end_on__lte=timezone.localdate() + datetime.timedelta(days=60))
            .select_related("member", "branch"),
        },
    }
    return render(request, "unions/dashboard.html", context)


def _branches_with_counts(user):
    return (
        Branch.objects.visible_to(user)
        .select_related("parent")
        .annotate(active_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE)))
        .order_by("code")
    )


@officer_required
def branch_list(request):
    branches = list(_branches_with_counts(request.user))
    visible = {b.pk for b in branches}
    children = {}
    for branch in branches:
        children.setdefault(branch.parent_id if branch.parent_id in visible else None, []).append(
            branch
        )

    def walk(parent_id, depth):
        for branch in children.get(parent_id, []):
            yield branch, depth
            yield from walk(branch.pk, depth + 1)

    return render(request, "unions/branch_list.html", {"rows": list(walk(None, 0))})


@officer_required
def branch_detail(request, pk):
    branch = get_object_or_404(
        Branch.objects.visible_to(request.user).select_related("parent"), pk=pk
    )
    subtree_members = Member.objects.in_subtree(branch).active()
    context = {
        "branch": branch,
        "ancestors": branch.ancestors(),
        "officers": OfficerAssignment.objects.active_on()
        .filter(branch=branch)
        .select_related("member"),
        "children": branch.children.annotate(
            active_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE))
        ).order_by("code"),
        "member_count": subtree_members.count(),
        "direct_count": branch.members.active().count(),
        "by_category": [
            (Member.Category(row["category"]).label, row["n"])
            for row in subtree_members.values("category")
            .annotate(n=Count("id"))
            .order_by("category")
        ],
    }
    return render(request, "unions/branch_detail.html", context)


@officer_required
def member_list(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    members = Member.objects.visible_to(request.user).select_related("branch")
    if form.is_bound and form.is_valid():
        members = form.filter(members)
    sort = request.GET.get("sort", "name")
    descending = sort.startswith("-")
    order = SORTS.get(sort.lstrip("-"), SORTS["name"])
    members = members.order_by(*[f"-{f}" if descending else f for f in order])

    export = request.GET.get("export")
    if export in {"xlsx", "csv"}:
        return _export(request, members, export)

    # Only the listed columns (the export above takes every one).
    members = members.only(*LISTED_COLUMNS, "branch__name")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filter_fields": _filter_fields_html(request, form),
        "page_obj": page,
        "members": _with_urls(page.object_list),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "sort": sort,
        "sort_columns": [
            ("name", _("Full name")),
            ("card", _("Card number")),
            ("branch", _("Branch")),
            ("joined", _("Joined")),
            ("born", _("Date of birth")),
        ],
        "querystring": query.urlencode(),
        "pagination_query": query.urlencode(),
        "filter_querystring": _without(query, "sort"),
    }
    return render(request, "unions/member_list.html", context)


def _with_urls(members):
    """The page's members, each with its page's address: one ``reverse()``, not one a row."""
    marker = "987654321"
    head, tail = reverse("unions:member-detail", kwargs={"pk": marker}).rsplit(marker, 1)
    members = list(members)
    for member in members:
        member.url = f"{head}{member.pk}{tail}"
    return members


def _filter_fields_html(request, form):
    """The filter form's fields as HTML, from the cache when nothing they show has changed.

    They show the branches in the officer's scope and the values asked for, in the language
    of the request: the key holds the scope's roots, the number of visible branches and their
    latest change (one small query, so a new, renamed, moved or removed branch shows at once in
    every process), the language and the submitted values (errors follow from those).
    """
    branches = Branch.objects.visible_to(request.user).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    submitted = (
        [(name, request.GET.getlist(name)) for name in form.fields] if form.is_bound else None
    )
    scope = (scope_root_ids(request.user), branches["n"], branches["changed"])
    digest = hashlib.sha256(repr((get_language(), scope, submitted)).encode()).hexdigest()
    key = f"unions:member-filters:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("unions/includes/member_filter_fields.html", {"form": form})
        cache.set(key, html, FILTER_FIELDS_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there


def _without(query, *names):
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _export(request, members, kind):
    audit.record(
        request,
        AccessEvent.Action.EXPORT_MEMBERS,
        _("%(count)d members (%(kind)s)") % {"count": members.count(), "kind": kind.upper()},
    )
    if kind == "xlsx":
        content = exports.members_xlsx(members)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.members_csv(members)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(kind)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
def member_detail(request, pk):
    member = _member_for(request, pk)
    audit.record(
        request,
        AccessEvent.Action.VIEW_MEMBER,
        f"{member.full_name} ({member.card_number or member.pk})",
        branch=member.branch,
        member=member,
    )
    context = {
        "member": member,
        "ancestors": member.branch.ancestors(),
        "dependants": member.dependants.all(),
        "transfers": member.transfers.select_related("from_branch", "to_branch", "recorded_by"),
        "assignments": member.assignments.select_related("branch"),
        "history": member.history.select_related("history_user").order_by("-history_date")[:20],
        "today": timezone.localdate(),
    }
    return render(request, "unions/member_detail.html", context)


@officer_required
def member_create(request):
    return _member_form(request, Member())


@officer_required
def member_edit(request, pk):
    return _member_form(request, _member_for(request, pk))


def _member_form(request, member):
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    dependants = DependantFormSet(request.POST or None, instance=member, prefix="children")
    if request.method == "POST" and form.is_valid() and dependants.is_valid():
        try:
            with transaction.atomic():
                form.check_unchanged()
                services.save_member(
                    member=form.save(commit=False), by=request.user, dependants=dependants
                )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The member's record has been saved."))
            return redirect(member)
    return render(
        request,
        "unions/member_form.html",
        {"form": form, "dependants": dependants, "member": member},
    )


@officer_required
def member_transfer(request, pk):
    member = _member_for(request, pk)
    form = TransferForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_member(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The member has been transferred."))
            return redirect(member)
    return render(
        request, "unions/member_action.html", {"form": form, "member": member, "action": "transfer"}
    )


@officer_required
def member_status(request, pk):
    member = _member_for(request, pk)
    form = StatusForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The member's status has been changed."))
            return redirect(member)
    return render(
        request, "unions/member_action.html", {"form": form, "member": member, "action": "status"}
    )
