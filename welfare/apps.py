from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    """Aid programmes and records, support requests, campaigns and reports."""

    name = "welfare"
    verbose_name = _("Welfare")
