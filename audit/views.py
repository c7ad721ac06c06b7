"""The access log page for ministry-level officers: /can-bo/nhat-ky-truy-cap/."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from audit.models import AccessEvent
from unions.forms import DATE_WIDGET
from unions.scope import is_ministry_officer
from unions.views import officer_required

PER_PAGE = 50


class AccessFilterForm(forms.Form):
    person = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AccessEvent.Action.choices]
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def filter(self, events):
        data = self.cleaned_data
        if data["person"]:
            events = events.filter(username__icontains=data["person"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["start"]:
            events = events.filter(at__date__gte=data["start"])
        if data["end"]:
            events = events.filter(at__date__lte=data["end"])
        return events


@officer_required
def access_log(request):
    if not is_ministry_officer(request.user):
        raise PermissionDenied
    form = AccessFilterForm(request.GET or None)
    events = AccessEvent.objects.select_related("branch")
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page_obj": page, "events": page.object_list, "query": query.urlencode()},
    )
