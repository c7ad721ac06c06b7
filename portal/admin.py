from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from solo.admin import SingletonModelAdmin

from portal.models import SiteSettings

admin.site.site_header = _("Union portal administration")
admin.site.site_title = _("Union portal")
admin.site.index_title = _("Administration")


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    fieldsets = [
        (None, {"fields": ["name", "short_name", "superior_name", "tagline"]}),
        (_("Contacts"), {"fields": ["address", "phone", "email", "office_hours"]}),
    ]
