"""Officers' forms of donation campaigns: the campaign itself, and a contribution in or out."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.concurrency import VersionedFormMixin
from portal.text import nfc
from unions.forms import DATE_WIDGET, ScopedBranchField
from unions.models import Branch, Member, normalize_card_number, normalize_code
from welfare.imports import parse_whole, unique_slug
from welfare.models import MAX_AMOUNT_VND, Campaign, Contribution


class WholeNumberField(forms.IntegerField):
    """A whole number typed as ``30000000``, ``30.000.000`` or ``30,000,000`` (a decimal such as
    ``2,5`` is refused, never read as thousands)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_whole(value)
        except ValueError as exc:
            raise forms.ValidationError(exc.args[0], code="invalid") from None


class MoneyField(WholeNumberField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_AMOUNT_VND)
        super().__init__(**kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class CampaignForm(VersionedFormMixin, forms.ModelForm):
    goal_vnd = MoneyField(label=_("Goal (đồng)"), required=False)

    class Meta:
        model = Campaign
        fields = [
            "code",
            "name",
            "slug",
            "description",
            "branch",
            "starts_on",
            "ends_on",
            "goal_vnd",
            "is_public",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"branch": ScopedBranchField}
        help_texts = {
            "slug": _("The end of the public address /quyen-gop/…/; empty: made from the name."),
            "is_public": _(
                "Anyone may then see the campaign's page: its totals by branch and what it gave "
                "away, never a donor's name or amount."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (
            Branch.objects.visible_to(user).filter(active=True).order_by("code")
        )
        self.fields["slug"].required = False
        self.helper = _helper()

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        taken = Campaign.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another campaign has this code."))
        return code

    def clean_name(self):
        return " ".join(nfc(self.cleaned_data["name"]).split())

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        if not data.get("slug") and data.get("name") and "slug" not in self.errors:
            taken = set(
                Campaign.objects.exclude(pk=self.instance.pk).values_list("slug", flat=True)
            )
            data["slug"] = unique_slug(data["name"], taken, fallback=data.get("code", ""))
        return data


class ContributionForm(forms.Form):
    """Money or goods in (``direction="in"``) or out; from or to one member (by card number), one
    branch, or one outside party."""

    card_number = forms.CharField(label=_("Member's card number"), max_length=30, required=False)
    branch = forms.TypedChoiceField(label=_("Union branch"), required=False, coerce=int)
    party = forms.CharField(label=_("Outside donor"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    amount_vnd = MoneyField(label=_("Cash (đồng)"), required=False)
    item = forms.CharField(label=_("Goods"), max_length=200, required=False)
    quantity = WholeNumberField(label=_("Quantity"), required=False, min_value=1)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    value_vnd = MoneyField(label=_("Declared value of the goods (đồng)"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Contribution.Channel.choices, initial="cash"
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, campaign, direction, branches, **kwargs):
        """``branches``: the branches under the campaign's branch the officer may choose, as a
        list fetched once for both forms of the page."""
        kwargs.setdefault("prefix", direction)
        super().__init__(*args, **kwargs)
        self.user, self.campaign, self.direction = user, campaign, direction
        self._branches = {branch.pk: branch for branch in branches}
        self.fields["branch"].choices = [("", "---------")] + [
            (branch.pk, f"{branch.code} – {branch.name}") for branch in branches
        ]
        if direction == Contribution.Direction.OUT:
            self.fields["party"].label = _("Outside recipient")
            self.fields["party"].help_text = _("For example: Cây ATM gạo quận Cầu Giấy.")
            self.fields["card_number"].label = _("Member's card number (recipient)")
        else:
            self.fields["party"].help_text = _("A company, a person outside the union…")
        self.helper = _helper()

    def clean_card_number(self):
        card = normalize_card_number(self.cleaned_data["card_number"])
        self.member = None
        if card:
            self.member = (
                Member.objects.visible_to(self.user)
                .filter(card_number=card)
                .select_related("branch")
                .first()
            )
            if self.member is None:
                raise forms.ValidationError(
                    _("No member of your branches has the card number %(card)s.") % {"card": card}
                )
        return card

    def clean_branch(self):
        pk = self.cleaned_data["branch"]
        return self._branches[pk] if pk not in (None, "") else None

    def clean_party(self):
        return " ".join(nfc(self.cleaned_data["party"]).split())

    def clean(self):
        data = super().clean()
        given = [name for name in ("card_number", "branch", "party") if data.get(name)]
        if len(given) != 1 and not {"card_number", "branch", "party"} & set(self.errors):
            message = (
                _("Give one recipient: a member's card number, a branch or an outside recipient.")
                if self.direction == Contribution.Direction.OUT
                else _("Give one donor: a member's card number, a branch or an outside donor.")
            )
            self.add_error(None, message)
        item, quantity = data.get("item"), data.get("quantity")
        amount, value = data.get("amount_vnd") or 0, data.get("value_vnd") or 0
        if item and not quantity and "quantity" not in self.errors:
            self.add_error("quantity", _("Give the quantity of the goods."))
        if item and not value and "value_vnd" not in self.errors:
            self.add_error("value_vnd", _("Give the declared value of the goods."))
        if not item and (quantity or value):
            self.add_error("item", _("Name the goods."))
        money_errors = {"amount_vnd", "value_vnd", "quantity", "item"} & set(self.errors)
        if not amount and not item and not money_errors:
            self.add_error("amount_vnd", _("Give a cash amount, or goods with their quantity."))
        return data

    def contribution(self):
        """The contribution to hand to ``services.add_contribution``."""
        data = self.cleaned_data
        member = getattr(self, "member", None)
        return Contribution(
            campaign=self.campaign,
            direction=self.direction,
            date=data["date"],
            member=member,
            # A member's contribution keeps the member's branch of the day, for totals by branch.
            branch=data["branch"] or (member.branch if member else None),
            party=data["party"],
            amount_vnd=data.get("amount_vnd") or 0,
            item=data["item"],
            quantity=data.get("quantity"),
            unit=data["unit"],
            value_vnd=data.get("value_vnd") or 0,
            channel=data["channel"],
            note=data["note"],
        )
