"""Two officers editing one record: the later save must not silently undo the earlier.

Forms of records people edit in turn carry the record's ``updated_at`` as it was when the form was
drawn (a hidden field). On saving, inside the transaction, the row is locked and its
``updated_at`` compared: if someone saved in between, nothing is written and the person is told,
in Vietnamese, who saved it and when; their input stays on the page with the new version, so a
second deliberate save after checking goes through.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

FIELD = "loaded_version"


def version_of(instance):
    return instance.updated_at.isoformat() if instance.updated_at else ""


class VersionedFormMixin:
    """For ModelForms of TimeStampedModel records; call ``check_unchanged()`` in the transaction
    that saves, before saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.initial[FIELD] = version_of(self.instance)

    def check_unchanged(self):
        if not self.instance.pk:
            return
        loaded = self.data.get(self.add_prefix(FIELD), "")
        model = type(self.instance)
        current = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if current is None or not loaded or current.isoformat() == loaded:
            return
        # Show the person their input again, now against the version that is saved.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = current.isoformat()
        when = formats.date_format(timezone.localtime(current), "d/m/Y H:i")
        who = _latest_editor(self.instance)
        if who:
            message = _(
                "%(who)s saved this record at %(when)s, after you opened this form. Your changes "
                "have not been saved: check the record as it is now, then save again if they "
                "are still needed."
            ) % {"who": who, "when": when}
        else:
            message = _(
                "Someone else saved this record at %(when)s, after you opened this form. Your "
                "changes have not been saved: check the record as it is now, then save again if "
                "they are still needed."
            ) % {"when": when}
        raise ValidationError(message, code="edit_conflict")


def _latest_editor(instance):
    history = getattr(instance, "history", None)
    if history is None:
        return ""
    latest = history.select_related("history_user").order_by("-history_date").first()
    user = latest.history_user if latest else None
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
