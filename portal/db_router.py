"""Public pages read from the read replica; everything else reads and writes the primary (#10).

With ``DATABASE_REPLICA_URL`` set, the settings add the ``replica`` database and
:class:`ReplicaRouter`. :class:`ReplicaRoutingMiddleware` marks a request as a *public read* when
it is a GET or HEAD, carries no session cookie (nobody is signed in) and asks for a public page
(:func:`is_public_read`: the home page, the news, the search, the public campaigns, the sitemaps
and robots.txt). Only during such a request do reads go to the replica; writes, signed-in people,
the admin, the member and officer areas, management commands and anything outside a request use
the primary. The mark is a :class:`contextvars.ContextVar`, so threads and async tasks each have
their own.

Two rules keep a lagging replica from showing old news:

- for ``DATABASE_REPLICA_MAX_LAG_SECONDS`` (10) after the news generation moved on (a post
  published, changed or removed: ``news/cache.py``), public pages read the primary, so no page
  made from a replica that has not yet replayed the change is kept in the page cache under the new
  generation. ``news/cache.py`` asks again (:func:`before_cached_render`) after reading the
  generation, just before it makes a page or a count to keep;
- a replica that does not answer is left alone for ``RETRY_SECONDS``: public pages read the
  primary meanwhile, instead of answering 503.
"""

import contextvars
import logging
import re
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from news import cache as page_cache

logger = logging.getLogger(__name__)

REPLICA = "replica"
# How long a replica that did not answer is left alone by this process.
RETRY_SECONDS = 30
DEFAULT_MAX_LAG_SECONDS = 10

# Allow-list of public pages; anything else (admin, /tai-khoan/, /doan-vien/, /can-bo/, previews)
# reads the primary.
PUBLIC_PATHS = frozenset({"/", "/robots.txt", "/sitemap.xml"})
PUBLIC_PREFIXES = ("/tin-tuc/", "/tim-kiem/", "/quyen-gop/")
PRIVATE_PREFIXES = ("/tin-tuc/xem-truoc/",)  # an editor's preview of an unpublished post
SITEMAP_SECTION = re.compile(r"/sitemap-[\w-]+\.xml")
PUBLIC_METHODS = frozenset({"GET", "HEAD"})


class _Route:
    """Where this request reads; ``checked`` once the replica was found answering and current."""

    __slots__ = ("alias", "checked")

    def __init__(self, alias):
        self.alias = alias
        self.checked = False


_route = contextvars.ContextVar("portal_db_route", default=None)
_replica_down_until = 0.0


def replica_configured():
    return REPLICA in settings.DATABASES


def is_public_read(request):
    if request.method not in PUBLIC_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    if path.startswith(PRIVATE_PREFIXES):
        return False
    return (
        path in PUBLIC_PATHS
        or path.startswith(PUBLIC_PREFIXES)
        or SITEMAP_SECTION.fullmatch(path) is not None
    )


def _news_changed_recently():
    seconds = getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", DEFAULT_MAX_LAG_SECONDS)
    return seconds > 0 and page_cache.changed_within(seconds)


def _replica_answers():
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "The read replica does not answer: public pages read the primary for %s s",
            RETRY_SECONDS,
            exc_info=True,
        )
        return False
    return True


def before_cached_render():
    """Called by news/cache.py after it read the news generation and before it makes a page or a
    count to keep under it: a change that has just happened sends this request to the primary."""
    route = _route.get()
    if route is not None and route.alias == REPLICA and _news_changed_recently():
        route.alias = DEFAULT_DB_ALIAS
        route.checked = True


class ReplicaRoutingMiddleware:
    """Marks a public read (see the module's docstring) for the router, for this request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured() or not is_public_read(request):
            return self.get_response(request)
        token = _route.set(_Route(REPLICA))
        try:
            return self.get_response(request)
        finally:
            _route.reset(token)


class ReplicaRouter:
    """Reads of a public read go to the replica (checked on the first read), all else to default."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route.alias != REPLICA:
            return DEFAULT_DB_ALIAS
        if not route.checked:
            route.checked = True
            if _news_changed_recently() or not _replica_answers():
                route.alias = DEFAULT_DB_ALIAS
        return route.alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
