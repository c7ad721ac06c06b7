"""Editors write in the admin; the chief editor reviews, publishes, schedules and unpublishes.

The status is never a form field: it changes only through the buttons under the form and the
list actions, which call ``news.services`` (where the permission is checked), so a crafted POST
cannot publish. The body editor (django-prose-editor) offers exactly what the sanitiser keeps.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media
from simple_history.admin import SimpleHistoryAdmin

from news import search, services
from news.models import Category, Post, PostAttachment, PostImage
from news.sanitize import BODY_EXTENSIONS

WORKFLOW_BUTTONS = {
    "_submit_review": services.submit_for_review,
    "_publish": services.publish,
    "_unpublish": services.unpublish,
}


def status_text(post):
    return _("Scheduled") if post.is_scheduled else post.get_status_display()


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "show_in_navigation", "show_on_home"]
    list_editable = ["order", "show_in_navigation", "show_on_home"]
    search_fields = ["name"]

    class Media:
        js = ["news/admin/slug.js"]


class PostImageInline(admin.StackedInline):
    model = PostImage
    extra = 0
    fields = ["image", "alt", "caption", "address"]
    readonly_fields = ["address"]
    verbose_name = _("image in the body")

    @admin.display(description=_("Address to use in the editor"))
    def address(self, obj):
        url = obj.detail_url if obj and obj.pk else ""
        if not url:
            return _("Save the post to get the image's address.")
        return format_html("<code>{}</code>", url)


class PostAttachmentInline(admin.TabularInline):
    model = PostAttachment
    extra = 0
    fields = ["title", "file", "order"]


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "category",
            "branch",
            "lead",
            "body",
            "byline",
            "cover_image",
            "cover_alt",
            "cover_caption",
            "published_at",
            "featured",
            "meta_description",
        ]
        widgets = {
            "body": AdminProseEditorWidget(
                config={"extensions": BODY_EXTENSIONS}, preset="configurable"
            ),
            "lead": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    form = PostAdminForm
    change_form_template = "admin/news/post/change_form.html"
    list_display = ["title", "status_label", "category", "published_at", "byline", "featured"]
    list_filter = ["status", "category", "featured", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "published_at"
    inlines = [PostImageInline, PostAttachmentInline]
    actions = ["publish_selected", "unpublish_selected"]
    history_list_display = ["status"]
    readonly_fields = [
        "status_label",
        "created_by",
        "first_published_at",
        "revised_at",
        "preview_link",
    ]
    list_per_page = 50
    ordering = ["-created_at"]

    class Media:
        js = ["news/admin/slug.js"]

    def get_search_results(self, request, queryset, search_term):
        """The same accent-insensitive search as the public site: "hien mau" finds "hiến máu"."""
        if not search.normalize_query(search_term):
            return queryset, False
        return search.search_posts(queryset, search_term), False

    def get_fieldsets(self, request, obj=None):
        publishing = ["status_label", "published_at", "featured"]
        if obj is not None:
            publishing += ["first_published_at", "revised_at", "created_by", "preview_link"]
        return [
            (None, {"fields": ["title", "slug", "category", "branch", "lead", "body", "byline"]}),
            (
                _("Cover image"),
                {"fields": ["cover_image", "cover_alt", "cover_caption"]},
            ),
            (_("Publishing"), {"fields": publishing}),
            (_("Search engines"), {"classes": ["collapse"], "fields": ["meta_description"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not services.can_publish(request.user):
            # Only the chief editor sets the publish time (that is scheduling).
            fields.append("published_at")
        return fields

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj is None or obj.pk is None:
            return Post.Status.DRAFT.label
        return status_text(obj)

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("news:preview", args=[obj.pk]),
            _("Open the preview"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif obj.status == Post.Status.PUBLISHED and form.has_changed():
            content_fields = {"title", "lead", "body", "cover_image", "cover_caption", "byline"}
            if content_fields & set(form.changed_data):
                # Readers see "updated" under a published post whose content changed.
                obj.revised_at = timezone.now()
        super().save_model(request, obj, form, change)

    def _run_workflow_button(self, request, obj):
        """After the form is saved, apply the workflow button that was pressed, if any."""
        for name, service in WORKFLOW_BUTTONS.items():
            if name not in request.POST:
                continue
            try:
                service(post=obj, by=request.user)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The post's status is now: %(status)s.") % {"status": status_text(obj)},
                    messages.SUCCESS,
                )
            return

    def response_add(self, request, obj, post_url_continue=None):
        self._run_workflow_button(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._run_workflow_button(request, obj)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            {
                "can_publish": services.can_publish(request.user),
                "post_status": obj.status if obj else Post.Status.DRAFT,
                "post_is_live": bool(obj and obj.is_live),
            }
        )
        # The editor's import map is an inline script: it carries the request's CSP nonce.
        if "media" in context and hasattr(request, "csp_nonce"):
            context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Publish the selected posts"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset.exclude(status=Post.Status.PUBLISHED), services.publish)

    @admin.action(description=_("Unpublish the selected posts"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset.filter(status=Post.Status.PUBLISHED), services.unpublish)

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def _bulk(self, request, queryset, service):
        done = 0
        for post in queryset:
            service(post=post, by=request.user)
            done += 1
        self.message_user(
            request, _("%(count)d posts changed.") % {"count": done}, messages.SUCCESS
        )
