"""The read replica (portal/db_router.py): anonymous visitors' public pages read the replica;
signed-in people, the admin, POSTs and every write use the primary; right after a news change
public pages read the primary, so a lagging replica never fills the page cache; a replica that
does not answer sends public pages to the primary.

The "replica" alias mirrors the test database on a connection of its own, so these tests commit
(``transaction=True``): a separate connection sees only committed rows. Which connection ran the
queries is what each test asserts. The settings (``DATABASE_REPLICA_URL``) are tested in a
subprocess, as in test_settings.py."""

import contextlib
import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from news import cache as page_cache
from news import services
from news.models import Post
from portal import db_router
from portal.models import SiteSettings
from tests.factories import CampaignFactory, CategoryFactory, PostFactory

REPLICA = db_router.REPLICA
ROOT = Path(__file__).resolve().parents[2]
TITLE = "Hội nghị đại biểu đoàn viên năm 2020"
POST_URL = "/tin-tuc/hoi-nghi-dai-bieu/"

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """A "replica" database that mirrors the test database (as DATABASE_REPLICA_URL gives in
    tests: ``TEST: {"MIRROR": "default"}``), on its own connection."""
    added = REPLICA not in connections.settings
    if added:
        settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
        settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
        connections.settings[REPLICA] = settings_dict
    yield
    if added:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        with contextlib.suppress(AttributeError):
            del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def replica_router(settings, monkeypatch):
    settings.DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def news(tree):
    """A published post on the home page, and the site settings in the cache as between requests
    (django-solo reads them through ``get_or_create``, a write, once per cache lifetime)."""
    category = CategoryFactory(name="Tin hoạt động", slug="tin-hoat-dong", show_on_home=True)
    post = PostFactory(title=TITLE, slug="hoi-nghi-dai-bieu", category=category)
    CampaignFactory(name="Quỹ hỗ trợ đoàn viên", branch=tree.root)
    SiteSettings.get_solo()
    # The news changed while the data was made; that was long ago for these tests.
    cache.set(page_cache.CHANGED_AT_KEY, time.time() - 3600, timeout=None)
    return post


@contextlib.contextmanager
def queries():
    """The queries each database ran in the block: ``(primary, replica)``."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        yield primary, replica


def sql(captured):
    return [query["sql"] for query in captured.captured_queries]


PUBLIC_PAGES = [
    "/",
    "/tin-tuc/",
    "/tin-tuc/hoi-nghi-dai-bieu/",
    "/tin-tuc/chuyen-muc/tin-hoat-dong/",
    "/tim-kiem/?q=hoi+nghi+dai+bieu",
    "/tin-tuc/rss/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anonymous_public_pages_read_the_replica(client, news, path):
    with queries() as (primary, replica):
        response = client.get(path)
    assert response.status_code == 200
    assert POST_URL in response.content.decode()  # the post, listed or shown
    assert len(replica) > 0
    assert sql(primary) == []


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-posts.xml", "/quyen-gop/"])
def test_sitemaps_and_public_campaigns_read_the_replica(client, news, path):
    with queries() as (primary, replica):
        response = client.get(path)
    assert response.status_code == 200
    assert len(replica) > 0
    assert sql(primary) == []


def test_a_signed_in_member_reads_the_primary_even_on_public_pages(client_for, member, news):
    client = client_for(member)
    with queries() as (primary, replica):
        area = client.get("/doan-vien/")
        listing = client.get("/tin-tuc/")
    assert area.status_code == 200 and "Trần Thị Bình" in area.content.decode()
    assert listing.status_code == 200 and TITLE in listing.content.decode()
    assert len(primary) > 0
    assert sql(replica) == []


def test_an_officer_and_the_admin_read_the_primary(client_for, officer, chief_editor, news):
    with queries() as (primary, replica):
        officer_page = client_for(officer).get("/can-bo/")
        admin_page = client_for(chief_editor).get("/admin/news/post/")
    assert officer_page.status_code == 200
    assert admin_page.status_code == 200 and TITLE in admin_page.content.decode()
    assert len(primary) > 0
    assert sql(replica) == []


def test_a_post_reads_and_writes_the_primary(client, member, password, news):
    with queries() as (primary, replica):
        response = client.post(
            "/tai-khoan/dang-nhap/", {"username": member.username, "password": password}
        )
    assert response.status_code == 302
    assert any(query.startswith("UPDATE") for query in sql(primary))  # last_login
    assert sql(replica) == []


def test_a_write_during_a_public_read_goes_to_the_primary(client, news):
    SiteSettings.objects.all().delete()
    cache.clear()
    cache.set(page_cache.CHANGED_AT_KEY, time.time() - 3600, timeout=None)
    with queries() as (primary, replica):
        response = client.get("/tin-tuc/")
    assert response.status_code == 200
    assert any(query.startswith("INSERT") for query in sql(primary))  # the site settings row
    assert not any(query.startswith(("INSERT", "UPDATE", "DELETE")) for query in sql(replica))
    assert len(replica) > 0  # the page itself still read the replica


@pytest.mark.parametrize(
    ("method", "path", "cookies", "alias"),
    [
        ("get", "/", {}, REPLICA),
        ("head", "/tin-tuc/", {}, REPLICA),
        ("get", "/tim-kiem/", {"django_language": "en"}, REPLICA),
        ("get", "/robots.txt", {}, REPLICA),
        ("get", "/sitemap-posts.xml", {}, REPLICA),
        ("get", "/quyen-gop/quy-ho-tro/", {}, REPLICA),
        ("get", "/tin-tuc/", {"sessionid": "x"}, DEFAULT_DB_ALIAS),
        ("post", "/tim-kiem/", {}, DEFAULT_DB_ALIAS),
        ("get", "/tin-tuc/xem-truoc/1/", {}, DEFAULT_DB_ALIAS),
        ("get", "/admin/", {}, DEFAULT_DB_ALIAS),
        ("get", "/tai-khoan/dang-nhap/", {}, DEFAULT_DB_ALIAS),
        ("get", "/doan-vien/", {}, DEFAULT_DB_ALIAS),
        ("get", "/can-bo/", {}, DEFAULT_DB_ALIAS),
        ("get", "/healthz", {}, DEFAULT_DB_ALIAS),
        ("get", "/tin-tuc", {}, DEFAULT_DB_ALIAS),
    ],
)
def test_only_anonymous_reads_of_public_pages_are_routed_to_the_replica(
    method, path, cookies, alias
):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Post)
        seen["write"] = router.db_for_write(Post)
        return HttpResponse()

    db_router.ReplicaRoutingMiddleware(view)(request)
    assert seen == {"read": alias, "write": DEFAULT_DB_ALIAS}
    # Outside a request (commands, the shell): the primary.
    assert router.db_for_read(Post) == DEFAULT_DB_ALIAS


def test_migrations_only_on_the_primary():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "news", model_name="post") is True
    assert router.allow_migrate(REPLICA, "news", model_name="post") is False


def test_right_after_a_publication_public_pages_read_the_primary(client, chief_editor, news):
    draft = PostFactory(title="Thông báo mới đăng", category=news.category, draft=True)
    cache.set(page_cache.CHANGED_AT_KEY, time.time() - 3600, timeout=None)
    assert client.get("/tin-tuc/")["X-Page-Cache"] == "miss"  # read from the replica, cached

    services.publish(post=draft, by=chief_editor)
    with queries() as (primary, replica):
        response = client.get("/tin-tuc/")
    # Made and cached from the primary: a lagging replica could have missed the new post.
    assert "Thông báo mới đăng" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    assert len(primary) > 0
    assert sql(replica) == []

    # Once DATABASE_REPLICA_MAX_LAG_SECONDS have passed, the replica serves again.
    cache.set(page_cache.CHANGED_AT_KEY, time.time() - 11, timeout=None)
    with queries() as (primary, replica):
        response = client.get(draft.get_absolute_url())
    assert "Thông báo mới đăng" in response.content.decode()
    assert len(replica) > 0
    assert sql(primary) == []


def test_without_a_lag_window_the_replica_serves_at_once(client, chief_editor, news, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0
    draft = PostFactory(title="Thông báo mới đăng", category=news.category, draft=True)
    services.publish(post=draft, by=chief_editor)
    with queries() as (primary, replica):
        response = client.get("/tin-tuc/")
    assert "Thông báo mới đăng" in response.content.decode()
    assert len(replica) > 0
    assert sql(primary) == []


def run_public_request(work):
    """``work()`` inside an anonymous request for /tin-tuc/ that has read the replica already,
    after the news changed (a chief editor publishes in another process)."""
    request = RequestFactory().get("/tin-tuc/")
    seen = {}

    def view(request):
        seen["before"] = router.db_for_read(Post)
        page_cache.bump()
        return work(request, seen)

    response = db_router.ReplicaRoutingMiddleware(view)(request)
    assert response.status_code == 200
    assert seen["before"] == REPLICA
    return seen


def test_a_page_made_after_a_change_during_the_request_reads_the_primary(news):
    def work(request, seen):
        def render():
            seen["render"] = router.db_for_read(Post)
            return HttpResponse("trang")

        return page_cache.serve(request, render)

    assert run_public_request(work)["render"] == DEFAULT_DB_ALIAS


def test_a_count_kept_after_a_change_during_the_request_reads_the_primary(news):
    def work(request, seen):
        def count():
            seen["count"] = router.db_for_read(Post)
            return 1

        page_cache.cached_value("test-count", count)
        return HttpResponse()

    assert run_public_request(work)["count"] == DEFAULT_DB_ALIAS


def test_without_a_change_the_page_made_during_the_request_reads_the_replica(news):
    request = RequestFactory().get("/tin-tuc/")
    seen = {}

    def render():
        seen["render"] = router.db_for_read(Post)
        return HttpResponse("trang")

    db_router.ReplicaRoutingMiddleware(lambda request: page_cache.serve(request, render))(request)
    assert seen == {"render": REPLICA}


def test_a_replica_that_does_not_answer_sends_public_pages_to_the_primary(
    client, news, monkeypatch, caplog
):
    calls = []

    def refuse():
        calls.append(1)
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", refuse)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        first = client.get("/tin-tuc/hoi-nghi-dai-bieu/")
        second = client.get("/tim-kiem/?q=hoi+nghi+dai+bieu")
    assert first.status_code == 200 and TITLE in first.content.decode()
    assert second.status_code == 200 and POST_URL in second.content.decode()
    assert len(primary) > 0
    assert calls == [1]  # left alone for RETRY_SECONDS after it failed once
    assert "read replica does not answer" in caplog.text


# --- Settings -----------------------------------------------------------------------------------

SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "r = s.DATABASES.get('replica'); "
    "print(json.dumps({'replica': r and {k: r[k] for k in "
    "('ENGINE', 'NAME', 'HOST', 'PORT', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'TEST', 'OPTIONS')},"
    " 'routers': s.DATABASE_ROUTERS, 'lag': s.DATABASE_REPLICA_MAX_LAG_SECONDS,"
    " 'middleware': 'portal.db_router.ReplicaRoutingMiddleware' in s.MIDDLEWARE}))"
)
PRIMARY_URL = "postgres://portal@127.0.0.1:5432/portal"


def manage(*args, **environ):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "DATABASE_", "CONN_MAX_AGE"))
    }
    clean.update({"DEBUG": "1", "DATABASE_URL": PRIMARY_URL}, **environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_replica_url_adds_the_replica_and_the_router():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        DATABASE_REPLICA_URL="postgres://lector@10.0.0.2:5433/portal",
        CONN_MAX_AGE="120",
        DATABASE_REPLICA_MAX_LAG_SECONDS="5",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["replica"].pop("TEST")["MIRROR"] == "default"
    assert shown["replica"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "HOST": "10.0.0.2",
        "PORT": 5433,
        "CONN_MAX_AGE": 120,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 3},
    }
    assert shown["routers"] == ["portal.db_router.ReplicaRouter"]
    assert shown["lag"] == 5
    assert shown["middleware"] is True


def test_without_a_replica_url_there_is_no_replica_and_no_router():
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["replica"] is None
    assert shown["routers"] == []
    assert shown["lag"] == 10


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_REPLICA_URL", "nonsense"),
        ("DATABASE_REPLICA_URL", "sqlite:////tmp/replica.sqlite3"),
        ("DATABASE_REPLICA_MAX_LAG_SECONDS", "soon"),
    ],
)
def test_a_bad_replica_setting_is_one_clear_line(variable, value):
    environ = {"DATABASE_REPLICA_URL": "postgres://lector@10.0.0.2:5433/portal", variable: value}
    result = manage("check", **environ)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_the_health_check_reports_the_replica_without_failing_for_it(client, monkeypatch):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "replica": "ok"}

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections[REPLICA], "cursor", refuse)
    response = client.get("/healthz")
    # Public pages fall back to the primary, so the portal is still up.
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "replica": "error"}
