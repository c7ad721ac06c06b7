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
"""

import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
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
    return list(dict.fromkeys(_terms(normalize_query(raw))))


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
    terms = set(query_terms(raw_query))
    parts, end = [], 0
    for match in _TEXT_WORD.finditer(text):
        if fold(match.group()) in terms:
            parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


def _terms(text):
    """The folded words of a text; an underscore separates words, as in PostgreSQL's parser."""
    return [part for word in words(text) for part in word.split("_") if part]


def _search_postgresql(queryset, terms):
    """Match with the GIN-indexed ``search_vector``; ``title_match`` looks at weight A only."""
    query = SearchQuery(" ".join(terms), config=SEARCH_CONFIG, search_type="plain")
    # The newest matches (the GIN index, or the time index for a very common word), then only
    # those are ranked.
    candidates = (
        queryset.filter(search_vector=query)
        .order_by("-published_at", "-id")
        .values("pk")[:MAX_CANDIDATES]
    )
    title_vector = Func(
        F("search_vector"), Value("{a}"), function="ts_filter", output_field=SearchVectorField()
    )
    return (
        queryset.filter(pk__in=candidates)
        .annotate(
            title_match=SearchVectorExact(title_vector, query),
            rank=SearchRank(F("search_vector"), query),
        )
        .order_by(*_ORDERING)
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
