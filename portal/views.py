import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import user_has_device

from news.cache import anonymous_page_cache
from news.models import Category, Post
from portal import db_router, roles
from portal.models import SiteSettings
from welfare.models import Campaign

logger = logging.getLogger(__name__)


HOME_LATEST = 6
HOME_PER_CATEGORY = 4


# The newest posts of each category, read from the index (category, published_at, id) of published
# posts: four index entries per category instead of numbering every post (ROW_NUMBER).
_LATEST_BY_CATEGORY_SQL = """
    SELECT latest.id FROM unnest(%s::bigint[]) AS category(id)
    CROSS JOIN LATERAL (
        SELECT news_post.id FROM news_post
        WHERE news_post.category_id = category.id
          AND news_post.status = 'published' AND news_post.published_at <= %s
        ORDER BY news_post.published_at DESC, news_post.id DESC
        LIMIT %s
    ) AS latest
"""


def _latest_by_category(published, categories, now):
    if not categories:
        return []
    if connection.vendor != "postgresql":
        return published.latest_by_category(categories, HOME_PER_CATEGORY)
    params = ([c.pk for c in categories], now, HOME_PER_CATEGORY)
    ids = RawSQL(_LATEST_BY_CATEGORY_SQL, params)  # noqa: S611 - fixed SQL, values as parameters
    return published.filter(id__in=ids).order_by("category_id", "-published_at", "-id")


@anonymous_page_cache
def home(request):
    """A featured post, the latest posts, and a block per category shown on the home page."""
    now = timezone.now()
    published = Post.objects.published(now).for_listing()
    featured = published.filter(featured=True).order_by("-published_at").first()
    latest = published.order_by("-published_at", "-id")
    if featured is not None:
        latest = latest.exclude(pk=featured.pk)
    categories = list(Category.objects.filter(show_on_home=True).order_by("order", "name"))
    by_category = {}
    for post in _latest_by_category(published, categories, now):
        by_category.setdefault(post.category_id, []).append(post)
    blocks = [
        (category, by_category[category.pk])
        for category in categories
        if category.pk in by_category
    ]
    context = {
        "featured": featured,
        "latest_posts": latest[:HOME_LATEST],
        "category_blocks": blocks,
        "campaigns": Campaign.objects.public().order_by("-starts_on")[:3],
    }
    return render(request, "portal/home.html", context)


def _answers(database):
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database %r does not answer", database.alias)
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    """200 with the database answering, 503 otherwise; for load balancers and monitoring.

    With a read replica its state is reported too, without changing the status: public pages
    read the primary while the replica does not answer (portal/db_router.py)."""
    if not _answers(connection):
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    body = {"status": "ok", "database": "ok"}
    if db_router.replica_configured():
        body["replica"] = "ok" if _answers(connections[db_router.REPLICA]) else "error"
    return JsonResponse(body)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the emblem."""
    return redirect(static("img/emblem.svg"), permanent=True)


@require_GET
def robots_txt(request):
    return HttpResponse(
        render_to_string("robots.txt", request=request), content_type="text/plain; charset=utf-8"
    )


@require_GET
def switch_language(request, code):
    """Remember the chosen language in the language cookie and go back to the page.

    A plain link (not Django's POST-only ``set_language``) so that public pages carry no form and
    no CSRF cookie, and stay cacheable; choosing a language is harmless to forge.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def account_landing(request):
    """Send a person who just signed in to the area their roles open."""
    return redirect(roles.landing_url(request.user))


@login_required
def account_profile(request):
    user = request.user
    context = {
        "role_labels": [roles.ROLE_LABELS[role] for role in roles.roles_of(user)],
        "two_factor": user_has_device(user),
    }
    return render(request, "accounts/profile.html", context)


def _database_is_down():
    """Whether the error being handled is the database not answering."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """The 500 page in the site layout, falling back to plain HTML if even that fails. When the
    database does not answer, a 503 page that needs no database (the layout's menus do), with
    Retry-After; the next request after the database is back is served normally."""
    if _database_is_down():
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponse(
            "<!doctype html><html lang=vi><meta charset=utf-8><title>Lỗi máy chủ</title>"
            "<h1>Đã có lỗi xảy ra</h1><p>Xin vui lòng thử lại sau ít phút.</p></html>",
            status=500,
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the union's name in the e-mail."""

    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"union_name": SiteSettings.get_solo().name}
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as in Django) and say so on the next page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response
