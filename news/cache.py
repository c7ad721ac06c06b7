"""The page cache of the public news pages, for anonymous visitors only.

The home page, the news list, the category pages, the post pages and the RSS feeds are kept in
Django's cache (``CACHES["default"]``: local memory per process, or Redis with ``REDIS_URL``), one
entry per full address (scheme, host, path and query) and language.

Every entry is keyed with the **news generation**, a number kept in the cache that any change of
what these pages show moves on: ``news.services`` (publish, schedule, unpublish) and the save and
delete signals of posts, categories, their images and documents, the site settings and the
campaigns. A cached page is therefore never served after a change. An entry also lives at most
``PAGE_CACHE_SECONDS`` (60 s by default; 0 switches the cache off), and never past the time the
next scheduled post goes live, so a scheduled post appears on time with no job to run. With local
memory, each process has its own generation: a change made in one process reaches the others'
pages within ``PAGE_CACHE_SECONDS``; with Redis, at once.

Signed-in people (a session cookie) and visitors with a pending message are never served a cached
page and never fill the cache; neither is a response that sets a cookie, uses a CSRF token, adds a
message, carries a CSP nonce or is not a 200.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

GENERATION_KEY = "news:generation"
CHANGED_AT_KEY = "news:changed-at"
NEXT_PUBLICATION_KEY = "news:next-publication"
DEFAULT_PAGE_CACHE_SECONDS = 60
MESSAGES_COOKIE = "messages"
HIT_HEADER = "X-Page-Cache"


def page_cache_seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_PAGE_CACHE_SECONDS))


def generation():
    """The current news generation (made when the cache has none, e.g. a new process)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        if cache.add(GENERATION_KEY, time.time_ns(), timeout=None):
            refresh_next_publication()
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump(**kwargs):
    """Move the news generation on: every cached page and count is left behind."""
    # When, for the read replica's lag rule (portal/db_router.py); set before the generation moves,
    # so whoever reads the new generation then reads this time too.
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, or never read): start a new one
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def changed_within(seconds):
    """Whether the news generation moved on less than ``seconds`` ago, as far as the cache knows."""
    at = cache.get(CHANGED_AT_KEY)
    return at is not None and time.time() - at < seconds


def before_render():
    """A page or count about to be kept under the generation just read must not be made from a
    read replica that may not have replayed the change yet (portal/db_router.py)."""
    from portal import db_router

    db_router.before_cached_render()


def _bump_after_post_change():
    bump()
    refresh_next_publication()


def bump_now_and_on_commit(sender, **kwargs):
    """Bump at once, and again when the transaction commits.

    A page rendered between the first bump and the commit still shows the old data; the second
    bump leaves it behind. A change of a post may schedule one: the time of the next scheduled
    publication is looked up again (here, on the writer's side, not on a reader's).
    """
    from news.models import Post
    from portal.models import SiteSettings

    if sender is SiteSettings and kwargs.get("created"):
        return  # made with its defaults on first use, while a page renders: nothing changed
    if sender is Post:
        _bump_after_post_change()
        transaction.on_commit(_bump_after_post_change)
    else:
        bump()
        transaction.on_commit(bump)


def refresh_next_publication():
    """Look up and keep the time (a Unix timestamp, 0: none) the next scheduled post goes live."""
    from news.models import Post

    at = (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    stored = at.timestamp() if at else 0
    cache.set(NEXT_PUBLICATION_KEY, stored, timeout=None)
    return stored


def next_publication():
    """When the next scheduled post goes live (a Unix timestamp), None when none is scheduled.

    Looked up again when the cache lost it (evicted) or when that time has come (once: the next
    one is kept)."""
    stored = cache.get(NEXT_PUBLICATION_KEY)
    if stored is None or (stored and stored <= time.time()):
        stored = refresh_next_publication()
    return stored or None


def bounded(seconds):
    """``seconds``, but never past the moment the next scheduled post goes live (0 or more)."""
    at = next_publication()
    if at is not None:
        seconds = min(seconds, math.floor(at - time.time()))
    return max(seconds, 0)


def timeout_for():
    """How long an entry of this generation may live: ≤ PAGE_CACHE_SECONDS, ≤ next publication."""
    seconds = page_cache_seconds()
    if seconds <= 0:
        return 0
    return bounded(seconds)


# A value kept under the generation (a list's count) lives at most this long, page cache or not:
# with local-memory caches, what another process's change may take to show.
VALUE_SECONDS = 60


def cached_value(name, compute):
    """``compute()`` kept in the cache under the news generation (e.g. a count of posts).

    Kept whether or not the page cache is on (``PAGE_CACHE_SECONDS=0`` turns off whole pages,
    not this), for at most ``VALUE_SECONDS`` and never past the next scheduled publication."""
    key = f"news:value:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        before_render()
        value = compute()
        timeout = bounded(VALUE_SECONDS)
        if timeout > 0:
            cache.set(key, value, timeout)
    return value


def _anonymous(request):
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.added_new or getattr(storage, "_queued_messages", None)):
        return False
    return b"nonce=" not in response.content


def _key(request, gen):
    address = f"{request.LANGUAGE_CODE if hasattr(request, 'LANGUAGE_CODE') else ''}|"
    address += request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"news:page:{gen}:{digest}"


def serve(request, render):
    """The response of ``render()``, from the cache for an anonymous visitor when it can be."""
    if not _anonymous(request):
        return render()
    gen = generation()
    timeout = timeout_for()
    if timeout <= 0:
        return render()
    key = _key(request, gen)
    entry = cache.get(key)
    if entry is not None:
        status, content, headers = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response
    before_render()
    response = render()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response = response.render()
    if _storable(request, response):
        headers = [(name, value) for name, value in response.items() if name != HIT_HEADER]
        cache.set(key, (response.status_code, response.content, headers), timeout)
        response[HIT_HEADER] = "miss"
    return response


def anonymous_page_cache(view):
    """Decorate a view function: its pages are cached for anonymous visitors (see above)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return serve(request, lambda: view(request, *args, **kwargs))

    return wrapped


def connect_signals():
    """Bump the generation whenever something the cached pages show is saved or deleted."""
    from news.models import Category, Post, PostAttachment, PostImage, PostSlugHistory
    from portal.models import SiteSettings
    from welfare.models import Campaign

    # A setting changed by a test (the static files storage, languages…) changes the pages too.
    setting_changed.connect(bump, dispatch_uid="news.cache.setting_changed")
    for model in (
        Post,
        Category,
        PostImage,
        PostAttachment,
        PostSlugHistory,
        SiteSettings,
        Campaign,
    ):
        label = model._meta.label_lower
        post_save.connect(
            bump_now_and_on_commit, sender=model, dispatch_uid=f"news.cache.save.{label}"
        )
        post_delete.connect(
            bump_now_and_on_commit, sender=model, dispatch_uid=f"news.cache.delete.{label}"
        )
