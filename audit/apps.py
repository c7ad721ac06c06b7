from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who looked at, downloaded or exported members' personal data: an append-only log."""

    name = "audit"
    verbose_name = _("Personal data access log")
