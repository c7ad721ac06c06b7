"""Forms of the officers' aid pages: programmes, one record, the bulk list and its filters.

They validate and normalise only; the rules (budget, cap, duplicates, scope, open programme)
are checked by ``welfare.services.record_aid`` and shown on the form when it refuses.
"""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.concurrency import VersionedFormMixin
from unions.forms import DATE_WIDGET, ScopedBranchField, years_before
from unions.models import Branch, Dependant, Member, normalize_card_number
from welfare.models import MAX_AMOUNT_VND, AidProgram, AidRecord
from welfare.services import AidInput

_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_CURRENCY = re.compile(r"(₫|đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def parse_vnd(value):
    """A whole number of đồng from what an officer types: ``1000000``, ``1.000.000``,
    ``1 000 000``, ``1,000,000`` or ``1.000.000 ₫``. Decimals are refused: there are no
    fractions of a đồng."""
    text = re.sub(r"[\s\u00a0]", "", str(value))
    text = _CURRENCY.sub("", text)
    if re.fullmatch(r"\d{1,20}", text):
        return int(text)
    if len(text) <= 27 and _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    raise forms.ValidationError(
        _("Enter a whole number of đồng, for example 1.000.000."), code="invalid"
    )


def format_vnd_input(value):
    """``1000000`` → ``1.000.000``: how an amount is shown back in an input."""
    return f"{int(value):,}".replace(",", ".")


class VndField(forms.IntegerField):
    """Money as a whole number of đồng, typed with or without thousands separators."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        super().__init__(max_value=MAX_AMOUNT_VND, min_value=0, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_vnd(value)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_vnd_input(value)
        return value

    def widget_attrs(self, widget):
        # No min/max attributes on a text input: the server says what is wrong, in Vietnamese.
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return attrs


def _default_date(program):
    today = timezone.localdate()
    return today if program.starts_on <= today <= program.ends_on else program.starts_on


def _no_form_tag():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ProgramForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AidProgram
        fields = [
            "code",
            "name",
            "kind",
            "branch",
            "starts_on",
            "ends_on",
            "budget_vnd",
            "default_amount_vnd",
            "cap_per_person_vnd",
            "funding_source",
            "eligibility_note",
            "is_open",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "eligibility_note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "branch": ScopedBranchField,
            "budget_vnd": VndField,
            "default_amount_vnd": VndField,
            "cap_per_person_vnd": VndField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (
            Branch.objects.visible_to(user).filter(active=True).order_by("code")
        )
        self.fields["cap_per_person_vnd"].help_text = _("Empty: no cap.")
        if self.instance.pk and self.instance.records.exists():
            # Its records belong to this branch's subtree: moving it would strand them.
            self.fields["branch"].disabled = True
            self.fields["branch"].help_text = _("The programme has records: its branch is fixed.")
        self.helper = _no_form_tag()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        default, cap = data.get("default_amount_vnd"), data.get("cap_per_person_vnd")
        if default and cap is not None and default > cap:
            self.add_error(
                "default_amount_vnd", _("The default amount is above the cap per person.")
            )
        return data


class RecordForm(forms.Form):
    """One aid record: a member by card number, or a branch for a collective gift."""

    STATUS_CHOICES = [
        (AidRecord.Status.PROPOSED, _("Proposed (to be approved later)")),
        (AidRecord.Status.APPROVED, _("Approved")),
    ]

    card_number = forms.CharField(
        label=_("Member's union card number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty for a collective gift to a branch."),
        widget=forms.TextInput(
            attrs={"list": "member-cards", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    branch = ScopedBranchField(
        queryset=Branch.objects.none(),
        required=False,
        label=_("Or: branch receiving a collective gift"),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount_vnd = VndField(label=_("Cash (đồng)"), required=False)
    item = forms.CharField(label=_("Goods"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    value_vnd = VndField(label=_("Declared value of the goods (đồng)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    status = forms.ChoiceField(
        label=_("Record as"), choices=STATUS_CHOICES, initial=AidRecord.Status.PROPOSED
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, add a second record for this member in this programme"), required=False
    )

    def __init__(self, *args, user, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.program, self.member = user, program, None
        self.fields["branch"].queryset = (
            Branch.objects.subtree(program.branch).filter(active=True).order_by("code")
        )
        self.fields["date"].initial = _default_date(program)
        if program.default_amount_vnd:
            self.fields["amount_vnd"].initial = program.default_amount_vnd
        self.helper = _no_form_tag()

    def clean_card_number(self):
        card = normalize_card_number(self.cleaned_data["card_number"])
        if not card:
            return ""
        self.member = (
            Member.objects.visible_to(self.user)
            .select_related("branch")
            .filter(card_number=card)
            .first()
        )
        if self.member is None:
            raise forms.ValidationError(_("No member of your branches has this card number."))
        return card

    def clean(self):
        data = super().clean()
        if "card_number" in data:
            if self.member and data.get("branch"):
                raise forms.ValidationError(
                    _("Give a member's card number or a branch for a collective gift, not both.")
                )
            if not self.member and not data.get("branch") and "branch" in data:
                raise forms.ValidationError(
                    _("Give the member's card number, or a branch for a collective gift.")
                )
        if data.get("quantity") and not data.get("item"):
            self.add_error("item", _("Name the goods."))
        return data

    def entry(self):
        data = self.cleaned_data
        return AidInput(
            member=self.member,
            branch=None if self.member else data["branch"],
            amount_vnd=data["amount_vnd"] or 0,
            item=data["item"],
            quantity=data["quantity"],
            unit=data["unit"],
            value_vnd=data["value_vnd"] or 0,
            note=data["note"],
            confirm_duplicate=data["confirm_duplicate"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class EligibleFilterForm(forms.Form):
    """Who is listed on the bulk form: the programme's active members, narrowed by these."""

    branch = ScopedBranchField(
        queryset=Branch.objects.none(), required=False, label=_("Branch (and below)")
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    policy_group = forms.ChoiceField(label=_("Policy group"), required=False)
    hardship = forms.ChoiceField(
        label=_("Difficult circumstances"),
        required=False,
        choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))],
    )
    child_age_min = forms.IntegerField(
        label=_("Has a child aged from (years)"), required=False, min_value=0, max_value=30
    )
    child_age_max = forms.IntegerField(
        label=_("Child aged up to (years)"), required=False, min_value=0, max_value=30
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["branch"].queryset = Branch.objects.subtree(program.branch).order_by("code")
        every = [("", _("All"))]
        self.fields["category"].choices = every + list(Member.Category.choices)
        self.fields["policy_group"].choices = [
            *every,
            ("any", _("Any policy group")),
            *[c for c in Member.PolicyGroup.choices if c[0]],
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("child_age_min"), data.get("child_age_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The lower age is above the upper age."))
        return data

    def filter(self, members):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("branch"):
            members = members.in_subtree(data["branch"])
        if data.get("category"):
            members = members.filter(category=data["category"])
        if data.get("policy_group") == "any":
            members = members.exclude(policy_group="")
        elif data.get("policy_group"):
            members = members.filter(policy_group=data["policy_group"])
        if data.get("hardship"):
            members = members.filter(hardship=data["hardship"] == "1")
        low, high = data.get("child_age_min"), data.get("child_age_max")
        if low is not None or high is not None:
            day = self.program.starts_on
            children = Dependant.objects.filter(member=OuterRef("pk"))
            if low is not None:
                children = children.filter(date_of_birth__lte=years_before(day, low))
            if high is not None:
                children = children.filter(date_of_birth__gt=years_before(day, high + 1))
            members = members.filter(Exists(children))
        return members


class BulkForm(forms.Form):
    """What the ticked members all receive (besides each one's cash amount)."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Record as"),
        choices=RecordForm.STATUS_CHOICES,
        initial=AidRecord.Status.PROPOSED,
    )
    item = forms.CharField(label=_("Goods for each person"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("Quantity each"), min_value=1, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    value_vnd = VndField(label=_("Declared value of the goods each (đồng)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("Add a second record for the ticked members who already have one"),
        required=False,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = _default_date(program)
        self.helper = _no_form_tag()

    def clean(self):
        data = super().clean()
        if data.get("quantity") and not data.get("item"):
            self.add_error("item", _("Name the goods."))
        return data


def read_selection(data):
    """The ticked member ids and each one's amount, from ``selected`` and ``amount_<id>``.

    Returns ``(amounts, errors)``: ``amounts`` maps member id to đồng; ``errors`` maps member
    id (or ``None`` for a malformed id) to a message. Whether the ids are in the officer's scope
    is checked by the view against the database.
    """
    amounts, errors = {}, {}
    for raw in data.getlist("selected"):
        if not re.fullmatch(r"[0-9]{1,18}", str(raw)):
            errors[None] = _("The list sent is not valid: reload the page.")
            continue
        pk = int(raw)
        value = data.get(f"amount_{pk}", "")
        if str(value).strip() == "":
            amounts[pk] = 0
            continue
        try:
            amount = parse_vnd(value)
        except forms.ValidationError as exc:
            errors[pk] = exc.messages[0]
            continue
        if amount > MAX_AMOUNT_VND:
            errors[pk] = _("The amount is too large.")
            continue
        amounts[pk] = amount
    return amounts, errors
