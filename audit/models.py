"""The access log: one row each time someone opens a member's record, downloads a personal
document or exports a list. Rows are only ever added: the model refuses to update or delete, and on
PostgreSQL a trigger refuses it in the database too (``migrations/0002``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    pass


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("the access log cannot be changed")

    def delete(self):
        raise ImmutableError("the access log cannot be changed")


# The log keeps its references as they were: deleting an account, member or branch must neither
# change a line (which the database refuses) nor be blocked by it, so these are plain ids without
# a database constraint, and the names are kept as text.
_REFERENCE = {"on_delete": models.DO_NOTHING, "db_constraint": False, "related_name": "+"}


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        VIEW_MEMBER = "view_member", _("Viewed a member's record")
        VIEW_REQUEST = "view_request", _("Viewed a support request")
        DOWNLOAD_ATTACHMENT = "download_attachment", _("Downloaded a request document")
        DOWNLOAD_RECEIPT = "download_receipt", _("Downloaded an aid receipt")
        EXPORT_MEMBERS = "export_members", _("Exported a member list")
        EXPORT_AID = "export_aid", _("Exported an aid list")
        PRINT_SIGNATURES = "print_signatures", _("Printed a signature list")
        EXPORT_REPORT = "export_report", _("Downloaded a review")
        EXPORT_OWN_DATA = "export_own_data", _("Downloaded their own data")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        **_REFERENCE,
    )
    # Kept as text too, so the log still says who it was if the account is removed.
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # What was seen: "Member #12 Nguyễn Văn An", "12 members (CSV)"...
    target = models.CharField(_("what"), max_length=300)
    branch = models.ForeignKey(
        "unions.Branch",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        **_REFERENCE,
    )
    # Whose personal data it was, when it was one member's (shown to that member in their export).
    member = models.ForeignKey(
        "unions.Member",
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        **_REFERENCE,
    )
    path = models.CharField(_("page address"), max_length=500)
    ip_address = models.GenericIPAddressField(_("from IP address"), null=True, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("the access log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("the access log cannot be changed")
