from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from news.models import Category, Post


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["home", "news:list"]

    def location(self, name):
        return reverse(name)


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return (
            Post.objects.published()
            .only("slug", "published_at", "revised_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, post):
        return post.revised_at or post.published_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        live = Q(posts__in=Post.objects.published())
        return Category.objects.annotate(
            latest_published_at=Max("posts__published_at", filter=live)
        ).order_by("order", "name")

    def lastmod(self, category):
        return category.latest_published_at or category.updated_at


SITEMAPS = {"pages": HomeSitemap, "posts": PostSitemap, "categories": CategorySitemap}
