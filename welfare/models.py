"""Aid programmes and records, members' support requests, donation campaigns.

Money is a whole number of đồng (``PositiveBigIntegerField``), checked below a ceiling by the
database as well as by the services. Every model keeps its history (who, when, what changed).
Rules that involve several rows (budgets, caps, duplicates, approvals) live in ``services.py``.
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel
from unions.models import Branch, Member

MAX_AMOUNT_VND = 10_000_000_000  # ten billion đồng: far above any real aid, below any typo of 10^12
HISTORY_EXCLUDED = ["created_at", "updated_at"]


def private_storage():
    return storages["private"]


class AidKind(models.TextChoices):
    TET_GIFT = "tet_gift", _("Tết gift")
    POLICY = "policy", _("Visit to a policy family")
    SICKNESS = "sickness", _("Sickness")
    MATERNITY = "maternity", _("Maternity")
    BEREAVEMENT = "bereavement", _("Bereavement")
    WEDDING = "wedding", _("Wedding")
    HARDSHIP = "hardship", _("Difficult circumstances")
    EPIDEMIC = "epidemic", _("Epidemic")
    DISASTER = "disaster", _("Natural disaster")
    EDUCATION = "education", _("Study award")
    CHILDREN = "children", _("Children's gift")
    OTHER = "other", _("Other")


def _money(name, **kwargs):
    return models.PositiveBigIntegerField(name, **kwargs)


def _money_ceiling(field, name):
    return models.CheckConstraint(condition=Q(**{f"{field}__lte": MAX_AMOUNT_VND}), name=name)


class ScopedQuerySet(models.QuerySet):
    """Rows whose ``branch_field`` lies in the asker's officer scope."""

    branch_field = "branch"

    def visible_to(self, user):
        return self.filter(**{f"{self.branch_field}__in": Branch.objects.visible_to(user)})


class AidProgramQuerySet(ScopedQuerySet):
    pass


class AidProgram(TimeStampedModel):
    class FundingSource(models.TextChoices):
        UNION_FUNDS = "union_funds", _("Union funds")
        MINISTRY_OFFICE = "ministry_office", _("The ministry's office")
        DONATIONS = "donations", _("Donations")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=AidKind.choices)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="aid_programs",
        verbose_name=_("union branch"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    budget_vnd = _money(
        _("budget (đồng)"), null=True, blank=True, help_text=_("Empty: no budget limit.")
    )
    default_amount_vnd = _money(_("default amount per person (đồng)"), default=0)
    cap_per_person_vnd = _money(_("cap per person (đồng)"), null=True, blank=True)
    funding_source = models.CharField(
        _("funding source"),
        max_length=16,
        choices=FundingSource.choices,
        default=FundingSource.UNION_FUNDS,
    )
    eligibility_note = models.TextField(_("who is eligible"), blank=True)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("A closed programme takes no new records.")
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects = AidProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="welfare_program_period"
            ),
            _money_ceiling("budget_vnd", "welfare_program_budget_ceiling"),
            _money_ceiling("default_amount_vnd", "welfare_program_default_ceiling"),
            _money_ceiling("cap_per_person_vnd", "welfare_program_cap_ceiling"),
        ]

    def __str__(self):
        return self.name


class AidRecordQuerySet(ScopedQuerySet):
    def counted(self):
        """What the figures count: approved and paid/delivered aid, never proposed or cancelled."""
        return self.filter(status__in=[AidRecord.Status.APPROVED, AidRecord.Status.PAID])


class AidRecord(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid or delivered")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        AidProgram,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("aid programme"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_records",
        verbose_name=_("beneficiary"),
        help_text=_("Empty for a collective gift to a branch."),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="aid_records",
        verbose_name=_("union branch"),
        help_text=_(
            "The beneficiary's branch on the date, or the branch that received a collective gift."
        ),
    )
    date = models.DateField(_("date"))
    amount_vnd = _money(_("cash (đồng)"), default=0)
    item = models.CharField(_("goods"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    value_vnd = _money(_("declared value of the goods (đồng)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    duplicate_confirmed = models.BooleanField(
        _("second record confirmed"),
        default=False,
        help_text=_(
            "The officer confirmed a second record of this kind for this member in this programme."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid or delivered at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects = AidRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("aid record")
        verbose_name_plural = _("aid records")
        indexes = [
            # A programme's page, all records or those of one status: the newest straight from
            # an index, in the page's order (no sort of the programme's records).
            models.Index(fields=["program", "-date", "-id"], name="welfare_aid_program_date"),
            models.Index(
                fields=["program", "status", "-date", "-id"], name="welfare_aid_prog_status_date"
            ),
            models.Index(fields=["branch", "date"], name="welfare_aid_branch_date"),
            models.Index(fields=["member", "program"], name="welfare_aid_member_program"),
        ]
        constraints = [
            _money_ceiling("amount_vnd", "welfare_aid_amount_ceiling"),
            _money_ceiling("value_vnd", "welfare_aid_value_ceiling"),
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0) | (~Q(item="") & Q(quantity__gt=0)),
                name="welfare_aid_gives_something",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="welfare_aid_cancel_has_reason",
            ),
        ]

    def __str__(self):
        who = self.member.full_name if self.member_id else self.branch.name
        return f"{self.program.code} – {who}"


def _receipt_upload_to(instance, filename):
    extension = os.path.splitext(filename)[1].lower()
    return f"receipts/{instance.record_id}/{secrets.token_hex(16)}{extension}"


class AidReceipt(models.Model):
    """A receipt of an aid record (a signed list, an invoice): private, served by a checked view."""

    record = models.ForeignKey(AidRecord, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(upload_to=_receipt_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return self.original_name


def _request_upload_to(instance, filename):
    extension = os.path.splitext(filename)[1].lower()
    return f"requests/{instance.request_id}/{secrets.token_hex(16)}{extension}"


class SupportRequestQuerySet(ScopedQuerySet):
    branch_field = "member__branch"

    def of_user(self, user):
        """The signed-in member's own requests, and nobody else's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(member__user=user)


class SupportRequest(TimeStampedModel):
    class Kind(models.TextChoices):
        SICKNESS = AidKind.SICKNESS.value, AidKind.SICKNESS.label
        MATERNITY = AidKind.MATERNITY.value, AidKind.MATERNITY.label
        BEREAVEMENT = AidKind.BEREAVEMENT.value, AidKind.BEREAVEMENT.label
        WEDDING = AidKind.WEDDING.value, AidKind.WEDDING.label
        HARDSHIP = AidKind.HARDSHIP.value, AidKind.HARDSHIP.label
        DISASTER = AidKind.DISASTER.value, AidKind.DISASTER.label
        EPIDEMIC = AidKind.EPIDEMIC.value, AidKind.EPIDEMIC.label
        EDUCATION = AidKind.EDUCATION.value, AidKind.EDUCATION.label
        OTHER = AidKind.OTHER.value, AidKind.OTHER.label

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = [Status.SUBMITTED, Status.UNDER_REVIEW]

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="support_requests", verbose_name=_("member")
    )
    kind = models.CharField(_("kind of support"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"))
    amount_requested_vnd = _money(_("amount asked (đồng)"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent to data processing given at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    aid_record = models.OneToOneField(
        AidRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_request",
        verbose_name=_("aid record"),
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            _money_ceiling("amount_requested_vnd", "welfare_request_amount_ceiling"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="welfare_request_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(aid_record__isnull=False),
                name="welfare_request_approval_has_aid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.member.full_name}"


class RequestAttachment(models.Model):
    """A document of a support request: private, never under /media/, served by a checked view."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_request_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class CampaignQuerySet(ScopedQuerySet):
    def public(self):
        return self.filter(is_public=True)


class Campaign(TimeStampedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("address (slug)"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("union branch")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    goal_vnd = _money(_("goal (đồng)"), null=True, blank=True)
    is_public = models.BooleanField(_("public page"), default=False)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [_money_ceiling("goal_vnd", "welfare_campaign_goal_ceiling")]

    def __str__(self):
        return self.name


class ContributionQuerySet(ScopedQuerySet):
    branch_field = "campaign__branch"


class Contribution(TimeStampedModel):
    class Direction(models.TextChoices):
        IN = "in", _("Raised")
        OUT = "out", _("Given away")

    class Channel(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank transfer")
        SMS = "sms", _("SMS")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("campaign")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    date = models.DateField(_("date"))
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("member"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("union branch"),
    )
    party = models.CharField(_("outside donor or recipient"), max_length=200, blank=True)
    amount_vnd = _money(_("cash (đồng)"), default=0)
    item = models.CharField(_("goods"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    value_vnd = _money(_("declared value of the goods (đồng)"), default=0)
    channel = models.CharField(
        _("channel"), max_length=6, choices=Channel.choices, default=Channel.CASH
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)
    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            _money_ceiling("amount_vnd", "welfare_contribution_amount_ceiling"),
            _money_ceiling("value_vnd", "welfare_contribution_value_ceiling"),
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0) | (~Q(item="") & Q(quantity__gt=0)),
                name="welfare_contribution_gives_something",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(branch__isnull=False) | ~Q(party=""),
                name="welfare_contribution_has_a_party",
            ),
        ]

    def __str__(self):
        total = self.amount_vnd + self.value_vnd
        return f"{self.campaign.code} {self.get_direction_display()} {total}"
