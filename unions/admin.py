"""The unions admin, scoped like the officers' pages: a non-superuser sees only the branches and
members their officer assignments reach, in lists, detail pages, foreign-key choices and actions."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unions.models import Branch, Dependant, Member, OfficerAssignment, Transfer


class ScopedAdminMixin:
    """Filter every queryset of the admin by the asker's scope (superusers see everything)."""

    scope_field = None  # the path to the branch, e.g. "branch" or "" for Branch itself

    def scope(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        visible = Branch.objects.visible_to(request.user)
        if self.scope_field is None:
            return queryset.filter(pk__in=visible.values("pk"))
        return queryset.filter(**{f"{self.scope_field}__in": visible.values("pk")})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _in_scope_or_404(self, request, object_id):
        """django-simple-history's history pages fetch the object (or, failing that, its last
        version) without ``get_queryset``: an object outside the asker's scope is a 404 there."""
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Viewing a version, and reverting to it (a POST), only within the asker's scope.
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Branch:
                kwargs["queryset"] = Branch.objects.visible_to(request.user)
            elif db_field.related_model is Member:
                kwargs["queryset"] = Member.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Branch)
class BranchAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    ordering = ["code"]


class DependantInline(admin.TabularInline):
    model = Dependant
    extra = 0


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "branch"
    list_display = ["full_name", "card_number", "branch", "category", "status", "masked_id"]
    list_filter = ["status", "category", "gender", "policy_group", "hardship"]
    search_fields = ["card_number", "search_name", "full_name"]
    list_select_related = ["branch"]
    raw_id_fields = ["user"]
    inlines = [DependantInline]
    readonly_fields = ["branch_history"]

    @admin.display(description=_("national ID number"))
    def masked_id(self, member):
        return member.masked_national_id

    @admin.display(description=_("transfers"))
    def branch_history(self, member):
        return (
            ", ".join(
                f"{t.date:%d/%m/%Y}: {t.from_branch.code} → {t.to_branch.code}"
                for t in member.transfers.all()
            )
            or "—"
        )


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "branch"
    list_display = ["member", "position", "branch", "start_on", "end_on"]
    list_filter = ["position"]
    list_select_related = ["member", "branch"]
    raw_id_fields = ["member"]


@admin.register(Transfer)
class TransferAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "member__branch"
    list_display = ["member", "from_branch", "to_branch", "date", "recorded_by"]
    list_select_related = ["member", "from_branch", "to_branch", "recorded_by"]

    def has_add_permission(self, request):
        return False  # transfers are made with the transfer form, which moves the member too

    def has_change_permission(self, request, obj=None):
        return False
