"""The public news pages: what a visitor sees, what stays hidden, and what each page costs."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from news.models import Post
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(name="Hoạt động công đoàn", show_in_navigation=True)


@pytest.fixture
def hidden_posts(category):
    """One post of each kind the public must never see."""
    soon = timezone.now() + datetime.timedelta(hours=3)
    return [
        PostFactory(title="Bản nháp bí mật", category=category, draft=True),
        PostFactory(
            title="Bài chờ duyệt bí mật", category=category, status="review", published_at=None
        ),
        PostFactory(title="Bài đã gỡ bí mật", category=category, status="unpublished"),
        PostFactory(title="Bài hẹn giờ bí mật", category=category, published_at=soon),
    ]


def test_home_shows_featured_latest_and_category_blocks(client, category):
    featured = PostFactory(title="Sơ kết 6 tháng đầu năm", category=category, featured=True)
    other = PostFactory(
        title="Giải bóng đá đoàn viên", category=CategoryFactory(name="Văn hóa - Thể thao")
    )
    html = client.get("/").content.decode()
    assert "Sơ kết 6 tháng đầu năm" in html and "Giải bóng đá đoàn viên" in html
    assert featured.get_absolute_url() in html and other.get_absolute_url() in html
    assert "Văn hóa - Thể thao" in html
    # The category chosen for the navigation is in the main menu.
    assert 'href="/tin-tuc/chuyen-muc/hoat-dong-cong-doan/"' in html


def test_list_shows_published_posts_newest_first_with_dates(client, category):
    now = timezone.now()
    PostFactory(
        title="Tin cũ hơn", category=category, published_at=now - datetime.timedelta(days=2)
    )
    PostFactory(
        title="Tin mới nhất", category=category, published_at=now - datetime.timedelta(days=1)
    )
    html = client.get("/tin-tuc/").content.decode()
    assert html.index("Tin mới nhất") < html.index("Tin cũ hơn")
    assert (now - datetime.timedelta(days=1)).astimezone().strftime(
        "%d/%m/%Y"
    ) in html or "/20" in html


def test_pagination_twenty_per_page_and_bad_pages_are_404(client, category):
    for n in range(21):
        PostFactory(title=f"Tin số {n:02d}", category=category)
    assert client.get("/tin-tuc/").content.decode().count('class="post-card-title') == 20
    page2 = client.get("/tin-tuc/?page=2")
    assert page2.status_code == 200 and page2.content.decode().count('class="post-card-title') == 1
    assert client.get("/tin-tuc/?page=last").status_code == 200
    for bad in ["3", "0", "-1", "abc", "1.5", "99999999999999999999", "%00"]:
        assert client.get(f"/tin-tuc/?page={bad}").status_code == 404, bad
        assert client.get(f"/tin-tuc/chuyen-muc/{category.slug}/?page={bad}").status_code == 404


def test_category_page_lists_only_its_posts(client, category):
    PostFactory(title="Trong chuyên mục", category=category)
    PostFactory(title="Ngoài chuyên mục", category=CategoryFactory(name="Khác"))
    html = client.get(category.get_absolute_url()).content.decode()
    assert "Trong chuyên mục" in html and "Ngoài chuyên mục" not in html
    assert client.get("/tin-tuc/chuyen-muc/khong-co/").status_code == 404


def test_post_page_shows_everything_a_reader_needs(client, category):
    post = PostFactory(
        title="Công đoàn Bộ sơ kết 6 tháng",
        category=category,
        lead="Hội nghị diễn ra tại Hà Nội.",
        body="<h2>Kết quả</h2><p>Tặng 144 suất quà.</p>",
        byline="Nguyễn Văn A",
        published_at=timezone.make_aware(datetime.datetime(2020, 7, 22, 8, 58)),
    )
    related = PostFactory(title="Tin cùng chuyên mục", category=category)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "22/07/2020 - 08:58" in html
    assert '<p class="post-lead">Hội nghị diễn ra tại Hà Nội.</p>' in html
    assert "<h2>Kết quả</h2>" in html and "Nguyễn Văn A" in html
    assert "Tin liên quan" in html and related.title in html
    assert 'rel="canonical" href="http://testserver/tin-tuc/cong-doan-bo-so-ket-6-thang/"' in html
    assert 'property="og:title" content="Công đoàn Bộ sơ kết 6 tháng"' in html
    assert '"@type": "NewsArticle"' in html
    assert 'aria-label="Đường dẫn"' in html or "breadcrumb" in html


def test_updated_time_is_shown_only_after_a_revision(client, category):
    post = PostFactory(category=category)
    assert "Cập nhật" not in client.get(post.get_absolute_url()).content.decode()
    post.revised_at = timezone.now()
    post.save()
    assert "Cập nhật" in client.get(post.get_absolute_url()).content.decode()


def test_hidden_posts_are_invisible_everywhere(client, category, hidden_posts):
    PostFactory(title="Bài công khai", category=category)
    pages = [
        "/",
        "/tin-tuc/",
        category.get_absolute_url(),
        "/tim-kiem/?q=bi+mat",
        "/tin-tuc/rss/",
        f"/tin-tuc/chuyen-muc/{category.slug}/rss/",
        "/sitemap-posts.xml",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for hidden in hidden_posts:
            assert hidden.title not in html, (url, hidden.title)
            assert hidden.slug not in html, (url, hidden.slug)
    for hidden in hidden_posts:
        assert client.get(f"/tin-tuc/{hidden.slug}/").status_code == 404
    visible = PostFactory(title="Bài liên quan công khai", category=category)
    related_html = client.get(visible.get_absolute_url()).content.decode()
    for hidden in hidden_posts:
        assert hidden.title not in related_html


def test_rss_feed_holds_the_latest_thirty(client, category):
    for n in range(32):
        PostFactory(title=f"Tin RSS {n}", category=category)
    response = client.get("/tin-tuc/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert len(items) == 30
    assert channel.find("language").text == "vi"
    assert items[0].find("link").text.startswith("http://testserver/tin-tuc/tin-rss-")
    category_feed = ET.fromstring(client.get(f"/tin-tuc/chuyen-muc/{category.slug}/rss/").content)
    assert len(category_feed.find("channel").findall("item")) == 30


def test_sitemap_lists_posts_and_categories_with_dates(client, category):
    post = PostFactory(category=category)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-posts.xml" in index and "sitemap-categories.xml" in index
    posts = client.get("/sitemap-posts.xml").content.decode()
    assert f"http://testserver{post.get_absolute_url()}" in posts and "<lastmod>" in posts
    categories = client.get("/sitemap-categories.xml").content.decode()
    assert f"http://testserver{category.get_absolute_url()}" in categories


def test_robots_points_to_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def _make_posts(count):
    categories = [
        CategoryFactory(name=f"Chuyên mục {n}", show_in_navigation=n < 3) for n in range(6)
    ]
    for n in range(count):
        PostFactory(
            title=f"Bài số {n} về công đoàn", category=categories[n % 6], featured=n % 7 == 0
        )
    return categories


@pytest.mark.parametrize("count", [10, 200])
def test_query_counts_do_not_grow_with_the_number_of_posts(
    client, django_assert_max_num_queries, count
):
    categories = _make_posts(count)
    post = Post.objects.published().first()
    limits = {
        "/": 8,
        "/tin-tuc/": 5,
        f"/tin-tuc/chuyen-muc/{categories[0].slug}/": 5,
        post.get_absolute_url(): 6,
        "/tim-kiem/?q=cong+doan": 5,
        "/tin-tuc/rss/": 3,
    }
    client.get("/")  # warm the per-process caches (site settings, navigation)
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200, url


def test_preview_is_for_editors_only(client, editor, member, category):
    draft = PostFactory(title="Bản nháp xem trước", category=category, draft=True)
    url = f"/tin-tuc/xem-truoc/{draft.pk}/"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bản nháp xem trước" in html and "Xem trước" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/tin-tuc/xem-truoc/999999/").status_code == 404
