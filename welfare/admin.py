"""The welfare admin, scoped like the officers' pages; history pages show who changed what."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from unions.admin import ScopedAdminMixin
from welfare.models import (
    AidProgram,
    AidRecord,
    Campaign,
    Contribution,
    RequestAttachment,
    SupportRequest,
)


@admin.register(AidProgram)
class AidProgramAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "branch"
    list_display = [
        "code",
        "name",
        "kind",
        "branch",
        "starts_on",
        "ends_on",
        "budget_vnd",
        "is_open",
    ]
    list_filter = ["kind", "is_open", "funding_source"]
    search_fields = ["code", "name"]
    list_select_related = ["branch"]


@admin.register(AidRecord)
class AidRecordAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "branch"
    list_display = [
        "program",
        "member",
        "branch",
        "date",
        "amount_vnd",
        "item",
        "quantity",
        "status",
    ]
    list_filter = ["status", "program__kind"]
    list_select_related = ["program", "member", "branch"]
    raw_id_fields = ["member"]
    search_fields = ["member__search_name", "member__card_number", "program__code"]

    def has_delete_permission(self, request, obj=None):
        # Approved or paid records are never deleted, only cancelled with a reason.
        if obj is not None and obj.status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
            return False
        return super().has_delete_permission(request, obj)


class RequestAttachmentInline(admin.TabularInline):
    model = RequestAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupportRequest)
class SupportRequestAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "member__branch"
    list_display = ["member", "kind", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["member"]
    raw_id_fields = ["member", "aid_record"]
    inlines = [RequestAttachmentInline]


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "branch"
    list_display = ["code", "name", "branch", "starts_on", "ends_on", "goal_vnd", "is_public"]
    search_fields = ["code", "name"]


@admin.register(Contribution)
class ContributionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "campaign__branch"
    list_display = [
        "campaign",
        "direction",
        "date",
        "member",
        "branch",
        "party",
        "amount_vnd",
        "item",
    ]
    list_filter = ["direction", "channel"]
    list_select_related = ["campaign", "member", "branch"]
    raw_id_fields = ["member"]
