"""Public news pages: lists, categories, a post, search, and the editors' preview."""

import json

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from news import search
from news.models import Category, Post, PostSlugHistory

PAGE_SIZE = 20
RELATED_COUNT = 4


class PostListView(ListView):
    """All published posts, newest first; a page past the end or not a number is a 404."""

    template_name = "news/post_list.html"
    context_object_name = "posts"
    paginate_by = PAGE_SIZE
    show_categories = True

    def get_queryset(self):
        return Post.objects.published().for_listing().order_by("-published_at", "-id")

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

    def get_breadcrumbs(self):
        return [(_("News"), reverse("news:list")), (self.category.name, None)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class SearchView(PostListView):
    template_name = "news/search.html"

    def get_queryset(self):
        self.query = search.normalize_query(self.request.GET.get("q", ""))
        return search.search_posts(Post.objects.published().for_listing(), self.query)

    def get_breadcrumbs(self):
        return [(_("Search"), None)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query,
            query_was_cut=len(self.request.GET.get("q", "").strip()) > search.MAX_QUERY_LENGTH,
            **kwargs,
        )


def _detail_context(request, post):
    related = (
        Post.objects.published()
        .for_listing()
        .filter(category_id=post.category_id)
        .exclude(pk=post.pk)
        .order_by("-published_at")[:RELATED_COUNT]
    )
    return {
        "post": post,
        "breadcrumbs": [
            (_("News"), reverse("news:list")),
            (post.category.name, post.category.get_absolute_url()),
            (post.title, None),
        ],
        "attachments": list(post.attachments.all()),
        "related_posts": related,
        "canonical_url": request.build_absolute_uri(post.get_absolute_url()),
        "json_ld": _json_ld(request, post),
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


def post_detail(request, slug):
    post = Post.objects.published().select_related("category").filter(slug=slug).first()
    if post is None:
        former = PostSlugHistory.objects.filter(slug=slug).select_related("post").first()
        if former is not None and former.post.is_live:
            return redirect(former.post, permanent=True)
        raise Http404(_("No published post has this address."))
    return render(request, "news/post_detail.html", _detail_context(request, post))


@login_required
def post_preview(request, pk):
    """Any post, in whatever status, rendered with the public template; editors only."""
    if not request.user.has_perm("news.change_post"):
        raise Http404
    post = get_object_or_404(Post.objects.select_related("category"), pk=pk)
    context = _detail_context(request, post)
    context["preview"] = True
    response = render(request, "news/post_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
