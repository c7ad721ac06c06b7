"""The officers' review page: pick a period (presets or dates) and a branch in scope; the figures
of ``welfare.reports.review`` as tables, and as JSON, CSV or XLSX downloads."""

import calendar
import datetime
import json

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.forms import DATE_WIDGET, ScopedBranchField
from unions.models import Branch
from unions.scope import scope_root_ids
from unions.views import officer_required
from welfare import report_exports
from welfare.reports import review

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
PRESET_MONTHS = {
    "h1": (1, 6),
    "h2": (7, 12),
    "year": (1, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}


def preset_period(preset, year):
    first, last = PRESET_MONTHS[preset]
    return datetime.date(year, first, 1), datetime.date(
        year, last, calendar.monthrange(year, last)[1]
    )


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


@officer_required
def report(request):
    # Opened without a choice: the first half of this year, for the top of the officer's scope.
    top = Branch.objects.filter(pk__in=scope_root_ids(request.user)).order_by("code").first()
    defaults = {"preset": "h1", "year": timezone.localdate().year, "branch": top.pk if top else ""}
    form = ReportForm(request.GET or defaults, user=request.user)
    figures = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        figures = review(branch=data["branch"], start=data["start"], end=data["end"])
        download = request.GET.get("download")
        if download in {"json", "csv", "xlsx"}:
            return _download(figures, download)
    query = request.GET.copy()
    query.pop("download", None)
    return render(
        request,
        "welfare/reports/report.html",
        {
            "form": form,
            "figures": figures,
            "period": (form.cleaned_data["start"], form.cleaned_data["end"]) if figures else None,
            "querystring": query.urlencode(),
        },
    )


def _download(figures, kind):
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
