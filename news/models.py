"""Categories, posts with their images and documents, and the slugs posts used to have."""

from html import unescape

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from news.images import refresh_renditions, validate_image_upload
from news.sanitize import clean_body
from portal.models import TimeStampedModel
from portal.text import nfc, slugify_vi

ATTACHMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls"]
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_attachment_size(upload):
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")


NAVIGATION_CACHE_KEY = "news:navigation-categories"


class Category(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    show_in_navigation = models.BooleanField(_("shown in the main navigation"), default=False)
    show_on_home = models.BooleanField(_("shown on the home page"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        if not self.slug:
            self.slug = slugify_vi(self.name, max_length=140)
        super().save(*args, **kwargs)
        cache.delete(NAVIGATION_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(NAVIGATION_CACHE_KEY)
        return result

    @classmethod
    def navigation(cls):
        """(name, url) of the categories in the main navigation; cached until one changes."""
        return cache.get_or_set(
            NAVIGATION_CACHE_KEY,
            lambda: [
                (c.name, c.get_absolute_url())
                for c in cls.objects.filter(show_in_navigation=True).order_by("order", "name")
            ],
            timeout=60 * 60,
        )

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, and its publish time has come.

        A future publish time means scheduled: the post appears by itself when the time comes,
        with no job to run.
        """
        now = now or timezone.now()
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now)

    def latest_by_category(self, categories, per_category):
        """The newest ``per_category`` posts of each category, in one query (a window function)."""
        ranked = self.filter(category__in=categories).annotate(
            category_rank=Window(
                RowNumber(), partition_by=F("category_id"), order_by=F("published_at").desc()
            )
        )
        return ranked.filter(category_rank__lte=per_category).order_by(
            "category_id", "category_rank"
        )

    def for_listing(self):
        return self.select_related("category").only(
            "id",
            "title",
            "slug",
            "lead",
            "published_at",
            "featured",
            "cover_image",
            "cover_alt",
            "cover_renditions",
            "category__name",
            "category__slug",
        )


class Post(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("address (slug)"),
        max_length=255,
        unique=True,
        blank=True,
        help_text=_("Made from the title when left empty. Fixed once the post is published."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="posts", verbose_name=_("category")
    )
    branch = models.ForeignKey(
        "unions.Branch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("union branch"),
        help_text=_("The union whose news this is, if it is one branch's news."),
    )
    lead = models.TextField(
        _("lead"), help_text=_("The opening paragraph shown in bold and in lists (plain text).")
    )
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(_("body as plain text"), blank=True, editable=False)
    # Kept up to date by a database trigger on PostgreSQL (news/migrations, news/search.py).
    search_vector = SearchVectorField(null=True, editable=False)
    # Its title and lead part only, small and kept in the row: what search results are ranked by.
    search_head = SearchVectorField(null=True, editable=False)
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="news/covers/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
    )
    cover_alt = models.CharField(
        _("cover image alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    cover_caption = models.CharField(_("cover image caption"), max_length=300, blank=True)
    cover_renditions = models.JSONField(
        _("cover renditions"), default=dict, blank=True, editable=False
    )
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        help_text=_("The writer's name as printed under the article."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("created by"),
        editable=False,
    )
    featured = models.BooleanField(_("featured"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the post: it appears by itself when the time comes."),
    )
    first_published_at = models.DateTimeField(
        _("first published at"), null=True, blank=True, editable=False
    )
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True, editable=False)
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_("For search engines and social networks; the lead when left empty."),
    )

    history = HistoricalRecords(
        excluded_fields=[
            "body_text",
            "search_vector",
            "search_head",
            "cover_renditions",
            "created_at",
            "updated_at",
        ],
        verbose_name=_("post version"),
        verbose_name_plural=_("post versions"),
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        permissions = [("publish_post", _("Can publish, unpublish and schedule posts"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_post_status_pub_idx"),
            models.Index(
                fields=["category", "-published_at"],
                name="news_post_cat_pub_idx",
                condition=Q(status="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_post_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def description(self):
        return self.meta_description or self.lead

    def clean(self):
        super().clean()
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": _("Describe the cover image for readers who cannot see it.")}
            )

    def _unique_slug(self, base):
        base = base or "bai-viet"
        slug, n = base, 2
        taken = Post.objects.exclude(pk=self.pk)
        while (
            taken.filter(slug=slug).exists()
            or PostSlugHistory.objects.filter(slug=slug).exclude(post_id=self.pk).exists()
        ):
            suffix = f"-{n}"
            slug = base[: 255 - len(suffix)] + suffix
            n += 1
        return slug

    def save(self, *args, **kwargs):
        self.title = nfc(self.title).strip()
        self.lead = nfc(self.lead).strip()
        self.body = clean_body(nfc(self.body))
        self.body_text = " ".join(unescape(strip_tags(self.body.replace("<", " <"))).split())
        if not self.slug:
            self.slug = self._unique_slug(slugify_vi(self.title, max_length=240))
        previous_slug = None
        if self.pk and self.first_published_at:
            previous_slug = Post.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        refresh_renditions(self, "cover_image", "cover_renditions")
        super().save(*args, **kwargs)
        if previous_slug and previous_slug != self.slug:
            # The old address of a published post keeps working: it answers 301 to the new one.
            PostSlugHistory.objects.filter(slug=self.slug).delete()
            PostSlugHistory.objects.update_or_create(slug=previous_slug, defaults={"post": self})


class PostSlugHistory(models.Model):
    """A slug a post used to have: its old address answers 301 to the new one."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")

    def __str__(self):
        return self.slug


class PostImage(TimeStampedModel):
    """A picture used inside a post's body, with its renditions."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="images", verbose_name=_("post")
    )
    image = models.ImageField(
        _("image"), upload_to="news/images/%Y/%m/", validators=[validate_image_upload]
    )
    alt = models.CharField(_("alt text"), max_length=255)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("image in the body")
        verbose_name_plural = _("images in the body")

    def __str__(self):
        return self.alt

    @property
    def detail_url(self):
        """The address of the body-width rendition, to put in the editor's image dialog."""
        detail = (self.renditions or {}).get("detail", {})
        return default_storage.url(detail["jpeg"]) if detail.get("jpeg") else self.image.url

    def save(self, *args, **kwargs):
        refresh_renditions(self, "image", "renditions")
        super().save(*args, **kwargs)


class PostAttachment(TimeStampedModel):
    """A document attached to a post: a plan, a decision, a form (PDF, DOCX, XLSX)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("post")
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to="news/documents/%Y/%m/",
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""
