"""Public news pages: lists, categories, a post, search, and the editors' preview."""

import functools
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView

from news import cache as page_cache
from news import search
from news.models import Category, Post, PostSlugHistory

PAGE_SIZE = 20
RELATED_COUNT = 4
# The post page's fragments (head metadata; article, documents and related posts) are kept this
# long under the news generation, page cache or not: a change of the news makes new keys at once.
POST_FRAGMENT_SECONDS = 10 * 60
# From this many rows in, a page fetches its ids first (from the index), then those rows.
IDS_FIRST_FROM = 200
# A post's columns its page never shows: the search vectors (one of them out of line, ~3 KB) and
# the body as plain text.
UNSHOWN = ("search_vector", "search_head", "body_text")


class PostPaginator(Paginator):
    """Pages of posts whose count is kept in the cache, and whose deep pages stay cheap.

    ``count_name`` names the count in the low-level cache under the news generation
    (news/cache.py), so a list does not count every published post on every request, page
    cache or not; a publish, edit or unpublish moves the generation on. A deep page takes its 20
    ids from the index in the list's order (``news_post_pub_order_idx``; kept in the cache under
    the generation too), then reads those 20 rows with their category.
    """

    def __init__(self, *args, count_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_name = count_name

    @cached_property
    def count(self):
        if self.count_name is None:
            return self.object_list.count()
        return page_cache.cached_value(f"count:{self.count_name}", self.object_list.count)

    def _ids(self, bottom, top):
        """The page's ids from the index; kept under the news generation like the count (the
        walk to a deep offset is the page's one costly step)."""

        def read():
            return list(self.object_list.values_list("pk", flat=True)[bottom:top])

        if self.count_name is None:
            return read()
        return page_cache.cached_value(f"ids:{self.count_name}:{bottom}:{top}", read)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < IDS_FIRST_FROM:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self._ids(bottom, top)
        rows = {post.pk: post for post in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class PostIdsPaginator(Paginator):
    """Pages of an ordered list of post ids (at most ``search.MAX_CANDIDATES``): a page reads
    only its own rows, from ``rows``, in the list's order."""

    def __init__(self, ids, per_page, *, rows, **kwargs):
        super().__init__(ids, per_page, **kwargs)
        self.rows = rows

    def page(self, number):
        page = super().page(number)
        ids = list(page.object_list)
        found = {post.pk: post for post in self.rows.filter(pk__in=ids)} if ids else {}
        page.object_list = [found[pk] for pk in ids if pk in found]
        return page


class PostListView(ListView):
    """All published posts, newest first; a page past the end or not a number is a 404."""

    template_name = "news/post_list.html"
    context_object_name = "posts"
    paginate_by = PAGE_SIZE
    show_categories = True
    # Pages kept in the page cache for anonymous visitors (news/cache.py).
    cache_for_anonymous = True

    def dispatch(self, request, *args, **kwargs):
        if not self.cache_for_anonymous:
            return super().dispatch(request, *args, **kwargs)
        return page_cache.serve(
            request, lambda: super(PostListView, self).dispatch(request, *args, **kwargs)
        )

    def get_queryset(self):
        return Post.objects.published().for_listing().order_by("-published_at", "-id")

    def get_count_name(self):
        """The name of this list's count in the cache; None: counted on every request."""
        return "list"

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return PostPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_name=self.get_count_name(),
            **kwargs,
        )

    def get_breadcrumbs(self):
        return [(_("News"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        context["breadcrumbs"] = self.get_breadcrumbs()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["pagination_query"] = query.urlencode()
        context["show_categories"] = self.show_categories
        return context


class CategoryView(PostListView):
    template_name = "news/category.html"
    show_categories = False

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_count_name(self):
        return f"category:{self.category.pk}"

    def get_breadcrumbs(self):
        return [(_("News"), reverse("news:list")), (self.category.name, None)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class SearchView(PostListView):
    template_name = "news/search.html"
    cache_for_anonymous = False

    def get_queryset(self):
        self.query = search.normalize_query(self.request.GET.get("q", ""))
        return Post.objects.published().for_listing()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The matches' ids, ranked and counted in one go (news/search.py), then the page's rows.
        return PostIdsPaginator(
            search.ranked_ids(queryset, self.query),
            per_page,
            rows=queryset,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **kwargs,
        )

    def get_breadcrumbs(self):
        return [(_("Search"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only the newest matches are ranked and counted (news/search.py): past that, "more than".
        context["results_capped"] = context["paginator"].count >= search.MAX_CANDIDATES
        context["results_cap"] = f"{search.MAX_CANDIDATES:,}".replace(",", ".")
        return context | dict(
            query=self.query,
            query_was_cut=len(self.request.GET.get("q", "").strip()) > search.MAX_QUERY_LENGTH,
            **kwargs,
        )


def _detail_context(request, post):
    """The post page's context. Everything only the page's cached fragments show (the
    breadcrumbs, documents, related posts, addresses and JSON-LD) is a callable or a lazy
    queryset, which the template reads only when a fragment is not in the cache."""

    def related():
        return (
            Post.objects.published()
            .for_listing()
            .filter(category_id=post.category_id)
            .exclude(pk=post.pk)
            .order_by("-published_at")[:RELATED_COUNT]
        )

    return {
        "post": post,
        "breadcrumbs": lambda: [
            (_("News"), reverse("news:list")),
            (post.category.name, post.category.get_absolute_url()),
            (post.title, None),
        ],
        "attachments": lambda: list(post.attachments.all()),
        "related_posts": related,
        "canonical_url": lambda: request.build_absolute_uri(post.get_absolute_url()),
        "json_ld": functools.partial(_json_ld, request, post),
        "news_generation": page_cache.generation(),
        # Never past the next scheduled publication, which may belong among the related posts.
        "fragment_seconds": page_cache.bounded(POST_FRAGMENT_SECONDS),
    }


def _json_ld(request, post):
    """NewsArticle metadata for search engines, safe to put inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.description,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": (post.revised_at or post.published_at or post.updated_at).isoformat(),
        "mainEntityOfPage": request.build_absolute_uri(post.get_absolute_url()),
        "articleSection": post.category.name,
        "inLanguage": "vi",
    }
    if post.byline:
        data["author"] = {"@type": "Person", "name": post.byline}
    social = (post.cover_renditions or {}).get("social", {})
    if social.get("jpeg"):
        data["image"] = [request.build_absolute_uri(default_storage.url(social["jpeg"]))]
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@page_cache.anonymous_page_cache
def post_detail(request, slug):
    # The post itself is kept in the cache under the news generation too (news/cache.py: any
    # change of the news, and the next scheduled publication, leave it behind).
    post = page_cache.cached_value(
        "post:" + hashlib.sha256(slug.encode()).hexdigest(),
        lambda: (
            Post.objects.published()
            .select_related("category")
            .defer(*UNSHOWN)
            .filter(slug=slug)
            .first()
        ),
    )
    if post is None:
        former = PostSlugHistory.objects.filter(slug=slug).select_related("post").first()
        if former is not None and former.post.is_live:
            return redirect(former.post, permanent=True)
        raise Http404(_("No published post has this address."))
    context = _detail_context(request, post)
    page_cache.before_render()
    return render(request, "news/post_detail.html", context)


@login_required
def post_preview(request, pk):
    """Any post, in whatever status, rendered with the public template; editors only."""
    if not request.user.has_perm("news.change_post"):
        raise Http404
    post = get_object_or_404(Post.objects.select_related("category").defer(*UNSHOWN), pk=pk)
    context = _detail_context(request, post)
    context["preview"] = True
    response = render(request, "news/post_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
