"""Everything the portal holds about one member, for the member to take away (JSON or XLSX).

Each section is a list of records; each record lists every stored field of the model (so a field
added later is exported without touching this module), choice fields with their label, dates in
ISO form. The consents given (with their time) are a section of their own.
"""

import datetime
import io
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from audit.models import AccessEvent
from portal.spreadsheet import safe_cell
from welfare.models import AidRecord, Contribution, SupportRequest

# Internal columns that say nothing about the person.
SKIPPED = {"search_vector", "password"}


def _value(instance, field):
    value = getattr(instance, field.attname)
    if field.choices and value not in (None, ""):
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(field, models.ForeignKey) and value is not None:
        return str(getattr(instance, field.name))
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _record(instance, exclude=()):
    return {
        str(field.verbose_name): _value(instance, field)
        for field in instance._meta.concrete_fields
        if field.name not in SKIPPED and field.name not in exclude
    }


def collect(member):
    """The member's data as ``{section title: [records]}``, in a fixed order."""
    user = member.user
    requests = SupportRequest.objects.filter(member=member).prefetch_related("attachments")
    data = {
        _("Account"): [
            {
                _("Username"): user.username,
                _("E-mail"): user.email,
                _("Account created"): _value(user, user._meta.get_field("date_joined")),
                _("Last sign-in"): _value(user, user._meta.get_field("last_login")),
            }
        ]
        if user
        else [],
        _("Member record"): [_record(member)],
        _("Dependants"): [_record(child, exclude={"member"}) for child in member.dependants.all()],
        _("Transfers"): [_record(move, exclude={"member"}) for move in member.transfers.all()],
        _("Officer roles"): [
            _record(role, exclude={"member"}) for role in member.assignments.all()
        ],
        _("Aid received"): [
            _record(aid, exclude={"member"})
            for aid in AidRecord.objects.filter(member=member).select_related("program", "branch")
        ],
        _("Support requests"): [_record(item, exclude={"member"}) for item in requests],
        _("Request documents"): [
            _record(document, exclude={"file"})
            for item in requests
            for document in item.attachments.all()
        ],
        _("Contributions"): [
            _record(gift, exclude={"member"})
            for gift in Contribution.objects.filter(member=member).select_related("campaign")
        ],
        _("Consents given"): [
            {
                _("Purpose"): _("Processing of personal and health data for support request %(id)s")
                % {"id": item.pk},
                _("Given at"): _value(item, item._meta.get_field("consent_given_at")),
            }
            for item in requests
        ],
        # Which officer, when, did what with the member's data (the access log).
        _("Who viewed your data"): [
            {
                _("Time"): _value(event, event._meta.get_field("at")),
                _("Username"): event.username,
                _("Action"): event.get_action_display(),
            }
            for event in AccessEvent.objects.filter(member=member).exclude(user=member.user)
        ],
    }
    return data


def as_json(member):
    payload = {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "member": member.full_name,
        "data": collect(member),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode()


def as_xlsx(member):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, records in collect(member).items():
        sheet = workbook.create_sheet(title[:31])
        headers = list(records[0]) if records else [_("Nothing stored")]
        sheet.append(headers)
        for record in records:
            sheet.append([safe_cell(record.get(header)) for header in headers])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(member, kind):
    return f"du-lieu-ca-nhan-{member.pk}-{timezone.localdate():%Y%m%d}.{kind}"
