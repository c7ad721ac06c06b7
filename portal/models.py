import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel


def normalize_text_fields(instance):
    """Put every text field of ``instance`` in NFC, the form the database stores and searches:
    forms pass on what the browser sent, and some keyboards send Vietnamese decomposed (NFD)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
                setattr(instance, field.attname, unicodedata.normalize("NFC", value))


class TimeStampedModel(models.Model):
    """Creation and last-change times for every model of the portal; text stored in NFC."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        super().save(*args, **kwargs)


class SiteSettings(SingletonModel):
    """The union's name and contacts, shown in the header and footer; edited in the admin."""

    name = models.CharField(_("union name"), max_length=200, default="Công đoàn Bộ Nội vụ")
    short_name = models.CharField(_("short name"), max_length=50, default="CĐBNV", blank=True)
    superior_name = models.CharField(
        _("superior union"),
        max_length=200,
        blank=True,
        default="Công đoàn Viên chức Việt Nam",
        help_text=_("Shown above the union's name in the header."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(self.name)
