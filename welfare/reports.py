"""The half-year (or any period) review of a branch and everything under it.

``review(branch=..., start=..., end=...)`` computes every figure with database aggregates (a fixed
number of queries, whatever the amount of data); the command ``welfare_report``, and later the
officers' report pages and documents, all use it. Both dates are included. Only approved and
paid/delivered aid counts; proposed and cancelled records do not. The JSON shape of DESIGN.md is a
contract: keys are only ever added.
"""

import datetime
import statistics

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from unions.models import Branch, Member
from welfare.models import AidKind, AidRecord, Campaign, Contribution, SupportRequest

LEFT_STATUSES = [
    Member.Status.TRANSFERRED,
    Member.Status.RETIRED,
    Member.Status.LEFT,
    Member.Status.DECEASED,
]


def _sum(value):
    return int(value or 0)


def _top_of(branch):
    """Map each branch under ``branch`` to the direct sub-branch it belongs to (one query)."""
    children = {b.pk: b for b in Branch.objects.filter(parent=branch).order_by("code")}
    top = {branch.pk: None}
    rows = Branch.objects.subtree(branch).values_list("pk", "parent_id")
    parent_of = dict(rows)
    for pk in parent_of:
        node = pk
        while node is not None and node not in children and node != branch.pk:
            node = parent_of.get(node)
        top[pk] = node if node in children else None
    return children, top


def _aid(branch, start, end):
    records = AidRecord.objects.counted().filter(
        branch_id__in=Branch.objects.subtree_ids([branch.pk]), date__range=(start, end)
    )
    totals = records.aggregate(
        records=Count("id"),
        beneficiaries=Count("member", distinct=True),
        amount=Sum("amount_vnd"),
        value=Sum("value_vnd"),
    )
    labels = dict(AidKind.choices)
    by_kind = {
        row["program__kind"]: {
            "label": str(labels.get(row["program__kind"], row["program__kind"])),
            "records": row["records"],
            "beneficiaries": row["beneficiaries"],
            "amount_vnd": _sum(row["amount"]),
            "value_vnd": _sum(row["value"]),
        }
        for row in records.values("program__kind")
        .annotate(
            records=Count("id"),
            beneficiaries=Count("member", distinct=True),
            amount=Sum("amount_vnd"),
            value=Sum("value_vnd"),
        )
        .order_by("program__kind")
    }
    by_program = [
        {
            "code": row["program__code"],
            "name": row["program__name"],
            "kind": row["program__kind"],
            "records": row["records"],
            "beneficiaries": row["beneficiaries"],
            "amount_vnd": _sum(row["amount"]),
            "value_vnd": _sum(row["value"]),
        }
        for row in records.values("program__code", "program__name", "program__kind")
        .annotate(
            records=Count("id"),
            beneficiaries=Count("member", distinct=True),
            amount=Sum("amount_vnd"),
            value=Sum("value_vnd"),
        )
        .order_by("program__code")
    ]
    in_kind = [
        {
            "item": row["item"],
            "unit": row["unit"],
            "quantity": _sum(row["quantity"]),
            "value_vnd": _sum(row["value"]),
        }
        for row in records.exclude(item="")
        .values("item", "unit")
        .annotate(quantity=Sum("quantity"), value=Sum("value_vnd"))
        .order_by("item", "unit")
    ]
    by_branch = _aid_by_sub_branch(branch, records)
    by_month = _aid_by_month(records, start, end)
    return {
        "records": totals["records"],
        "beneficiaries": totals["beneficiaries"],
        "amount_vnd": _sum(totals["amount"]),
        "value_vnd": _sum(totals["value"]),
        "by_kind": by_kind,
        "by_program": by_program,
        "by_branch": by_branch,
        "by_month": by_month,
        "in_kind": in_kind,
    }


def months(start, end):
    """The first day of every month from ``start``'s to ``end``'s, both included."""
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _aid_by_month(records, start, end):
    """Every month of the period, months with nothing included (all zeros): one grouped query.
    ``date`` is a DateField, so truncating it involves no time zone. ``beneficiaries`` is distinct
    within each month: a member helped in two months counts in both."""
    figures = {
        row["month"]: row
        for row in records.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            records=Count("id"),
            beneficiaries=Count("member", distinct=True),
            amount=Sum("amount_vnd"),
            value=Sum("value_vnd"),
        )
        .order_by("month")
    }
    rows = []
    for month in months(start, end):
        row = figures.get(month, {})
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                "label": month.strftime("%m/%Y"),
                "records": row.get("records", 0),
                "beneficiaries": row.get("beneficiaries", 0),
                "amount_vnd": _sum(row.get("amount")),
                "value_vnd": _sum(row.get("value")),
            }
        )
    return rows


def _aid_by_sub_branch(branch, records):
    """Each direct sub-branch with its own subtree, then the branch's own records: one grouped
    query, the group of each record chosen by a CASE over the (few) branch ids."""
    children, top = _top_of(branch)
    groups = {}
    for branch_id, child_id in top.items():
        groups.setdefault(child_id or 0, []).append(branch_id)
    group = Case(
        *[When(branch_id__in=ids, then=Value(key)) for key, ids in groups.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    figures = {
        row["group"]: row
        for row in records.annotate(group=group)
        .values("group")
        .annotate(
            records=Count("id"),
            beneficiaries=Count("member", distinct=True),
            amount=Sum("amount_vnd"),
        )
    }
    rows = []
    for key, node in [*children.items(), (0, branch)]:
        row = figures.get(key, {})
        rows.append(
            {
                "code": node.code,
                "name": node.name,
                "own": key == 0,
                "records": row.get("records", 0),
                "beneficiaries": row.get("beneficiaries", 0),
                "amount_vnd": _sum(row.get("amount")),
            }
        )
    return rows


def campaigns_in_period(branch, start, end):
    """The campaigns of ``branch``'s subtree that ran at some time between ``start`` and ``end``."""
    return Campaign.objects.filter(
        branch_id__in=Branch.objects.subtree_ids([branch.pk]), starts_on__lte=end
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))


def _campaigns(branch, start, end):
    campaigns = campaigns_in_period(branch, start, end)
    contributions = (
        Contribution.objects.filter(campaign__in=campaigns, date__range=(start, end))
        .values("campaign_id", "direction")
        .annotate(n=Count("id"), cash=Sum("amount_vnd"), goods=Sum("value_vnd"))
    )
    totals = {}
    for row in contributions:
        entry = totals.setdefault(row["campaign_id"], {"in": 0, "out": 0, "n": 0})
        entry[row["direction"]] += _sum(row["cash"]) + _sum(row["goods"])
        entry["n"] += row["n"]
    result = []
    for campaign in campaigns.order_by("starts_on", "code"):
        entry = totals.get(campaign.pk, {"in": 0, "out": 0, "n": 0})
        result.append(
            {
                "code": campaign.code,
                "name": campaign.name,
                "goal_vnd": campaign.goal_vnd,
                "raised_vnd": entry["in"],
                "goal_percent": (
                    round(entry["in"] * 100 / campaign.goal_vnd, 1) if campaign.goal_vnd else None
                ),
                "disbursed_vnd": entry["out"],
                "contributions": entry["n"],
            }
        )
    return result


def _requests(branch, start, end):
    requests = SupportRequest.objects.filter(
        member__branch_id__in=Branch.objects.subtree_ids([branch.pk]),
        submitted_at__date__range=(start, end),
    )
    counts = requests.aggregate(
        submitted=Count("id"),
        approved=Count("id", filter=Q(status=SupportRequest.Status.APPROVED)),
        rejected=Count("id", filter=Q(status=SupportRequest.Status.REJECTED)),
        withdrawn=Count("id", filter=Q(status=SupportRequest.Status.WITHDRAWN)),
        pending=Count("id", filter=Q(status__in=SupportRequest.OPEN_STATUSES)),
    )
    decided = requests.filter(decided_at__isnull=False).values_list("submitted_at", "decided_at")
    days = [
        (decided_at - submitted_at).total_seconds() / 86400 for submitted_at, decided_at in decided
    ]
    counts["median_days_to_decision"] = round(statistics.median(days), 1) if days else None
    return counts


def _members(branch, start, end):
    members = Member.objects.in_subtree(branch)
    active_at_end = members.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=end)).filter(
        Q(status=Member.Status.ACTIVE) | Q(status_changed_on__gt=end)
    )
    by_category = dict(
        active_at_end.values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
    by_gender = dict(
        active_at_end.values_list("gender").annotate(n=Count("id")).values_list("gender", "n")
    )
    return {
        "total": active_at_end.count(),
        "joined": members.filter(joined_on__range=(start, end)).count(),
        "left": members.filter(
            status__in=LEFT_STATUSES, status_changed_on__range=(start, end)
        ).count(),
        "by_category": {
            value: by_category.get(value, 0) for value, _label in Member.Category.choices
        },
        "by_gender": {value: by_gender.get(value, 0) for value, _label in Member.Gender.choices},
    }


def _change(now, before):
    if not before:
        return None
    return round((now - before) * 100 / before, 1)


def _headline(branch, start, end):
    aid = (
        AidRecord.objects.counted()
        .filter(branch_id__in=Branch.objects.subtree_ids([branch.pk]), date__range=(start, end))
        .aggregate(
            records=Count("id"),
            beneficiaries=Count("member", distinct=True),
            amount=Sum("amount_vnd"),
        )
    )
    return {
        "aid_records": aid["records"],
        "aid_beneficiaries": aid["beneficiaries"],
        "aid_amount_vnd": _sum(aid["amount"]),
    }


def previous_period(start, end):
    """The period of equal length that ends the day before ``start``."""
    length = (end - start).days + 1
    return start - datetime.timedelta(days=length), start - datetime.timedelta(days=1)


def review(*, branch, start, end):
    """Every figure of the review of ``branch`` and its subtree, ``start`` and ``end`` included."""
    if end < start:
        raise ValueError("end is before start")
    previous_start, previous_end = previous_period(start, end)
    now = _headline(branch, start, end)
    before = _headline(branch, previous_start, previous_end)
    result = {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "branch": {"code": branch.code, "name": branch.name},
        "aid": _aid(branch, start, end),
        "campaigns": _campaigns(branch, start, end),
        "support_requests": _requests(branch, start, end),
        "members": _members(branch, start, end),
        "previous": {
            "period": {"from": previous_start.isoformat(), "to": previous_end.isoformat()},
            **before,
        },
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    result["change_percent"] = {key: _change(now[key], before[key]) for key in now}
    return result
