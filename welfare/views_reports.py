"""The officers' review page: pick a period (presets or dates) and a branch in scope; the figures
of ``welfare.reports.review`` as tables, and as JSON, CSV, XLSX or DOCX downloads; and the same
review as a printable A4 document in the layout of an official Vietnamese report."""

import json

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.forms import DATE_WIDGET, ScopedBranchField
from unions.models import Branch
from unions.scope import scope_root_ids
from unions.views import officer_required
from welfare import report_docx, report_exports
from welfare.report_document import preset_period, review_document
from welfare.reports import review

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PRESETS = [
    ("h1", _("First half-year")),
    ("h2", _("Second half-year")),
    ("year", _("Whole year")),
    ("q1", _("Quarter 1")),
    ("q2", _("Quarter 2")),
    ("q3", _("Quarter 3")),
    ("q4", _("Quarter 4")),
    ("custom", _("Custom dates")),
]


class ReportForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, initial="h1")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    branch = ScopedBranchField(queryset=Branch.objects.none(), label=_("Union branch (and below)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.visible_to(user).order_by("code")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["preset"] == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Give both dates of the custom period."))
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("The end of the period is before its start."))
        else:
            data["start"], data["end"] = preset_period(data["preset"], data["year"])
        return data


class DocumentForm(forms.Form):
    """What the document adds to the report's query: the date written on it (default today)."""

    date = forms.DateField(label=_("Date of the document"), required=False, widget=DATE_WIDGET)


def _report_form(request):
    # Opened without a choice: the first half of this year, for the top of the officer's scope.
    top = Branch.objects.filter(pk__in=scope_root_ids(request.user)).order_by("code").first()
    defaults = {"preset": "h1", "year": timezone.localdate().year, "branch": top.pk if top else ""}
    return ReportForm(request.GET or defaults, user=request.user)


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@officer_required
def report(request):
    form = _report_form(request)
    figures = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        figures = review(branch=data["branch"], start=data["start"], end=data["end"])
        download = request.GET.get("download")
        if download in {"json", "csv", "xlsx"}:
            return _download(figures, download)
        if download == "docx":
            options = DocumentForm(request.GET)
            if not options.is_valid():
                return _document_error(request, [options])
            document = _document(data, options, figures)
            return _download(figures, "docx", document=document)
    return render(
        request,
        "welfare/reports/report.html",
        {
            "form": form,
            "figures": figures,
            "period": (form.cleaned_data["start"], form.cleaned_data["end"]) if figures else None,
            "querystring": _query_without(request, "download"),
        },
    )


@officer_required
def print_review(request):
    """The review as a printable A4 document (``?download=docx``: the same, as a Word file).

    Takes the query of the review page, plus ``date`` (dd/mm/yyyy) for the date written on the
    document. A branch outside the officer's scope answers 404; other bad input a page that
    says what is wrong, with no figures."""
    form = _report_form(request)
    options = DocumentForm(request.GET)
    if not form.is_valid():
        if "branch" in form.errors and request.GET.get("branch"):
            raise Http404
        return _document_error(request, [form, options])
    if not options.is_valid():
        return _document_error(request, [options])
    document = _document(form.cleaned_data, options)
    if request.GET.get("download") == "docx":
        return _download(None, "docx", document=document)
    query = _query_without(request, "download")
    return render(
        request,
        "welfare/reports/print.html",
        {
            "document": document,
            "report_url": _report_url(request),
            "docx_url": f"?{query}&download=docx" if query else "?download=docx",
        },
    )


def _report_url(request):
    """The review page with the same choice of period and branch."""
    return f"{reverse('reports:report')}?{_query_without(request, 'download', 'date')}"


def _document(data, options, figures=None):
    return review_document(
        branch=data["branch"],
        start=data["start"],
        end=data["end"],
        issued_on=options.cleaned_data.get("date") or timezone.localdate(),
        figures=figures,
    )


def _document_error(request, forms_with_errors):
    errors = []
    for form in forms_with_errors:
        if form.is_bound and not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors += [f"{label}: {message}" if label else message for message in messages]
    return render(
        request,
        "welfare/reports/print.html",
        {
            "errors": errors,
            "report_url": _report_url(request),
        },
        status=400,
    )


def _download(figures, kind, document=None):
    if kind == "docx":
        content, content_type = report_docx.render(document), DOCX_TYPE
        name = f"{document.filename}.docx"
    else:
        if kind == "json":
            content = json.dumps(figures, ensure_ascii=False, indent=2).encode()
            content_type = "application/json"
        elif kind == "csv":
            content, content_type = report_exports.review_csv(figures), "text/csv; charset=utf-8"
        else:
            content = report_exports.review_xlsx(figures)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        period = figures["period"]
        name = f"bao-cao-{figures['branch']['code']}-{period['from']}-{period['to']}.{kind}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name.lower()}"'
    response["Cache-Control"] = "private, no-store"
    return response
