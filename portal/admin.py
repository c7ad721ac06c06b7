from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.admin import SingletonModelAdmin

from portal.models import SiteSettings

admin.site.site_header = _("Union portal administration")
admin.site.site_title = _("Union portal")
admin.site.index_title = _("Administration")


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 70})}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "superior_name", "tagline"]}),
        (_("Contacts"), {"fields": ["address", "phone", "email", "office_hours"]}),
    ]
