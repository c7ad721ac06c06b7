"""Low-level caching of the news pages' parts: it stays on when the page cache is off.

``PAGE_CACHE_SECONDS=0`` switches off the anonymous page cache (news/cache.py), not this:

- ``post_cards(posts, ...)``: the HTML of a list's post cards, one entry per list, keyed by
  everything the cards show (each post's fields and category, the cards' options, the language,
  the time zone, the media address, the templates' text): a changed post makes a new key on the
  very next request, whoever changed it and however (no invalidation needed, in any process).
"""

import hashlib

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

CARD_SECONDS = 60 * 60
CARD_TEMPLATE = "news/includes/post_card.html"
CARD_TEMPLATES = (CARD_TEMPLATE, "news/includes/picture.html")
# What a card shows of a post (news/includes/post_card.html and picture.html).
CARD_FIELDS = ("pk", "slug", "title", "lead", "published_at", "cover_renditions")
CARD_OPTIONS = ("heading", "horizontal", "plain", "big", "show_lead", "show_category", "query")


def _template_version():
    """A digest of the cards' templates: an edited template (a release) changes every key.

    Read each time from the template loaders, which keep the templates in memory.
    """
    sources = [get_template(name).template.source for name in CARD_TEMPLATES]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def _cards_key(posts, options):
    """The key of these cards, or None when they must not be cached.

    A storage whose addresses are signed (a query string that expires) is never cached.
    """
    media = default_storage.url("news/")
    if "?" in media:
        return None
    parts = [
        _template_version(),
        media,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        *(repr(options.get(option)) for option in CARD_OPTIONS),
    ]
    for post in posts:
        parts += [repr(getattr(post, field)) for field in CARD_FIELDS]
        parts += [post.category.name, post.category.slug]
    return "news:cards:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def post_cards(posts, **options):
    """The HTML of the cards of ``posts`` with ``options`` (``CARD_OPTIONS``), cached as one.

    Each card comes between the new line and spaces a ``{% for %}`` loop of ``{% include %}``
    put around it, so the page is the same to the byte.
    """
    unknown = set(options) - set(CARD_OPTIONS)
    if unknown:  # an option the key would not hold
        raise TypeError(f"unknown post card options: {sorted(unknown)}")
    posts = list(posts)
    key = _cards_key(posts, options)
    html = cache.get(key) if key else None
    if html is None:
        template = get_template(CARD_TEMPLATE)
        html = "".join(
            f"\n      {template.render({'post': post, **options})}\n    " for post in posts
        )
        if key:
            cache.set(key, html, CARD_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template, which escapes
