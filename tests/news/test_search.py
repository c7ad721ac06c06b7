"""Search of news posts: accents and case ignored, title matches first, no input ever fails.

The search runs on the test database (PostgreSQL: trigger, ``portal_vi``, GIN index) and, for the
fallback of ``make run``, on a second SQLite database migrated in this process.
"""

import importlib
import unicodedata
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.utils import timezone
from django.utils.safestring import SafeString

from news import search as search_module
from news.models import Category, Post
from news.search import (
    MAX_QUERY_LENGTH,
    highlight,
    normalize_query,
    query_terms,
    ranked_ids,
    search_posts,
)

SQLITE = "search_sqlite"
GIN_INDEX = "news_post_search_vector_gin"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index and the trigger exist on PostgreSQL only"
)

NASTY_QUERIES = [
    "'",
    '"cong doan"',
    "cong & | ! : * ( ) < > doan",
    "&|!:*()<>",
    "cong:* & !doan",
    "\\",
    "cong\\doan\\",
    "cong\x00doan",
    "\x00",
    "😀 cong 👩‍👩‍👧",
    "?!.,;-–—…",
    "'; DROP TABLE news_post; --",
    "%_%",
    "\ud800 lone surrogate",
    "cong " * 2000,
    "x" * 10_000,
    "\t\n\r\x0b\x0c",
]


@pytest.fixture(scope="session")
def sqlite_database(django_db_blocker, tmp_path_factory):
    """A second database, SQLite, with every migration applied: where the fallback runs.

    It is known to the connection handler only, not to ``settings.DATABASES``, so pytest-django
    neither creates it nor forbids it; ``configure_settings`` fills in Django's default settings.
    """
    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": tmp_path_factory.mktemp("db") / "s.db",
    }
    wrapper = SQLiteWrapper(
        connections.configure_settings({DEFAULT_DB_ALIAS: config})[DEFAULT_DB_ALIAS], SQLITE
    )
    connections[SQLITE] = wrapper
    with django_db_blocker.unblock():
        call_command("migrate", database=SQLITE, verbosity=0)
    yield SQLITE
    wrapper.close()
    del connections[SQLITE]


@pytest.fixture(params=[DEFAULT_DB_ALIAS, SQLITE])
def alias(request, db):
    """Each search test runs on the test database and on the SQLite fallback."""
    if request.param == DEFAULT_DB_ALIAS:
        yield DEFAULT_DB_ALIAS
        return
    request.getfixturevalue("sqlite_database")
    with transaction.atomic(using=SQLITE):
        yield SQLITE
        transaction.set_rollback(True, using=SQLITE)


@pytest.fixture
def make_post(alias):
    """``make_post(title, lead=..., body=..., days_ago=..., status=...)`` on the database tested."""
    category = Category.objects.using(alias).create(name="Tin hoạt động")

    def make(title, lead="Tin tức", body="", days_ago=1, status=Post.Status.PUBLISHED):
        return Post.objects.using(alias).create(
            title=title,
            lead=lead,
            body=body,
            category=category,
            status=status,
            published_at=timezone.now() - timedelta(days=days_ago),
        )

    return make


@pytest.fixture
def search(alias):
    """``search(query)``: the titles found among the published posts, best first."""

    def run(query):
        return [post.title for post in search_posts(Post.objects.using(alias).published(), query)]

    return run


# The query and what it normalizes to.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (unicodedata.normalize("NFD", "Công đoàn"), "Công đoàn"),
        ("  cong \t\n doan  ", "cong doan"),
        ("cong\x00doan\x07", "congdoan"),
        (None, ""),
        ("a" * 300, "a" * MAX_QUERY_LENGTH),
        ("a" * 199 + " b", "a" * 199),
    ],
)
def test_normalize_query(raw, expected):
    assert normalize_query(raw) == expected


def test_query_terms_are_folded_words_without_repeats():
    assert query_terms("ĐOÀN viên, đoàn_viên!") == ["doan", "vien"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("cong doan", "Công đoàn Bộ Nội vụ sơ kết 6 tháng"),
        ("ĐOÀN VIÊN", "Thăm hỏi đoàn viên ốm đau"),
        (unicodedata.normalize("NFD", "công đoàn"), "Công đoàn Bộ Nội vụ sơ kết 6 tháng"),
        ("Công Đoàn", "CÔNG ĐOÀN CƠ SỞ"),
        ("doan", "ĐOÀN THANH NIÊN"),
        ("đoàn", "Doan ket"),
        ("dong", "Trao 144 triệu đồng quà Tết"),
        ("khau trang", "Tặng 11.200 chiếc khẩu trang vải"),
        ("covid 19", "Hỗ trợ đoàn viên mắc Covid-19"),
        ("covid-19", "Hỗ trợ đoàn viên mắc Covid-19"),
        ("11.200 khẩu trang", "Tặng 11.200 chiếc khẩu trang vải"),
        ("144 000 000", "Quà Tết trị giá 144.000.000 đồng"),
        ("congdoan bnv", "Thư góp ý: congdoan@bnv.gov.vn"),
        ("b dam", "Chữ <b>đậm</b>"),
    ],
)
def test_accents_and_case_are_ignored(make_post, search, query, title):
    make_post(title)
    make_post("Tin không liên quan")
    assert search(query) == [title]


def test_text_stored_decomposed_is_found(make_post, search):
    make_post("Bài khác")
    post = make_post("Bài viết")
    # update() skips save(), which would compose the text.
    Post.objects.using(post._state.db).filter(pk=post.pk).update(
        title=unicodedata.normalize("NFD", "Đoàn viên công đoàn")
    )
    assert len(search("doan vien cong")) == 1


def test_every_word_must_occur_in_some_field(make_post, search):
    make_post("Công tác quý I", body="<p>Hoạt động của đoàn viên</p>")
    make_post("Công tác quý II")
    assert search("cong doan") == ["Công tác quý I"]
    assert search("cong doan nghi") == []


def test_whole_words_match_not_parts(make_post, search):
    make_post("Đoàn kết")
    assert search("doa") == []
    assert search("doanket") == []


def test_title_matches_come_first_then_rank_then_newest(make_post, search):
    make_post("Tin sáng", body="<p>Công đoàn tổ chức hội thao</p>", days_ago=1)
    make_post("Công đoàn hỏi thăm", days_ago=30)
    make_post("Công đoàn tặng quà", days_ago=10)
    make_post("Tin chiều", lead="Công đoàn tổ chức hội nghị", days_ago=20)
    assert search("cong doan") == [
        "Công đoàn tặng quà",
        "Công đoàn hỏi thăm",
        "Tin chiều",  # in the lead: ranked above a match in the body
        "Tin sáng",
    ]


def test_annotates_title_match_and_rank(alias, make_post):
    make_post("Công đoàn tặng quà")
    make_post("Tin sáng", body="<p>Công đoàn</p>")
    first, second = search_posts(Post.objects.using(alias).published(), "cong doan")
    assert (first.title_match, second.title_match) == (True, False)
    assert first.rank > second.rank > 0


def test_no_match_finds_nothing(make_post, search):
    make_post("Công đoàn Bộ Nội vụ")
    assert search("bong da") == []


@pytest.mark.parametrize("query", ["", "   ", None, "?!", "&|!:*()<>", "\x00", "😀"])
def test_query_without_words_finds_nothing_without_asking_the_database(
    alias, make_post, django_assert_num_queries, query
):
    make_post("Công đoàn Bộ Nội vụ")
    with django_assert_num_queries(0, connection=connections[alias]):
        results = search_posts(Post.objects.using(alias).published(), query)
        assert list(results) == []
        assert results.count() == 0


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_nasty_input_never_fails(alias, make_post, query):
    make_post("Công đoàn Bộ Nội vụ")
    results = search_posts(Post.objects.using(alias).published(), query)
    assert len(list(results)) == results.count()
    assert "<mark>" not in highlight("<b>Bộ Nội vụ</b>", query)


def test_nasty_input_still_searches_its_words(make_post, search):
    make_post("Công đoàn Bộ Nội vụ")
    assert search("cong\\ & | !doan:* (\x00) 'noi vu'") == ["Công đoàn Bộ Nội vụ"]


def test_a_long_query_is_cut(make_post, search):
    make_post("Công đoàn Bộ Nội vụ")
    query = "cong " + "doan " * 40 + "khongcotrongbai"
    assert len(query) > MAX_QUERY_LENGTH
    assert search(query) == ["Công đoàn Bộ Nội vụ"]


def test_only_what_the_caller_passes_is_found(make_post, search):
    make_post("Công đoàn xuất bản")
    make_post("Công đoàn bản nháp", status=Post.Status.DRAFT)
    make_post("Công đoàn chờ duyệt", status=Post.Status.REVIEW)
    make_post("Công đoàn gỡ xuống", status=Post.Status.UNPUBLISHED)
    make_post("Công đoàn hẹn giờ", days_ago=-1)
    assert search("cong doan") == ["Công đoàn xuất bản"]


def test_search_and_count_take_two_queries(alias, make_post, django_assert_max_num_queries):
    for n in range(5):
        make_post(f"Công đoàn tin số {n}")
    with django_assert_max_num_queries(2, connection=connections[alias]):
        results = search_posts(Post.objects.using(alias).published(), "cong doan")
        assert results.count() == 5
        assert len(list(results[:3])) == 3


@pytest.mark.parametrize(
    "query", ["cong doan", "doan", "bong da", "khau trang", "tet", "cong doan tet", "khongco"]
)
def test_ranked_ids_are_the_newest_matches_in_the_search_order(
    alias, make_post, monkeypatch, query
):
    """The windows of time the public page looks through give what ``search_posts`` gives."""
    from django.core.cache import cache

    monkeypatch.setattr(search_module, "MAX_CANDIDATES", 6)
    monkeypatch.setattr(search_module, "WINDOW_SIZES", (2, 5, 9))
    cache.delete(search_module.WINDOW_BOUNDS_KEY)
    for day in range(1, 16):
        title = ["Công đoàn tặng quà", "Giải bóng đá", "Tin khác"][day % 3]
        body = "<p>Quà Tết cho đoàn viên</p>" if day % 4 == 0 else "<p>Khẩu trang</p>"
        lead = "Đoàn viên công đoàn tham gia" if day % 5 == 0 else "Tin tức"
        make_post(f"{title} {day}", lead=lead, body=body, days_ago=day)
    make_post("Công đoàn bản nháp Tết", status=Post.Status.DRAFT)
    published = Post.objects.using(alias).published()
    expected = list(search_posts(published, query).values_list("pk", flat=True))
    if alias == SQLITE:  # no bound there: the best ranked of all the matches
        expected = expected[:6]
    assert ranked_ids(published, query) == expected
    # Bounds kept from other data (or none at all) change the speed only.
    for bounds in ([], [timezone.now()], [timezone.now() - timedelta(days=d) for d in (3, 8)]):
        cache.set(search_module.WINDOW_BOUNDS_KEY, bounds)
        assert ranked_ids(published, query) == expected, bounds
    cache.delete(search_module.WINDOW_BOUNDS_KEY)


def test_ranked_ids_of_a_query_without_words_ask_nothing(alias, django_assert_num_queries):
    with django_assert_num_queries(0, connection=connections[alias]):
        assert ranked_ids(Post.objects.using(alias).published(), "?!") == []


def search_vector(post):
    return Post.objects.filter(pk=post.pk).values_list("search_vector", flat=True).get()


@on_postgresql
def test_trigger_fills_the_vector_on_create_and_update(db):
    category = Category.objects.create(name="Tin hoạt động")
    post = Post.objects.create(
        title="Công đoàn", lead="Đoàn viên", body="<p>Quà Tết</p>", category=category
    )
    assert search_vector(post) == "'cong':1A 'doan':2A,3B 'qua':5C 'tet':6C 'vien':4B"
    post.title = "Khẩu trang"
    post.save()
    assert search_vector(post) == "'doan':3B 'khau':1A 'qua':5C 'tet':6C 'trang':2A 'vien':4B"
    Post.objects.filter(pk=post.pk).update(lead="")
    assert search_vector(post) == "'khau':1A 'qua':3C 'tet':4C 'trang':2A"


def search_head(post):
    return Post.objects.filter(pk=post.pk).values_list("search_head", flat=True).get()


@on_postgresql
def test_trigger_keeps_the_title_and_lead_vector_in_step(db):
    """``search_head``: the title (A) and lead (B) part of ``search_vector``, whatever writes."""
    category = Category.objects.create(name="Tin hoạt động")
    post = Post.objects.create(
        title="Công đoàn", lead="Đoàn viên", body="<p>Quà Tết</p>", category=category
    )
    assert search_head(post) == "'cong':1A 'doan':2A,3B 'vien':4B"
    Post.objects.filter(pk=post.pk).update(title="Khẩu trang", body="<p>Khác</p>")
    assert search_head(post) == "'doan':3B 'khau':1A 'trang':2A 'vien':4B"
    Post.objects.bulk_create(
        [Post(title="Đợt 1", slug="dot-1", lead="Tết", body="<p>Quà</p>", category=category)]
    )
    assert Post.objects.get(slug="dot-1").search_head == "'1':2A 'dot':1A 'tet':3B"


@on_postgresql
def test_trigger_fills_the_vector_of_bulk_inserts(db):
    category = Category.objects.create(name="Tin hoạt động")
    Post.objects.bulk_create(
        [Post(title=f"Đợt {n}", slug=f"dot-{n}", lead="", category=category) for n in range(3)]
    )
    assert sorted(Post.objects.values_list("search_vector", flat=True)) == [
        "'0':2A 'dot':1A",
        "'1':2A 'dot':1A",
        "'2':2A 'dot':1A",
    ]


@on_postgresql
def test_search_uses_the_gin_index(db):
    """The match itself is an index scan.

    With the few rows of a test, the planner prefers the status index for ``published()``; with
    100,000 posts it takes the GIN index for the whole search.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_posts(Post.objects.all(), "cong doan").explain()
    assert f"Bitmap Index Scan on {GIN_INDEX}" in plan


def postgres_objects():
    """Which of the objects the search migration makes exist now."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
                EXISTS (SELECT FROM pg_extension WHERE extname = 'unaccent'),
                EXISTS (SELECT FROM pg_ts_config WHERE cfgname = 'portal_vi'),
                EXISTS (SELECT FROM pg_trigger WHERE tgname = 'news_post_search_vector_trigger'),
                EXISTS (SELECT FROM pg_proc WHERE proname = 'news_post_search_vector_update'),
                EXISTS (SELECT FROM pg_class WHERE relname = %s)
            """,
            [GIN_INDEX],
        )
        return cursor.fetchone()


@on_postgresql
def test_migration_reverses_cleanly_and_fills_existing_rows(db):
    migration = importlib.import_module("news.migrations.0002_post_search")
    category = Category.objects.create(name="Tin hoạt động")
    assert postgres_objects() == (True, True, True, True, True)
    with connection.schema_editor() as editor:
        migration.reverse(None, editor)
    assert postgres_objects() == (False, False, False, False, False)
    post = Post.objects.create(title="Công đoàn", lead="", category=category)
    assert search_vector(post) is None
    # Check the new row's foreign keys now, as its own transaction would have: PostgreSQL
    # creates no index on a table with such checks pending.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        migration.forward(None, editor)
    assert postgres_objects() == (True, True, True, True, True)
    assert search_vector(post) == "'cong':1A 'doan':2A"


def test_sqlite_fallback_matches_words_of_folded_fields(sqlite_database, db):
    """The function the fallback registers on every SQLite connection."""
    with connections[sqlite_database].cursor() as cursor:
        cursor.execute("SELECT portal_search_terms(%s), portal_search_terms(NULL)", ["Công-ĐOÀN_x"])
        assert cursor.fetchone() == (" cong doan x ", "  ")


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Công đoàn", "cong", "<mark>Công</mark> đoàn"),
        ("Công đoàn Công", "CÔNG ĐOÀN", "<mark>Công</mark> <mark>đoàn</mark> <mark>Công</mark>"),
        (
            "<script>alert('Công')</script>",
            "cong",
            "&lt;script&gt;alert(&#x27;<mark>Công</mark>&#x27;)&lt;/script&gt;",
        ),
        ("<b>mark</b>", "b", "&lt;<mark>b</mark>&gt;mark&lt;/<mark>b</mark>&gt;"),
        (unicodedata.normalize("NFD", "Đoàn viên"), "doan", "<mark>Đoàn</mark> viên"),
        ("Đoàn kết", "doa", "Đoàn kết"),
        ("Tom & Jerry", "", "Tom &amp; Jerry"),
        (None, "cong", ""),
    ],
)
def test_highlight(text, query, expected):
    marked = highlight(text, query)
    assert marked == expected
    assert isinstance(marked, SafeString)
