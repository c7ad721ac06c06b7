"""Officers' aid pages under /can-bo/ho-tro/: programmes, their records, the bulk list, the
signature list. Every programme is fetched through the officer's scope (another branch's id
answers 404); every rule is checked by ``welfare.services``, whose refusals show on the form."""

import io
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

import audit
from audit.models import AccessEvent
from portal.spreadsheet import safe_row
from portal.templatetags.portal_tags import format_vnd
from portal.text import fold
from unions.models import Member
from unions.views import officer_required
from welfare import services
from welfare.forms_aid import (
    BulkForm,
    CancelForm,
    EligibleFilterForm,
    ProgramForm,
    RecordForm,
    format_vnd_input,
    read_selection,
)
from welfare.models import AidProgram, AidRecord
from welfare.words import vnd_in_words

PROGRAMS_PER_PAGE = 50
RECORDS_PER_PAGE = 50
COUNTED_STATUSES = {AidRecord.Status.APPROVED, AidRecord.Status.PAID}  # as AidRecord.counted()
# The record columns the programme page's table uses.
RECORD_COLUMNS = [
    "program",
    "member",
    "branch",
    "date",
    "amount_vnd",
    "item",
    "quantity",
    "unit",
    "value_vnd",
    "note",
    "status",
    "duplicate_confirmed",
    "cancel_reason",
]
BULK_LIST_LIMIT = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"


def _program_for(request, pk):
    return get_object_or_404(
        AidProgram.objects.visible_to(request.user).select_related("branch"), pk=pk
    )


def _record_for(request, pk, record_pk):
    program = _program_for(request, pk)
    record = get_object_or_404(program.records.select_related("member", "branch"), pk=record_pk)
    record.program = program
    return program, record


def _counted_sum():
    counted = Q(records__status__in=[AidRecord.Status.APPROVED, AidRecord.Status.PAID])
    return Sum("records__amount_vnd", filter=counted, default=0) + Sum(
        "records__value_vnd", filter=counted, default=0
    )


# Programmes ---------------------------------------------------------------------------------


@officer_required
def program_list(request):
    programs = (
        AidProgram.objects.visible_to(request.user)
        .select_related("branch")
        .annotate(used_vnd=_counted_sum(), record_count=Count("records"))
        .order_by("-starts_on", "code")
    )
    page = Paginator(programs, PROGRAMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "programs": page.object_list,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "welfare/aid/program_list.html", context)


@officer_required
def program_create(request):
    return _program_form(request, AidProgram())


@officer_required
def program_edit(request, pk):
    return _program_form(request, _program_for(request, pk))


def _program_form(request, program):
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.check_unchanged()
                program = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The aid programme has been saved."))
            return redirect("aid:program", pk=program.pk)
    return render(request, "welfare/aid/program_form.html", {"form": form, "program": program})


def _budget(program, used=None):
    """The budget figures; ``used`` when the caller has summed the counted records already."""
    if used is None:
        used = services.committed_total(program)
    budget = program.budget_vnd
    if budget is None:
        return {"used": used, "limit": None}
    percent = round(used * 100 / budget) if budget else 100
    return {
        "used": used,
        "limit": budget,
        "left": budget - used,
        "percent": percent,
        "bar": min(percent, 100),
    }


@officer_required
def program_detail(request, pk):
    program = _program_for(request, pk)
    records = program.records.select_related("member", "branch")
    status = request.GET.get("status", "")
    if status in AidRecord.Status.values:
        records = records.filter(status=status)
    else:
        status = ""
    if request.GET.get("export") == "xlsx":
        audit.record(request, AccessEvent.Action.EXPORT_AID, f"{program.code} (XLSX)")
        return _xlsx_response(program, records)

    by_status = {
        row["status"]: row
        for row in program.records.values("status").annotate(
            n=Count("id"), cash=Sum("amount_vnd"), goods=Sum("value_vnd")
        )
    }
    total_count = sum(row["n"] for row in by_status.values())
    committed = sum(
        (row["cash"] or 0) + (row["goods"] or 0)
        for value, row in by_status.items()
        if value in COUNTED_STATUSES
    )
    # Only what the table shows: a member row is wide, and only its name and card are listed.
    records = records.only(
        *RECORD_COLUMNS, "member__full_name", "member__card_number", "branch__name"
    )
    paginator = Paginator(records, RECORDS_PER_PAGE)
    # Counted already, by status: spare the paginator its own COUNT query.
    paginator.count = (
        by_status[status]["n"] if status in by_status else (0 if status else total_count)
    )
    page = paginator.get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    if status:
        query["status"] = status
    back = query.copy()
    if page.number > 1:
        back["page"] = page.number
    context = {
        "program": program,
        "budget": _budget(program, used=committed),
        "status": status,
        "statuses": [
            (value, label, by_status.get(value, {}).get("n", 0))
            for value, label in AidRecord.Status.choices
        ],
        "total_count": total_count,
        "proposed_vnd": sum(
            (by_status.get(AidRecord.Status.PROPOSED, {}).get(key) or 0)
            for key in ("cash", "goods")
        ),
        "page_obj": page,
        "records": _with_urls(program, page.object_list),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "pagination_query": query.urlencode(),
        "export_query": (query.urlencode() + "&" if query else "") + "export=xlsx",
        "back": back.urlencode(),
        "cancel_form": CancelForm(auto_id=False),
    }
    return render(request, "welfare/aid/program_detail.html", context)


def _record_url(name, program):
    """``reverse(name)`` for any record of ``program``, reversed once rather than per row."""
    marker = "987654321"
    sample = reverse(name, kwargs={"pk": program.pk, "record_pk": marker})
    head, tail = sample.rsplit(marker, 1)  # the record's id comes after the programme's
    return lambda record: f"{head}{record.pk}{tail}"


def _with_urls(program, records):
    """The page's records, each with the addresses of its page and of its actions."""
    urls = {
        key: _record_url(name, program)
        for key, name in [
            ("detail", "aid:record"),
            ("approve", "aid:record-approve"),
            ("pay", "aid:record-pay"),
            ("delete", "aid:record-delete"),
            ("cancel", "aid:record-cancel"),
        ]
    }
    records = list(records)
    for record in records:
        record.urls = {key: url(record) for key, url in urls.items()}
    return records


# Records: one, bulk -------------------------------------------------------------------------


@officer_required
def record_create(request, pk):
    program = _program_for(request, pk)
    form = RecordForm(request.POST or None, user=request.user, program=program)
    show_confirm = request.POST.get("confirm_duplicate") == "on"
    if request.method == "POST" and form.is_valid():
        try:
            (record,) = services.record_aid(
                program=program,
                by=request.user,
                date=form.cleaned_data["date"],
                entries=[form.entry()],
                status=form.cleaned_data["status"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
            if form.member is not None:
                show_confirm = show_confirm or bool(services.duplicates(program, [form.member.pk]))
        else:
            messages.success(
                request,
                _("The aid record for %(who)s has been saved.")
                % {"who": record.member.full_name if record.member else record.branch.name},
            )
            if "save_and_add" in request.POST:
                return redirect("aid:record-create", pk=program.pk)
            return redirect("aid:program", pk=program.pk)
    context = {
        "program": program,
        "form": form,
        "show_confirm": show_confirm,
        "member_choices": Member.objects.in_subtree(program.branch)
        .active()
        .order_by("search_name")
        .values_list("card_number", "full_name")[:BULK_LIST_LIMIT],
    }
    return render(request, "welfare/aid/record_form.html", context)


@officer_required
def bulk_create(request, pk):
    program = _program_for(request, pk)
    filters = EligibleFilterForm(request.GET or None, program=program)
    form = BulkForm(request.POST or None, program=program)
    problems = []
    if request.method == "POST":
        result = _save_bulk(request, program, form, problems)
        if result is not None:
            return result

    eligible = (
        filters.filter(Member.objects.in_subtree(program.branch).active())
        .select_related("branch")
        .order_by("branch__code", "search_name", "card_number")
    )
    candidates = list(eligible[: BULK_LIST_LIMIT + 1])
    too_many = len(candidates) > BULK_LIST_LIMIT
    candidates = candidates[:BULK_LIST_LIMIT]
    already = services.duplicates(program, [m.pk for m in candidates])
    posted = set(request.POST.getlist("selected")) if request.method == "POST" else None
    default = format_vnd_input(program.default_amount_vnd)
    rows = [
        {
            "member": member,
            "already": member.pk in already,
            "ticked": member.pk not in already if posted is None else str(member.pk) in posted,
            "amount": default if posted is None else request.POST.get(f"amount_{member.pk}", ""),
        }
        for member in candidates
    ]
    context = {
        "program": program,
        "filters": filters,
        "form": form,
        "rows": rows,
        "too_many": too_many,
        "limit": BULK_LIST_LIMIT,
        "already_count": len(already),
        "problems": problems,
        "querystring": request.GET.urlencode(),
        "budget": _budget(program),
    }
    return render(request, "welfare/aid/bulk_form.html", context)


def _save_bulk(request, program, form, problems):
    """Save the ticked members' records in one call; return a redirect, or None with problems."""
    amounts, errors = read_selection(request.POST)
    ids = set(amounts) | {pk for pk in errors if pk is not None}
    members = {}
    if ids:
        # Re-filtered to the officer's scope: a crafted id of someone else's member is refused.
        members = {
            m.pk: m
            for m in Member.objects.visible_to(request.user)
            .filter(pk__in=sorted(ids))
            .select_related("branch")
        }
    outside = ids - set(members)
    if outside:
        problems.append(
            _(
                "%(count)d of the members ticked are not in your branches: "
                "nothing was saved. Reload the list."
            )
            % {"count": len(outside)}
        )
    problems += [
        f"{members[pk].full_name}: {message}" if pk in members else message
        for pk, message in errors.items()
        if pk not in outside
    ]
    if not amounts and not errors:
        problems.append(_("Tick at least one member."))
    if not form.is_valid() or problems:
        return None
    data = form.cleaned_data
    seconds = services.duplicates(program, list(members)) if data["confirm_duplicates"] else set()
    entries = [
        services.AidInput(
            member=members[pk],
            amount_vnd=amount,
            item=data["item"],
            quantity=data["quantity"],
            unit=data["unit"],
            value_vnd=data["value_vnd"] or 0,
            note=data["note"],
            confirm_duplicate=pk in seconds,
        )
        for pk, amount in amounts.items()
    ]
    try:
        records = services.record_aid(
            program=program,
            by=request.user,
            date=data["date"],
            entries=entries,
            status=data["status"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        problems += exc.messages
        return None
    total = sum(r.amount_vnd + r.value_vnd for r in records)
    messages.success(
        request,
        _("%(count)d aid records have been saved, %(total)s in all.")
        % {"count": len(records), "total": format_vnd(total)},
    )
    return redirect("aid:program", pk=program.pk)


# Actions on one record ----------------------------------------------------------------------


def _back_to_program(request, program):
    """Back to the programme page, keeping its status filter and page (nothing else)."""
    sent = QueryDict(request.POST.get("back", ""))
    query = QueryDict(mutable=True)
    if sent.get("status") in AidRecord.Status.values:
        query["status"] = sent["status"]
    if sent.get("page", "").isdigit():
        query["page"] = sent["page"]
    url = reverse("aid:program", kwargs={"pk": program.pk})
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _act(request, pk, record_pk, action, done):
    program, record = _record_for(request, pk, record_pk)
    try:
        action(record=record, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"who": _beneficiary(record)})
    return _back_to_program(request, program)


def _beneficiary(record):
    return record.member.full_name if record.member_id else record.branch.name


@officer_required
@require_POST
def record_approve(request, pk, record_pk):
    return _act(
        request, pk, record_pk, services.approve_aid, _("The record of %(who)s is approved.")
    )


@officer_required
@require_POST
def record_pay(request, pk, record_pk):
    return _act(
        request,
        pk,
        record_pk,
        services.mark_paid,
        _("The record of %(who)s is marked paid or delivered."),
    )


@officer_required
@require_POST
def record_delete(request, pk, record_pk):
    return _act(
        request, pk, record_pk, services.delete_aid, _("The record of %(who)s has been deleted.")
    )


@officer_required
def record_cancel(request, pk, record_pk):
    program, record = _record_for(request, pk, record_pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_aid(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The record of %(who)s has been cancelled.") % {"who": _beneficiary(record)},
            )
            return _back_to_program(request, program)
    context = {"program": program, "record": record, "form": form}
    return render(request, "welfare/aid/record_cancel.html", context)


# Signature list -----------------------------------------------------------------------------


@officer_required
def signatures(request, pk):
    program = _program_for(request, pk)
    audit.record(request, AccessEvent.Action.PRINT_SIGNATURES, program.code)
    records = list(
        AidRecord.objects.counted()
        .filter(program=program)
        .select_related("member", "branch")
        .order_by(
            Case(
                When(member__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            "branch__code",
            "member__search_name",
            "id",
        )
    )
    total = sum(r.amount_vnd for r in records)
    context = {
        "program": program,
        "records": records,
        "has_goods": any(r.item for r in records),
        "total": total,
        "total_in_words": vnd_in_words(total),
        "today": timezone.localdate(),
    }
    return render(request, "welfare/aid/signatures.html", context)


# XLSX export --------------------------------------------------------------------------------


def _xlsx_columns():
    return [
        (_("No."), None),
        (_("Union card number"), lambda r: r.member.card_number if r.member_id else ""),
        (_("Beneficiary"), lambda r: r.member.full_name if r.member_id else _("Collective gift")),
        (_("Branch"), lambda r: r.branch.name),
        (_("Date"), lambda r: r.date),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Cash (đồng)"), lambda r: r.amount_vnd),
        (_("Goods"), lambda r: r.item),
        (_("Quantity"), lambda r: r.quantity),
        (_("Unit"), lambda r: r.unit),
        (_("Value of the goods (đồng)"), lambda r: r.value_vnd),
        (_("Note"), lambda r: r.note),
        (_("Reason for cancelling"), lambda r: r.cancel_reason),
    ]


MONEY_COLUMNS = (7, 11)  # 1-based: cash, value of the goods
DATE_COLUMN = 5


def records_xlsx(program, records):
    """The records as a sheet: Vietnamese headers, money as ``#,##0``, dates as DD/MM/YYYY,
    and a totals row that leaves out cancelled records."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", program.code)[:31] or "Sheet"
    columns = _xlsx_columns()
    sheet.append([title for title, _value in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    cash = goods = 0
    for number, record in enumerate(records.iterator(chunk_size=2000), start=1):
        sheet.append([number, *safe_row(value(record) for _title, value in columns[1:])])
        if record.status != AidRecord.Status.CANCELLED:
            cash += record.amount_vnd
            goods += record.value_vnd
    totals = [""] * len(columns)
    totals[1] = _("Total (cancelled records not counted)")
    totals[MONEY_COLUMNS[0] - 1], totals[MONEY_COLUMNS[1] - 1] = cash, goods
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for column in MONEY_COLUMNS:
            row[column - 1].number_format = MONEY_FORMAT
        row[DATE_COLUMN - 1].number_format = DATE_FORMAT
    widths = [6, 16, 28, 32, 12, 16, 16, 28, 10, 10, 18, 30, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xlsx_response(program, records):
    response = HttpResponse(records_xlsx(program, records), content_type=XLSX)
    code = re.sub(r"[^a-z0-9]+", "-", fold(program.code)).strip("-")
    filename = f"ho-tro-{code}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
