from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.concurrency import VersionedFormMixin
from unions.models import Branch, Dependant, Member

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)


class ScopedBranchField(forms.ModelChoiceField):
    def label_from_instance(self, branch):
        return f"{branch.code} – {branch.name}"


def _scoped_branches(user):
    return Branch.objects.visible_to(user).filter(active=True).order_by("code")


class MemberForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "card_number",
            "full_name",
            "gender",
            "date_of_birth",
            "national_id",
            "branch",
            "category",
            "job_title",
            "work_unit",
            "joined_on",
            "policy_group",
            "hardship",
            "phone",
            "email",
        ]
        widgets = {"date_of_birth": DATE_WIDGET, "joined_on": DATE_WIDGET}
        field_classes = {"branch": ScopedBranchField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = _scoped_branches(user)
        if self.instance.pk:
            # Moving a member is a transfer, recorded on its own page.
            self.fields["branch"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False


class DependantForm(forms.ModelForm):
    class Meta:
        model = Dependant
        fields = ["full_name", "date_of_birth", "gender"]
        widgets = {"date_of_birth": DATE_WIDGET}


DependantFormSet = forms.inlineformset_factory(
    Member, Dependant, form=DependantForm, extra=1, can_delete=True
)


class TransferForm(forms.Form):
    to_branch = ScopedBranchField(queryset=Branch.objects.none(), label=_("Move to"))
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = _scoped_branches(user).exclude(pk=member.branch_id)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Member.Status.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Member.Status.choices if c[0] != member.status]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class MemberFilterForm(forms.Form):
    """The member list's filters; every field optional, bad values ignored with a message."""

    q = forms.CharField(label=_("Name or card number"), required=False, max_length=100)
    branch = ScopedBranchField(
        queryset=Branch.objects.none(), required=False, label=_("Branch (and below)")
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    policy_group = forms.ChoiceField(label=_("Policy group"), required=False)
    hardship = forms.ChoiceField(
        label=_("Difficult circumstances"),
        required=False,
        choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))],
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    joined_from = forms.DateField(label=_("Joined from"), required=False, widget=DATE_WIDGET)
    joined_to = forms.DateField(label=_("Joined until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.visible_to(user).order_by("code")
        every = [("", _("All"))]
        self.fields["category"].choices = every + list(Member.Category.choices)
        self.fields["status"].choices = every + list(Member.Status.choices)
        self.fields["policy_group"].choices = [
            *every,
            ("any", _("Any policy group")),
            *[c for c in Member.PolicyGroup.choices if c[0]],
        ]
        self.fields["gender"].choices = every + list(Member.Gender.choices)

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The lower age is above the upper age."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        today = timezone.localdate()
        if data.get("branch"):
            queryset = queryset.in_subtree(data["branch"])
        for name in ("category", "status", "gender"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("policy_group") == "any":
            queryset = queryset.exclude(policy_group="")
        elif data.get("policy_group"):
            queryset = queryset.filter(policy_group=data["policy_group"])
        if data.get("hardship"):
            queryset = queryset.filter(hardship=data["hardship"] == "1")
        if data.get("age_min") is not None:
            queryset = queryset.filter(date_of_birth__lte=years_before(today, data["age_min"]))
        if data.get("age_max") is not None:
            born_after = years_before(today, data["age_max"] + 1)
            queryset = queryset.filter(date_of_birth__gt=born_after)
        if data.get("joined_from"):
            queryset = queryset.filter(joined_on__gte=data["joined_from"])
        if data.get("joined_to"):
            queryset = queryset.filter(joined_on__lte=data["joined_to"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset


def years_before(day, years):
    """The same day ``years`` years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
