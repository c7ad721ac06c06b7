"""The page cache of the public news pages (news/cache.py): anonymous visitors only, never stale."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from news import services
from news.models import Post
from portal.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/tin-tuc/", "/tin-tuc/chuyen-muc/{category}/", "/tin-tuc/rss/"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    SiteSettings.get_solo()  # made on first use; its save would move the generation on
    yield
    cache.clear()


@pytest.fixture
def category():
    return CategoryFactory(name="Tin tức sự kiện", slug="tin-tuc-su-kien", show_on_home=True)


def pages(category):
    return [page.format(category=category.slug) for page in PUBLIC_PAGES]


def text(response):
    return response.content.decode()


def test_pages_are_served_from_the_cache(client, category):
    post = PostFactory(title="Hội nghị tổng kết năm", category=category)
    for page in [*pages(category), post.get_absolute_url()]:
        assert "Hội nghị tổng kết năm" in text(client.get(page))
    # A change the portal is not told about (no save, no signal) is not seen: the page is cached.
    Post.objects.filter(pk=post.pk).update(title="Đổi tên ngầm")
    for page in [*pages(category), post.get_absolute_url()]:
        response = client.get(page)
        assert "Hội nghị tổng kết năm" in text(response), page
        assert response["X-Page-Cache"] == "hit"


def test_publish_edit_and_unpublish_show_on_the_next_request(client, category, chief_editor):
    draft = PostFactory(title="Thông báo đại hội", category=category, draft=True)
    for page in pages(category):
        assert "Thông báo đại hội" not in text(client.get(page))

    services.publish(post=draft, by=chief_editor)
    for page in [*pages(category), draft.get_absolute_url()]:
        assert "Thông báo đại hội" in text(client.get(page)), page

    draft.refresh_from_db()
    draft.title = "Thông báo đại hội lần thứ hai"
    draft.save()
    for page in [*pages(category), draft.get_absolute_url()]:
        assert "Thông báo đại hội lần thứ hai" in text(client.get(page)), page

    services.unpublish(post=draft, by=chief_editor)
    for page in pages(category):
        assert "Thông báo đại hội" not in text(client.get(page)), page
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_category_rename_shows_at_once(client, category):
    PostFactory(category=category)
    assert "Tin tức sự kiện" in text(client.get("/tin-tuc/"))
    category.name = "Hoạt động công đoàn cơ sở"
    category.save()
    assert "Hoạt động công đoàn cơ sở" in text(client.get("/tin-tuc/"))


@pytest.fixture
def clock(monkeypatch):
    """Move the wall clock forward: ``clock(seconds)``."""
    offset = {"seconds": 0}
    real_time, real_now = time.time, timezone.now

    def moved_time():
        return real_time() + offset["seconds"]

    def moved_now():
        return real_now() + datetime.timedelta(seconds=offset["seconds"])

    monkeypatch.setattr(time, "time", moved_time)
    monkeypatch.setattr(timezone, "now", moved_now)

    def forward(seconds):
        offset["seconds"] += seconds

    return forward


def test_a_scheduled_post_appears_when_its_time_comes(client, category, chief_editor, clock):
    PostFactory(title="Bài đã đăng", category=category)
    scheduled = PostFactory(title="Bài hẹn giờ đăng", category=category, draft=True)
    services.publish(
        post=scheduled, by=chief_editor, at=timezone.now() + datetime.timedelta(seconds=20)
    )
    for page in pages(category):
        body = text(client.get(page))
        assert "Bài đã đăng" in body
        assert "Bài hẹn giờ đăng" not in body
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    clock(25)  # the publication time has come; nothing was saved since
    for page in [*pages(category), scheduled.get_absolute_url()]:
        assert "Bài hẹn giờ đăng" in text(client.get(page)), page


def test_entries_expire_after_page_cache_seconds(client, category, clock, settings):
    settings.PAGE_CACHE_SECONDS = 30
    post = PostFactory(title="Tiêu đề cũ", category=category)
    assert "Tiêu đề cũ" in text(client.get("/tin-tuc/"))
    Post.objects.filter(pk=post.pk).update(title="Tiêu đề mới")  # unseen by the cache
    assert "Tiêu đề cũ" in text(client.get("/tin-tuc/"))
    clock(31)
    assert "Tiêu đề mới" in text(client.get("/tin-tuc/"))


def test_zero_seconds_switches_the_cache_off(client, category, settings):
    settings.PAGE_CACHE_SECONDS = 0
    post = PostFactory(title="Tiêu đề cũ", category=category)
    assert "Tiêu đề cũ" in text(client.get("/tin-tuc/"))
    Post.objects.filter(pk=post.pk).update(title="Tiêu đề mới")
    assert "Tiêu đề mới" in text(client.get("/tin-tuc/"))


@pytest.mark.parametrize("persona", ["editor", "member"])
def test_signed_in_people_never_get_or_fill_the_cached_page(
    client, client_for, category, persona, request
):
    user = request.getfixturevalue(persona)
    post = PostFactory(title="Tin dành cho mọi người", category=category)
    anonymous_pages = [*pages(category)[:3], post.get_absolute_url()]
    for page in anonymous_pages:  # the anonymous copies are in the cache
        assert 'class="nav-link nav-sign-in"' in text(client.get(page))

    signed_in = client_for(user)
    for page in anonymous_pages:
        response = signed_in.get(page)
        assert 'id="user-menu"' in text(response), page
        assert "X-Page-Cache" not in response
    signed_in.logout()

    # Signed in first, anonymous next: the anonymous visitor gets the anonymous page.
    cache.clear()
    signed_in = client_for(user)
    for page in anonymous_pages:
        assert 'id="user-menu"' in text(signed_in.get(page))
    signed_in.logout()
    client.cookies.clear()
    for page in anonymous_pages:
        body = text(client.get(page))
        assert 'id="user-menu"' not in body, page
        assert 'class="nav-link nav-sign-in"' in body, page


def test_a_visitor_with_a_pending_message_is_not_served_from_the_cache(client, category):
    PostFactory(category=category)
    client.get("/tin-tuc/")
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get("/tin-tuc/")


def test_pages_differ_by_query_and_search_is_not_cached(client, category):
    for n in range(25):
        PostFactory(title=f"Bản tin số {n:02d}", category=category)
    first, second = text(client.get("/tin-tuc/")), text(client.get("/tin-tuc/?page=2"))
    assert "Bản tin số 24" in first and "Bản tin số 24" not in second
    assert "Bản tin số 00" in second and "Bản tin số 00" not in first
    client.get("/tim-kiem/?q=ban+tin")
    assert "X-Page-Cache" not in client.get("/tim-kiem/?q=ban+tin")


def test_a_post_page_of_a_missing_post_is_not_cached(client, category):
    assert client.get("/tin-tuc/chua-co-bai-nay/").status_code == 404
    PostFactory(title="Chưa có bài này", slug="chua-co-bai-nay", category=category)
    assert client.get("/tin-tuc/chua-co-bai-nay/").status_code == 200


def count_queries(captured):
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_the_list_count_is_kept_until_the_news_change(client, client_for, editor, category):
    from django.test.utils import CaptureQueriesContext

    for n in range(21):
        PostFactory(title=f"Tin số {n:02d}", category=category)
    signed_in = client_for(editor)  # signed in: no page cache, so the view runs each time
    for address in ("/tin-tuc/", f"/tin-tuc/chuyen-muc/{category.slug}/"):
        signed_in.get(address)
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.get(address + "?page=2")
        assert "Tin số 00" in response.content.decode()
        assert count_queries(captured) == [], address
    assert signed_in.get("/tin-tuc/?page=3").status_code == 404
    for n in range(21, 41):
        PostFactory(title=f"Tin số {n:02d}", category=category)
    response = signed_in.get("/tin-tuc/?page=3")
    assert response.status_code == 200
    assert "Tin số 00" in response.content.decode()


def test_a_deep_page_lists_the_same_posts_in_the_same_order(client, category, monkeypatch):
    from news import views

    same_time = timezone.now() - datetime.timedelta(days=1)
    posts = [
        PostFactory(title=f"Bài số {n:02d}", category=category, published_at=same_time)
        for n in range(45)
    ]
    # Newest first; posts of the same time, the last made first.
    expected = [post.title for post in reversed(posts)][20:40]
    monkeypatch.setattr(views, "IDS_FIRST_FROM", 0)
    body = client.get("/tin-tuc/?page=2").content.decode()
    positions = [body.index(title) for title in expected]
    assert positions == sorted(positions)
    assert "Bài số 24" in body and "Bài số 25" not in body and "Bài số 04" not in body


def test_home_blocks_show_the_four_newest_posts_of_each_category(client, category):
    now = timezone.now()
    other = CategoryFactory(name="Văn hóa - Thể thao", slug="van-hoa-the-thao", show_on_home=True)
    for day in range(1, 7):
        PostFactory(
            title=f"Sự kiện ngày {day}",
            category=category,
            published_at=now - datetime.timedelta(days=day),
        )
    PostFactory(
        title="Giải bóng đá", category=other, published_at=now - datetime.timedelta(days=30)
    )
    PostFactory(title="Bài hẹn giờ", category=other, published_at=now + datetime.timedelta(days=1))
    html = text(client.get("/"))

    def block(cat):
        start = html.index(f'<section class="category-block" aria-labelledby="category-{cat.pk}"')
        return html[start : html.index("</section>", start)]

    events = block(category)
    shown = [f"Sự kiện ngày {day}" for day in range(1, 5)]
    assert [events.index(title) for title in shown] == sorted(events.index(t) for t in shown)
    assert "Sự kiện ngày 5" not in events and "Sự kiện ngày 6" not in events
    assert "Giải bóng đá" in block(other) and "Bài hẹn giờ" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bound is PostgreSQL's")
def test_a_very_common_word_ranks_only_the_newest_matches(client, category, monkeypatch):
    from news import search

    monkeypatch.setattr(search, "MAX_CANDIDATES", 5)
    now = timezone.now()
    for day in range(1, 8):
        PostFactory(
            title=f"Công đoàn tin {day}",
            category=category,
            published_at=now - datetime.timedelta(days=day),
        )
    html = text(client.get("/tim-kiem/?q=cong+doan"))
    assert "Hơn 5 kết quả cho “cong doan”" in html or "More than 5 results" in html
    assert "/tin-tuc/cong-doan-tin-1/" in html and "/tin-tuc/cong-doan-tin-5/" in html
    assert "/tin-tuc/cong-doan-tin-6/" not in html and "/tin-tuc/cong-doan-tin-7/" not in html
    html = text(client.get("/tim-kiem/?q=CÔNG+ĐOÀN+tin"))  # still accent- and case-blind
    assert "/tin-tuc/cong-doan-tin-1/" in html


def test_a_cached_page_keeps_the_content_security_policy(client, category):
    post = PostFactory(category=category)
    for page in [*pages(category)[:3], post.get_absolute_url()]:
        first, second = client.get(page), client.get(page)
        assert second["X-Page-Cache"] == "hit"
        policy = second["Content-Security-Policy"]
        assert policy == first["Content-Security-Policy"] and "script-src" in policy
        assert "nonce-" not in policy and "nonce=" not in text(second)
