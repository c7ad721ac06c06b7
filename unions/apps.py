from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    """Union branches (a tree), members and officer assignments: the ground floor."""

    name = "unions"
    verbose_name = _("Union branches and members")
