"""Union branches (a tree), members with their dependants and transfers, officer assignments.

The ground floor of the portal: this app imports no other app of the project (``portal`` is the
project's own shared code). "A branch and everything under it" is one recursive CTE
(``Branch.objects.subtree_ids``), used by every scoped queryset here and in the apps above.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel
from portal.text import fold, nfc

SUBTREE_SQL = """
    WITH RECURSIVE subtree(id) AS (
        SELECT id FROM unions_branch WHERE id IN ({roots})
        UNION
        SELECT b.id FROM unions_branch b JOIN subtree s ON b.parent_id = s.id
    )
    SELECT id FROM subtree
"""


def normalize_card_number(value):
    """Union card numbers are compared without spaces, dots or dashes, in capitals."""
    return re.sub(r"[\s.\-_/]", "", nfc(value or "")).upper()


def normalize_code(value):
    return re.sub(r"\s", "", nfc(value or "")).upper()


class BranchQuerySet(models.QuerySet):
    def subtree_ids(self, roots):
        """An SQL subquery of the ids of ``roots`` (ids) and every branch under them."""
        roots = [int(pk) for pk in roots]
        if not roots:
            return RawSQL("SELECT id FROM unions_branch WHERE 1 = 0", [])
        placeholders = ", ".join(["%s"] * len(roots))
        # Only the number of "%s" placeholders is formatted in; the ids are query parameters.
        return RawSQL(SUBTREE_SQL.format(roots=placeholders), roots)  # noqa: S611

    def subtree(self, *branches):
        """These branches and everything under them, in one query however deep the tree."""
        return self.filter(
            id__in=self.subtree_ids([b.pk if hasattr(b, "pk") else b for b in branches])
        )

    def visible_to(self, user):
        from unions.scope import scope_root_ids

        return self.filter(id__in=self.subtree_ids(scope_root_ids(user)))


class Branch(TimeStampedModel):
    class Level(models.TextChoices):
        MINISTRY = "ministry", _("Ministry union")
        GRASSROOTS = "grassroots", _("Grassroots union")
        DIVISION = "division", _("Division union")
        GROUP = "group", _("Union group")

    LEVEL_RANK = {Level.MINISTRY: 0, Level.GRASSROOTS: 1, Level.DIVISION: 2, Level.GROUP: 3}

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent branch"),
    )
    active = models.BooleanField(_("active"), default=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = BranchQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("union branch")
        verbose_name_plural = _("union branches")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="ministry") & Q(parent__isnull=True))
                | (~Q(level="ministry") & Q(parent__isnull=False)),
                name="unions_branch_ministry_is_root",
            ),
            models.UniqueConstraint(
                fields=["level"], condition=Q(level="ministry"), name="unions_branch_one_root"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("unions:branch-detail", kwargs={"pk": self.pk})

    @property
    def is_root(self):
        return self.parent_id is None

    def clean(self):
        super().clean()
        self.code = normalize_code(self.code)
        if self.level == self.Level.MINISTRY and self.parent_id:
            raise ValidationError(
                {"parent": _("The ministry union is the root: it has no parent.")}
            )
        if self.level != self.Level.MINISTRY and not self.parent_id:
            raise ValidationError(
                {"parent": _("Every branch but the ministry union needs a parent.")}
            )
        if self.parent_id:
            parent = self.parent
            if self.LEVEL_RANK[self.level] <= self.LEVEL_RANK[parent.level] and not (
                self.level == parent.level == self.Level.GROUP
            ):
                raise ValidationError(
                    {
                        "level": _("A %(level)s cannot be under a %(parent)s.")
                        % {
                            "level": self.get_level_display().lower(),
                            "parent": parent.get_level_display().lower(),
                        }
                    }
                )
            if self.pk and Branch.objects.subtree(self.pk).filter(pk=parent.pk).exists():
                raise ValidationError(
                    {"parent": _("A branch cannot be placed under itself or its own sub-branch.")}
                )

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        self.name = nfc(self.name).strip()
        self.short_name = nfc(self.short_name).strip()
        super().save(*args, **kwargs)

    def ancestors(self):
        """From the root down to the parent (a short walk: trees here are a few levels deep)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class MemberQuerySet(models.QuerySet):
    def in_subtree(self, *branches):
        return self.filter(
            branch_id__in=Branch.objects.subtree_ids([getattr(b, "pk", b) for b in branches])
        )

    def visible_to(self, user):
        """The members an officer's assignments reach; nobody else sees any member here."""
        from unions.scope import scope_root_ids

        return self.filter(branch_id__in=Branch.objects.subtree_ids(scope_root_ids(user)))

    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def search(self, text):
        """Accent-insensitive search by name or card number."""
        words = fold(text).split()
        query = self
        card = normalize_card_number(text)
        by_card = Q(card_number__icontains=card) if card else Q(pk__in=[])
        by_name = Q()
        for word in words:
            by_name &= Q(search_name__contains=word)
        return query.filter(by_name | by_card) if words else query


class Member(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Category(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", _("Civil servant")
        PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
        WORKER = "worker", _("Worker")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRANSFERRED = "transferred", _("Transferred out")
        RETIRED = "retired", _("Retired")
        LEFT = "left", _("Left the union")
        DECEASED = "deceased", _("Deceased")

    class PolicyGroup(models.TextChoices):
        NONE = "", _("None")
        WAR_INVALID = "war_invalid", _("War invalid")
        CHILD_OF_WAR_INVALID = "child_of_war_invalid", _("Child of a war invalid")
        CHILD_OF_MARTYR = "child_of_martyr", _("Child of a martyr")
        OTHER = "other", _("Other policy family")

    card_number = models.CharField(_("union card number"), max_length=30, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    national_id = models.CharField(
        _("national ID number"), max_length=12, blank=True, help_text=_("9 or 12 digits.")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="members", verbose_name=_("union branch")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined the union on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    policy_group = models.CharField(
        _("policy group"), max_length=24, choices=PolicyGroup.choices, blank=True, default=""
    )
    hardship = models.BooleanField(_("in especially difficult circumstances"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("user account"),
    )

    history = HistoricalRecords(excluded_fields=["search_name", "created_at", "updated_at"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["search_name", "card_number"]
        verbose_name = _("union member")
        verbose_name_plural = _("union members")
        indexes = [models.Index(fields=["branch", "status"], name="unions_member_branch_status")]

    def __str__(self):
        return f"{self.full_name} ({self.card_number})"

    def get_absolute_url(self):
        return reverse("unions:member-detail", kwargs={"pk": self.pk})

    @property
    def masked_national_id(self):
        return (
            f"{'•' * (len(self.national_id) - 3)}{self.national_id[-3:]}"
            if self.national_id
            else ""
        )

    def age_on(self, day):
        if not self.date_of_birth:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {}
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = _("The date of birth cannot be in the future.")
        if self.joined_on and self.date_of_birth and self.joined_on < self.date_of_birth:
            errors["joined_on"] = _("A member cannot join the union before being born.")
        if self.joined_on and self.joined_on > today:
            errors["joined_on"] = _("The joining date cannot be in the future.")
        if self.national_id and not re.fullmatch(r"\d{9}|\d{12}", self.national_id):
            errors["national_id"] = _("A national ID number has 9 or 12 digits.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.card_number = normalize_card_number(self.card_number)
        self.full_name = " ".join(nfc(self.full_name).split())
        self.search_name = fold(self.full_name)
        self.job_title = nfc(self.job_title).strip()
        self.work_unit = nfc(self.work_unit).strip()
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Dependant(TimeStampedModel):
    """A member's child, for 1 June and Mid-Autumn gifts and study awards."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dependants")
    full_name = models.CharField(_("full name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=6, choices=Member.Gender.choices)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["date_of_birth"]
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError(
                {"date_of_birth": _("The date of birth cannot be in the future.")}
            )

    def save(self, *args, **kwargs):
        self.full_name = " ".join(nfc(self.full_name).split())
        super().save(*args, **kwargs)

    def age_on(self, day):
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Transfer(models.Model):
    """A member moved from one branch to another; the member's past stays readable."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("from branch")
    )
    to_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("to branch")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.member} {self.from_branch.code} → {self.to_branch.code}"


class OfficerAssignmentQuerySet(models.QuerySet):
    def active_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(start_on__lte=day), Q(end_on__isnull=True) | Q(end_on__gte=day))


class OfficerAssignment(TimeStampedModel):
    """Member M holds position P in branch B from a date to an optional date: that is scope."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        EXECUTIVE = "executive", _("Executive committee member")
        INSPECTION = "inspection", _("Inspection committee member")
        ACCOUNTANT = "accountant", _("Accountant or treasurer")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("member")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("union branch")
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    start_on = models.DateField(_("from"), default=datetime.date.today)
    end_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = OfficerAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["branch__code", "position"]
        verbose_name = _("officer assignment")
        verbose_name_plural = _("officer assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="unions_assignment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member.full_name} – {self.get_position_display()} – {self.branch}"
