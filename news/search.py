"""Search of news posts that ignores Vietnamese accents and case.

``cong doan`` finds "Công đoàn" and ``ĐOÀN VIÊN`` finds "đoàn viên". A query is reduced to its
folded words (``portal.text.words``), so no punctuation can ever reach the database as syntax.

- On PostgreSQL, ``news_post.search_vector`` is kept by a trigger and indexed with GIN
  (``news/migrations/0002_post_search.py``): title weighted A, lead B, body C, folded by the text
  search configuration ``portal_vi`` (``unaccent`` then ``simple``).
- On SQLite (the developer's database) a slower fallback folds each row in Python with a function
  registered on every new SQLite connection, once this module is imported.

On both, a post matches when every query word is a word of its title, lead or body; posts whose
title holds every word come first, then the better ranked, then the newest. On PostgreSQL only the
newest ``MAX_CANDIDATES`` matches are ranked and counted: the page says "more than 1,000 results".
The public search page takes them with ``ranked_ids``: newest first, window of time by window of
time, so a word in one post in twenty reads a few thousand rows, not the whole table.
"""

import datetime
import functools
import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Case, F, Func, Q, QuerySet, TextField, Value, When
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.text import fold, nfc, words

MAX_QUERY_LENGTH = 200
# At most this many matches, the newest, are ranked (and counted): a very common word ("công
# đoàn" is in nearly every post) must not rank and count the whole table on every search.
MAX_CANDIDATES = 1000
SEARCH_CONFIG = "portal_vi"
# The SQLite function that turns a text into " its folded words " (see ``_spaced_terms``).
SQLITE_FUNCTION = "portal_search_terms"
# Weights of a field that holds every query word, on SQLite: those of PostgreSQL's ts_rank.
_SQLITE_WEIGHTS = {"title": 1.0, "lead": 0.4, "body_text": 0.2}
_ORDERING = ("-title_match", "-rank", "-published_at", "-id")
# ``ranked_ids`` looks for the newest matches among the newest 3,000 published posts, then the
# next 7,000, 20,000 and 60,000, then the rest, and stops once it has MAX_CANDIDATES. The times
# that part them are kept in the cache: any times give the same result, only speed changes.
WINDOW_SIZES = (3_000, 10_000, 30_000, 90_000)
WINDOW_BOUNDS_KEY = "news:search:window-bounds"
WINDOW_BOUNDS_SECONDS = 10 * 60
# A word in a text to highlight: letters and digits, with any combining accents (NFD input).
_TEXT_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def normalize_query(raw: str | None) -> str:
    """The query as searched: NFC, without control characters, single spaces, at most 200 chars.

    Whitespace of any kind (tabs, new lines) becomes one space; NUL and other control characters
    (which PostgreSQL rejects or which cannot be encoded) are dropped.
    """
    text = "".join(
        ch for ch in str(raw or "") if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    text = " ".join(nfc(text).split())
    return text[:MAX_QUERY_LENGTH].rstrip()


def query_terms(raw: str | None) -> list[str]:
    """The folded words a query asks for, in order and without repeats: ``["cong", "doan"]``."""
    return list(_query_terms(raw))


@functools.lru_cache(maxsize=256)
def _query_terms(raw):
    # Highlighting asks twice per result card: fold the query once.
    return tuple(dict.fromkeys(_terms(normalize_query(raw))))


def search_posts(queryset: QuerySet, raw_query: str | None) -> QuerySet:
    """The posts of ``queryset`` that hold every word of ``raw_query``, best first.

    Each post is annotated with ``title_match`` (its title holds every word) and ``rank``; the
    order is title matches first, then rank, then the newest ``published_at``. An empty query (or
    one with no words, like ``"?!"``) finds nothing. The caller decides what may be found: pass
    ``Post.objects.published()`` for the public.
    """
    terms = query_terms(raw_query)
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_folded(queryset, terms)


def highlight(text: str | None, raw_query: str | None) -> SafeString:
    """``text`` escaped, with each word that folds to a query word wrapped in ``<mark>``.

    ``highlight("Công đoàn <b>", "cong")`` is ``"<mark>Công</mark> đoàn &lt;b&gt;"``.
    """
    text = nfc(text)
    terms = set(_query_terms(raw_query))
    parts, end = [], 0
    for match in _TEXT_WORD.finditer(text):
        if _fold_word(match.group()) in terms:
            parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


@functools.lru_cache(maxsize=8192)
def _fold_word(word):
    return fold(word)


def ranked_ids(queryset: QuerySet, raw_query: str | None) -> list:
    """The ids of what ``search_posts`` finds, in its order: at most the newest MAX_CANDIDATES.

    On PostgreSQL the newest matches are taken window by window of time (``WINDOW_SIZES``), each
    window read newest first (or through the GIN indexes) and only as far as needed, then ranked
    here. Elsewhere, the ids of ``search_posts``.
    """
    terms = query_terms(raw_query)
    if not terms:
        return []
    if connections[queryset.db].vendor != "postgresql":
        ids = search_posts(queryset, raw_query).values_list("pk", flat=True)
        return list(ids[:MAX_CANDIDATES])
    query = _postgresql_query(terms)
    matches = _postgresql_matches(queryset, query).annotate(**_postgresql_rank(query))
    bounds = [*_window_bounds(queryset.db), None]
    rows, newer_than, index = [], None, 0
    while True:
        bound, window = bounds[index], matches
        if newer_than is not None:
            window = window.filter(published_at__lt=newer_than)
        if bound is not None:
            window = window.filter(published_at__gte=bound)
        # The first window is read newest first, row by row, as far as needed (at most its
        # 3,000 rows). Past it the word is sparse: its matches come from the GIN indexes and are
        # sorted, as the time index would read (and unpack) every row between two matches, and
        # the planner cannot see that cost (the same time, plus nothing, hides that index).
        newest_first = (
            (F("published_at") + Value(datetime.timedelta(0))).desc() if index else "-published_at"
        )
        fields = ("pk", "title_match", "rank", "published_at")
        wanted = MAX_CANDIDATES - len(rows)
        rows += window.order_by(newest_first, "-id").values_list(*fields)[:wanted]
        if len(rows) >= MAX_CANDIDATES or bound is None:
            break
        newer_than, index = bound, index + 1
        if len(rows) * WINDOW_SIZES[-1] < MAX_CANDIDATES * WINDOW_SIZES[0]:
            # Rare among the newest posts: all the older ones at once, from the GIN indexes.
            index = len(bounds) - 1
    # As _ORDERING: title matches first, then the better ranked, then the newest.
    rows.sort(key=lambda row: (not row[1], -(row[2] or 0.0), -row[3].timestamp(), -row[0]))
    return [row[0] for row in rows]


def _window_bounds(alias):
    """The publish times of the newest posts at the ``WINDOW_SIZES`` (fewer if fewer posts)."""
    bounds = cache.get(WINDOW_BOUNDS_KEY)
    if bounds is None:
        from news.models import Post

        newest = Post.objects.using(alias).published().order_by("-published_at", "-id")
        bounds = []
        for size in WINDOW_SIZES:
            at = newest.values_list("published_at", flat=True)[size : size + 1].first()
            if at is None:
                break
            bounds.append(at)
        cache.set(WINDOW_BOUNDS_KEY, bounds, WINDOW_BOUNDS_SECONDS)
    return bounds


def _terms(text):
    """The folded words of a text; an underscore separates words, as in PostgreSQL's parser."""
    return [part for word in words(text) for part in word.split("_") if part]


def _postgresql_query(terms):
    return SearchQuery(" ".join(terms), config=SEARCH_CONFIG, search_type="plain")


def _postgresql_matches(queryset, query):
    """The posts holding every word: the small row vector first, the whole (TOASTed) one next."""
    return queryset.filter(Q(search_head=query) | Q(search_vector=query))


def _postgresql_rank(query):
    """``title_match`` and ``rank`` from ``search_head`` alone: a match in the body ranks last."""
    title_vector = Func(
        F("search_head"), Value("{a}"), function="ts_filter", output_field=SearchVectorField()
    )
    return {
        "title_match": SearchVectorExact(title_vector, query),
        "rank": SearchRank(F("search_head"), query),
    }


def _search_postgresql(queryset, terms):
    """Match with the GIN-indexed vectors; rank by the title and lead vector, ``search_head``.

    The whole ``search_vector`` is stored out of line (TOAST), ``search_head`` in the row: a post
    whose title or lead holds every word is matched without reading its whole vector, and the
    candidates are ranked on ``search_head`` alone (a match in the body only ranks lowest).
    """
    query = _postgresql_query(terms)
    # The newest matches (the GIN indexes, or the time index for a very common word), then only
    # those are ranked.
    candidates = (
        _postgresql_matches(queryset, query)
        .order_by("-published_at", "-id")
        .values("pk")[:MAX_CANDIDATES]
    )
    return (
        queryset.filter(pk__in=candidates).annotate(**_postgresql_rank(query)).order_by(*_ORDERING)
    )


def _search_folded(queryset, terms):
    """Match on the folded words of each field, computed row by row (SQLite)."""
    fields = list(_SQLITE_WEIGHTS)
    queryset = queryset.alias(
        **{
            f"search_terms_{field}": Func(
                F(field), function=SQLITE_FUNCTION, output_field=TextField()
            )
            for field in fields
        }
    )

    def holds(field, term):
        return Q(**{f"search_terms_{field}__contains": f" {term} "})

    def holds_all(field):
        return Q(*(holds(field, term) for term in terms))

    each_term_somewhere = Q(
        *(Q(*(holds(field, term) for field in fields), _connector=Q.OR) for term in terms)
    )
    rank = sum(
        (
            Case(When(holds_all(field), then=Value(weight)), default=Value(0.0))
            for field, weight in _SQLITE_WEIGHTS.items()
        ),
        start=Value(0.0),
    )
    return (
        queryset.filter(each_term_somewhere)
        .annotate(
            title_match=Case(When(holds_all("title"), then=Value(True)), default=Value(False)),
            rank=rank,
        )
        .order_by(*_ORDERING)
    )


def _spaced_terms(text):
    """``" cong doan "`` for ``"Công đoàn"``: the folded words of a text, each between spaces.

    Registered on SQLite connections as ``portal_search_terms``; a query word ``w`` is a word of
    the text when the result contains ``" w "``.
    """
    return f" {' '.join(_terms(text))} "


@receiver(connection_created, dispatch_uid="news.search.register_sqlite_function")
def register_sqlite_function(sender, connection, **kwargs):
    """Give every new SQLite connection the function the fallback search calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _spaced_terms, deterministic=True)
