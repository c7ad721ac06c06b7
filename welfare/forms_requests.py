"""Forms of support requests: the member's request, the officers' filters and decisions."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.templatetags.portal_tags import format_vnd
from unions.models import Branch
from welfare.models import MAX_AMOUNT_VND, AidProgram, SupportRequest
from welfare.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, AttachmentsField

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
GROUPED_DIGITS = re.compile(r"\d{1,3}(?:([., ])\d{3})?(?:\1\d{3})*")
CURRENCY_MARKS = re.compile(r"\s*(?:₫|đồng|đ|vnd|vnđ)\s*$", re.IGNORECASE)
OPEN = "open"
ALL = "all"


class AmountField(forms.IntegerField):
    """A whole number of đồng: ``2000000``, ``2.000.000``, ``2,000,000`` or ``2 000 000 ₫``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT_VND)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Enter a whole number of đồng, such as 2.000.000.")

    def to_python(self, value):
        if isinstance(value, str):
            text = CURRENCY_MARKS.sub("", " ".join(value.split()))
            if not text:
                return None
            if not text.isdigit():
                if not GROUPED_DIGITS.fullmatch(text):
                    raise ValidationError(self.error_messages["invalid"], code="invalid")
                text = re.sub(r"\D", "", text)
            value = text
        return super().to_python(value)


class SupportRequestForm(forms.ModelForm):
    happened_on = forms.DateField(
        label=_("When it happened"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
        help_text=_("Day/month/year, for example 05/03/2020."),
    )
    amount_requested_vnd = AmountField(
        label=_("Amount asked (đồng)"),
        required=False,
        help_text=_("Optional. A whole number of đồng, for example 2.000.000."),
    )
    attachments = AttachmentsField(label=_("Documents"))
    consent = forms.BooleanField(
        label=_(
            "I agree that the trade union processes my personal data in this request, including "
            "data about my health, to consider and settle it, as Decree 13/2023/NĐ-CP on personal "
            "data protection provides."
        ),
        error_messages={
            "required": _(
                "Your consent is needed: without it the union cannot process the request."
            )
        },
    )

    class Meta:
        model = SupportRequest
        fields = ["kind", "happened_on", "description", "amount_requested_vnd"]
        labels = {"kind": _("Kind of support"), "description": _("What happened")}
        widgets = {"description": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}
        help_texts = {
            "description": _("Tell the union what happened and what support you need."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = ngettext(
            "Optional, up to %(count)s file: PDF, JPEG or PNG, at most %(size)s each (for "
            "example a hospital certificate or a death certificate).",
            "Optional, up to %(count)s files: PDF, JPEG or PNG, at most %(size)s each (for "
            "example a hospital certificate or a death certificate).",
            MAX_ATTACHMENTS,
        ) % {"count": MAX_ATTACHMENTS, "size": filesizeformat(MAX_ATTACHMENT_BYTES)}

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) > 5000:
            raise ValidationError(_("Keep the description under 5,000 characters."))
        return text


class QueueFilterForm(forms.Form):
    """Filters of the officers' queue. Unfiltered, the queue shows the open requests."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (OPEN, _("Open (submitted or under review)")),
            (ALL, _("All")),
            *SupportRequest.Status.choices,
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of support"),
        required=False,
        choices=[("", _("All kinds")), *SupportRequest.Kind.choices],
    )
    branch = forms.ModelChoiceField(
        label=_("Branch (and the branches under it)"),
        required=False,
        queryset=Branch.objects.none(),
        empty_label=_("All my branches"),
    )
    older_than = forms.IntegerField(
        label=_("Submitted more than … days ago"),
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.visible_to(user).order_by("code")

    def status_value(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["status"] or OPEN
        return OPEN

    def filter(self, requests):
        status = self.status_value()
        if status == OPEN:
            requests = requests.filter(status__in=SupportRequest.OPEN_STATUSES)
        elif status != ALL:
            requests = requests.filter(status=status)
        if not (self.is_bound and self.is_valid()):
            return requests
        data = self.cleaned_data
        if data["kind"]:
            requests = requests.filter(kind=data["kind"])
        if data["branch"]:
            requests = requests.filter(
                member__branch_id__in=Branch.objects.subtree_ids([data["branch"].pk])
            )
        if data["older_than"] is not None:
            since = timezone.now() - datetime.timedelta(days=data["older_than"])
            requests = requests.filter(submitted_at__lt=since)
        return requests

    def shows_open_only(self):
        return self.status_value() in {OPEN, *SupportRequest.OPEN_STATUSES}


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(name)s (%(code)s) – default %(amount)s") % {
            "name": obj.name,
            "code": obj.code,
            "amount": format_vnd(obj.default_amount_vnd),
        }


def programs_for(user, support_request):
    """Open programmes in the officer's scope whose branch subtree holds the member, today."""
    member_branch = support_request.member.branch
    chain = [b.pk for b in member_branch.ancestors()] + [member_branch.pk]
    today = timezone.localdate()
    return (
        AidProgram.objects.visible_to(user)
        .filter(is_open=True, branch_id__in=chain, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on", "code")
    )


class ApproveForm(forms.Form):
    program = ProgramChoiceField(
        label=_("Aid programme"),
        queryset=AidProgram.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the open programmes listed.")},
    )
    amount_vnd = AmountField(
        label=_("Amount granted (đồng)"),
        required=False,
        help_text=_("Leave empty to grant the programme's default amount."),
    )
    note = forms.CharField(
        label=_("Note to the member"),
        required=False,
        max_length=300,
        widget=forms.TextInput(),
    )

    def __init__(self, *args, user, support_request, **kwargs):
        super().__init__(*args, **kwargs)
        programs = programs_for(user, support_request)
        self.fields["program"].queryset = programs
        first_two = list(programs[:2])
        self.has_programs = bool(first_two)
        if len(first_two) == 1:
            self.fields["program"].initial = first_two[0]
            self.fields["amount_vnd"].initial = first_two[0].default_amount_vnd

    def clean(self):
        data = super().clean()
        if data.get("program") and data.get("amount_vnd") is None:
            data["amount_vnd"] = data["program"].default_amount_vnd
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the refusal.")},
        help_text=_("The member reads this reason in the e-mail and on their page."),
    )
