"""RSS 2.0 feeds: the latest posts, and the latest of each category."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from news import cache as page_cache
from news.models import Category, Post
from portal.models import SiteSettings

FEED_SIZE = 30


class LatestPostsFeed(Feed):
    language = "vi"

    def __call__(self, request, *args, **kwargs):
        # Kept in the page cache for anonymous readers (news/cache.py).
        return page_cache.serve(
            request, lambda: super(LatestPostsFeed, self).__call__(request, *args, **kwargs)
        )

    def title(self):
        return _("News of %(name)s") % {"name": SiteSettings.get_solo().name}

    def link(self):
        return "/tin-tuc/"

    def description(self):
        return _("The latest news published on the portal.")

    def posts(self):
        return (
            Post.objects.published()
            .select_related("category")
            .only("title", "slug", "lead", "published_at", "revised_at", "byline", "category__name")
            .order_by("-published_at", "-id")
        )

    def items(self):
        return self.posts()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers show a description as HTML; the lead is plain text, so it is escaped
        # (a lead that reads "<script>…" stays those characters in the reader).
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.revised_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return _("%(category)s — %(name)s") % {
            "category": obj.name,
            "name": SiteSettings.get_solo().name,
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return escape(
            obj.description or _("The latest news in %(category)s.") % {"category": obj.name}
        )

    def items(self, obj):
        return self.posts().filter(category=obj)[:FEED_SIZE]
