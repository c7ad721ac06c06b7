"""The low-level caches of the news pages (news/fragments.py), on with the page cache off.

A list's count is kept under the news generation; the post cards of a list are kept under a key
made of everything they show. Either way a change shows on the next request.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from news import cache as page_cache
from news import fragments, services
from news.models import Category, Post
from portal.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    SiteSettings.get_solo()
    yield
    cache.clear()


@pytest.fixture
def category():
    return CategoryFactory(name="Tin tức sự kiện", slug="tin-tuc-su-kien")


def counts(captured):
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_the_list_count_is_kept_without_the_page_cache(client, category, chief_editor):
    for n in range(21):
        PostFactory(title=f"Tin số {n:02d}", category=category)
    for address in ("/tin-tuc/", f"/tin-tuc/chuyen-muc/{category.slug}/"):
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address + "?page=2")
        assert "Tin số 00" in response.content.decode()
        assert counts(captured) == [], address
    assert client.get("/tin-tuc/?page=3").status_code == 404
    drafts = [PostFactory(title=f"Bản nháp {n}", category=category, draft=True) for n in range(20)]
    for draft in drafts:
        services.publish(post=draft, by=chief_editor)
    response = client.get("/tin-tuc/?page=3")
    assert response.status_code == 200
    assert "Tin số 00" in response.content.decode()


def test_cards_come_from_the_cache_and_a_change_shows_at_once(client, category, monkeypatch):
    post = PostFactory(title="Hội nghị tổng kết năm", category=category)
    assert "Hội nghị tổng kết năm" in client.get("/tin-tuc/").content.decode()

    class NotRendered:
        def __init__(self, template):
            self.template = template.template  # its text, which the key holds

        def render(self, *args, **kwargs):
            raise AssertionError("a card was rendered again")

    # Unchanged cards are not rendered again.
    real = fragments.get_template
    monkeypatch.setattr(fragments, "get_template", lambda name: NotRendered(real(name)))
    assert "Hội nghị tổng kết năm" in client.get("/tin-tuc/").content.decode()
    monkeypatch.undo()

    # Changes the portal is not told about (no save, no signal) show all the same.
    Category.objects.filter(pk=category.pk).update(name="Chuyên mục mới")
    html = client.get("/tin-tuc/").content.decode()
    assert 'href="/tin-tuc/chuyen-muc/tin-tuc-su-kien/">Chuyên mục mới</a>' in html
    Post.objects.filter(pk=post.pk).update(title="Đổi tên ngầm")
    html = client.get("/tin-tuc/").content.decode()
    assert "Đổi tên ngầm" in html and "Hội nghị tổng kết năm" not in html


def test_search_cards_are_kept_per_query(client, category):
    PostFactory(title="Công đoàn tặng quà", category=category)
    assert "<mark>Công</mark> đoàn tặng quà" in client.get("/tim-kiem/?q=cong").content.decode()
    assert "Công <mark>đoàn</mark> tặng quà" in client.get("/tim-kiem/?q=doan").content.decode()
    assert (
        "<mark>Công</mark> <mark>đoàn</mark>"
        in client.get("/tim-kiem/?q=cong+doan").content.decode()
    )


def test_card_keys_hold_the_language_and_the_options(category):
    posts = [PostFactory(category=category)]
    with translation.override("vi"):
        vietnamese = fragments._cards_key(posts, {"show_lead": True})
        assert fragments._cards_key(posts, {"show_lead": False}) != vietnamese
    with translation.override("en"):
        assert fragments._cards_key(posts, {"show_lead": True}) != vietnamese


def test_an_option_the_key_would_miss_is_refused(category):
    with pytest.raises(TypeError):
        fragments.post_cards([PostFactory(category=category)], colour="red")


def test_the_post_page_keeps_its_fragments_and_any_change_shows_at_once(
    client, category, settings, tmp_path, chief_editor
):
    """Page cache off: the second request of a post reads nothing of the news (the post, its
    article, documents and related posts come from the cache), and a change of the post, of a
    related post, of its documents or of its category is on the very next request."""
    from django.core.files.base import ContentFile

    from news.models import PostAttachment

    settings.MEDIA_ROOT = tmp_path
    post = PostFactory(title="Ngày hội hiến máu", category=category, body="<p>Bản đầu.</p>")
    PostFactory(title="Tin liên quan cũ", category=category)
    address = post.get_absolute_url()

    first = client.get(address).content.decode()
    assert "Bản đầu." in first and "Tin liên quan cũ" in first
    with CaptureQueriesContext(connection) as captured:
        again = client.get(address).content.decode()
    news_queries = [q["sql"] for q in captured if '"news_' in q["sql"]]
    assert news_queries == []  # the post, its fragments and related posts all from the cache
    assert again == first

    post.body = "<p>Bản đã sửa.</p>"
    post.save()
    page = client.get(address).content.decode()
    assert "Bản đã sửa." in page and "Bản đầu." not in page

    PostFactory(title="Tin liên quan mới", category=category)
    assert "Tin liên quan mới" in client.get(address).content.decode()

    PostAttachment.objects.create(
        post=post, title="Kế hoạch tổ chức", file=ContentFile(b"%PDF-1.4", name="ke-hoach.pdf")
    )
    assert "Kế hoạch tổ chức" in client.get(address).content.decode()

    category.name = "Hoạt động công đoàn"
    category.save()
    assert "Hoạt động công đoàn" in client.get(address).content.decode()

    services.unpublish(post=post, by=chief_editor)
    assert client.get(address).status_code == 404


def test_the_post_page_fragments_follow_language_and_host(client, category):
    post = PostFactory(title="Hội thao truyền thống", category=category)
    address = post.get_absolute_url()
    vietnamese = client.get(address).content.decode()
    assert "Tin liên quan" in vietnamese
    client.cookies["django_language"] = "en"
    english = client.get(address).content.decode()
    assert "Related news" in english and "Tin liên quan" not in english
    del client.cookies["django_language"]
    other_host = client.get(address, HTTP_HOST="localhost").content.decode()
    assert f'rel="canonical" href="http://localhost{address}"' in other_host
    assert f'"mainEntityOfPage": "http://localhost{address}"' in other_host
    assert (
        f'rel="canonical" href="http://testserver{address}"' in client.get(address).content.decode()
    )


def test_a_deep_page_keeps_its_ids_and_a_publication_moves_them(
    client, category, chief_editor, monkeypatch
):
    from news import views

    monkeypatch.setattr(views, "IDS_FIRST_FROM", 20)  # page 2 on is a "deep" page here
    for n in range(45):
        PostFactory(title=f"Tin số {n:02d}", category=category)
    first = client.get("/tin-tuc/?page=2").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/tin-tuc/?page=2").content.decode()
    assert again == first
    assert not [q for q in captured if "OFFSET" in q["sql"].upper()]  # the ids from the cache
    # Newest first: page 2 starts with the 21st newest; one more post pushes one over.
    assert "Tin số 24" in first and "Tin số 25" not in first
    services.publish(post=PostFactory(title="Tin mới nhất", category=category, draft=True),
                     by=chief_editor)  # fmt: skip
    moved = client.get("/tin-tuc/?page=2").content.decode()
    assert "Tin số 25" in moved and "Tin số 05" not in moved


def test_the_post_page_fragments_never_outlive_the_next_scheduled_post(client, category):
    import datetime

    from django.utils import timezone

    post = PostFactory(title="Tin đã đăng", category=category)
    assert client.get(post.get_absolute_url()).context["fragment_seconds"] == 600
    PostFactory(
        title="Tin hẹn giờ",
        category=category,
        published_at=timezone.now() + datetime.timedelta(seconds=90),
    )
    seconds = client.get(post.get_absolute_url()).context["fragment_seconds"]
    assert 0 < seconds <= 90
    cache.delete(page_cache.NEXT_PUBLICATION_KEY)  # evicted: looked up again, not forgotten
    assert 0 < client.get(post.get_absolute_url()).context["fragment_seconds"] <= 90
