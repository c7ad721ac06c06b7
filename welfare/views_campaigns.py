"""Donation campaigns: the officers' pages under /can-bo/quyen-gop/ and the public pages under
/quyen-gop/.

Officers see the campaigns of their branches' subtrees (another branch's id answers 404), add
contributions in and disbursements out through ``welfare.services.add_contribution``. The public
pages show only campaigns marked public, and only totals: by branch (branch names and sums) and
what was given away, never a donor's name or an individual's amount. Nothing here is cached, so a
campaign taken off the public list disappears at once.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unions.models import Branch
from unions.views import officer_required
from welfare.forms_campaigns import CampaignForm, ContributionForm
from welfare.models import Campaign, Contribution
from welfare.services import add_contribution, campaign_totals

CONTRIBUTIONS_PER_PAGE = 50
IN, OUT = Contribution.Direction.IN, Contribution.Direction.OUT


# --------------------------------------------------------------------------------------------
# Figures shared by the officers' and the public pages


def with_totals(campaigns):
    """Campaigns annotated with ``raised_vnd`` (cash plus declared value of goods that came in),
    ``given_vnd`` and ``contribution_count``, in the same query."""
    worth = F("contributions__amount_vnd") + F("contributions__value_vnd")
    whole = BigIntegerField()
    return campaigns.annotate(
        raised_vnd=Coalesce(
            Sum(worth, filter=Q(contributions__direction=IN)), Value(0), output_field=whole
        ),
        given_vnd=Coalesce(
            Sum(worth, filter=Q(contributions__direction=OUT)), Value(0), output_field=whole
        ),
        contribution_count=Count("contributions"),
    )


def branch_totals(campaign):
    """What came in, by branch: the contribution's branch, else its member's branch; outside
    donors together last (``branch`` None). Names and sums only: one query."""
    rows = (
        campaign.contributions.filter(direction=IN)
        .values(
            counted_branch=Coalesce("branch_id", "member__branch_id"),
            branch_name=Coalesce("branch__name", "member__branch__name"),
        )
        .annotate(total_vnd=Sum(F("amount_vnd") + F("value_vnd")), count=Count("id"))
        .order_by()
    )
    rows = [
        {
            "branch": row["counted_branch"],
            "name": row["branch_name"] or _("Outside donors"),
            "total_vnd": row["total_vnd"] or 0,
            "count": row["count"],
        }
        for row in rows
    ]
    rows.sort(key=lambda row: (row["branch"] is None, -row["total_vnd"], row["name"]))
    return rows


def progress(campaign, raised):
    """Raised against the goal, in per cent (capped at 100 for the bar); None without a goal."""
    if not campaign.goal_vnd:
        return None
    percent = raised * 100 // campaign.goal_vnd
    return {"percent": percent, "bar": min(percent, 100)}


def public_disbursements(campaign):
    """What the campaign gave away, for the public page: recipients that are outside parties or
    branches one by one; gifts to individual members only as one total line (no name, no
    individual amount)."""
    lines, to_members = [], {"count": 0, "amount_vnd": 0, "value_vnd": 0}
    rows = (
        campaign.contributions.filter(direction=OUT)
        .order_by("date", "id")
        .values(
            "date",
            "party",
            "member_id",
            "branch__name",
            "item",
            "quantity",
            "unit",
            "amount_vnd",
            "value_vnd",
        )
    )
    for row in rows:
        if row["member_id"] and not row["party"]:
            to_members["count"] += 1
            to_members["amount_vnd"] += row["amount_vnd"]
            to_members["value_vnd"] += row["value_vnd"]
            continue
        row["recipient"] = row["party"] or row["branch__name"]
        lines.append(row)
    return lines, (to_members if to_members["count"] else None)


# --------------------------------------------------------------------------------------------
# Officers' pages


def _campaign_for(request, pk):
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("branch"), pk=pk
    )


def _detail_url(campaign):
    return reverse("campaigns:detail", kwargs={"pk": campaign.pk})


@officer_required
def campaign_list(request):
    campaigns = with_totals(Campaign.objects.visible_to(request.user).select_related("branch"))
    return render(
        request,
        "welfare/campaigns/list.html",
        {"campaigns": campaigns.order_by("-starts_on", "code")},
    )


@officer_required
def campaign_create(request):
    return _campaign_form(request, Campaign())


@officer_required
def campaign_edit(request, pk):
    return _campaign_form(request, _campaign_for(request, pk))


def _campaign_form(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.check_unchanged()
                campaign = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The campaign has been saved."))
            return redirect(_detail_url(campaign))
    return render(request, "welfare/campaigns/form.html", {"form": form, "campaign": campaign})


@officer_required
def campaign_detail(request, pk):
    return _render_detail(request, _campaign_for(request, pk))


@officer_required
@require_POST
def contribution_add(request, pk, direction):
    campaign = _campaign_for(request, pk)
    branches = _choosable_branches(campaign)
    form = ContributionForm(
        request.POST, user=request.user, campaign=campaign, direction=direction, branches=branches
    )
    if form.is_valid():
        try:
            add_contribution(contribution=form.contribution(), by=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The contribution has been recorded.")
                if direction == IN
                else _("The disbursement has been recorded."),
            )
            return redirect(_detail_url(campaign) + "#contributions")
    return _render_detail(request, campaign, branches=branches, **{f"{direction}_form": form})


def _add_service_errors(form, exc):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages_ in exc.message_dict.items():
        field = name if name in form.fields else None
        if name == NON_FIELD_ERRORS:
            field = None
        form.add_error(field, messages_)


def _choosable_branches(campaign):
    return list(
        Branch.objects.subtree(campaign.branch_id)
        .filter(active=True)
        .only("id", "code", "name")
        .order_by("code")
    )


def _render_detail(request, campaign, *, branches=None, in_form=None, out_form=None):
    if branches is None:
        branches = _choosable_branches(campaign)
    totals = campaign_totals(campaign)
    contributions = campaign.contributions.select_related(
        "member", "branch", "created_by"
    ).order_by("-date", "-id")
    paginator = Paginator(contributions, CONTRIBUTIONS_PER_PAGE)
    # The count is already in the totals: no second COUNT query.
    paginator.count = totals["contributions"]
    page = paginator.get_page(request.GET.get("page"))

    def form_for(direction):
        return ContributionForm(
            user=request.user, campaign=campaign, direction=direction, branches=branches
        )

    context = {
        "campaign": campaign,
        "totals": totals,
        "progress": progress(campaign, totals["raised_vnd"]),
        "by_branch": branch_totals(campaign),
        "page_obj": page,
        "contributions": page.object_list,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "in_form": in_form or form_for(IN),
        "out_form": out_form or form_for(OUT),
    }
    return render(request, "welfare/campaigns/detail.html", context)


# --------------------------------------------------------------------------------------------
# Public pages


def public_list(request):
    campaigns = with_totals(Campaign.objects.public()).order_by("-starts_on", "code")
    rows = [(campaign, progress(campaign, campaign.raised_vnd)) for campaign in campaigns]
    return render(request, "welfare/campaigns/public_list.html", {"rows": rows})


def public_detail(request, slug):
    campaign = get_object_or_404(Campaign.objects.public().select_related("branch"), slug=slug)
    totals = campaign_totals(campaign)
    given, to_members = public_disbursements(campaign)
    context = {
        "campaign": campaign,
        "totals": totals,
        "progress": progress(campaign, totals["raised_vnd"]),
        "by_branch": branch_totals(campaign),
        "given": given,
        "to_members": to_members,
    }
    return render(request, "welfare/campaigns/public_detail.html", context)
