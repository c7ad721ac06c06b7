"""The demo news load_demo loads: enough live posts, the seed's half-year review, idempotent."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from PIL import Image

import news.models
from news import demo
from news.models import Category, Post
from news.sanitize import clean_body
from portal import roles
from portal.text import words
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIRED_CATEGORIES = [
    "Tin tức - Sự kiện",
    "Hoạt động công đoàn",
    "Thi đua - Khen thưởng",
    "Chính sách - Pháp luật",
    "Văn hóa - Thể thao",
]
SEED = "/work/shared/seed/000_fc4bb41f68490bf2.txt"


@pytest.fixture
def newsroom():
    return {
        "editor": UserFactory(username="bientap_demo", roles=[roles.EDITOR]),
        "chief_editor": UserFactory(username="truongban_demo", roles=[roles.CHIEF_EDITOR]),
    }


@pytest.fixture
def small_covers(monkeypatch):
    """Covers drawn small and without renditions, for the tests that do not look at pictures.

    A full load makes 23 covers and 69 renditions (about 5 s); test_every_post_has_an_honest_cover
    does it once, the other tests need the posts, not the pictures.
    """
    monkeypatch.setattr(demo, "COVER_SIZE", (320, 180))
    monkeypatch.setattr(news.models, "refresh_renditions", lambda *args, **kwargs: None)


@pytest.fixture
def loaded(newsroom, small_covers):
    return demo.load_news(**newsroom)


def review():
    return Post.objects.get(slug="cong-doan-bo-noi-vu-so-ket-cong-tac-6-thang-dau-nam-2020")


def test_categories_and_live_posts(loaded):
    names = set(Category.objects.values_list("name", flat=True))
    assert set(REQUIRED_CATEGORIES) <= names
    assert Category.objects.get(name="Thi đua - Khen thưởng").slug == "thi-dua-khen-thuong"
    live = Post.objects.published()
    assert live.count() >= 15
    # Spread over the categories and over the years, mostly 2020.
    for name in REQUIRED_CATEGORIES:
        assert live.filter(category__name=name).exists(), name
    years = [post.published_at.astimezone(demo.TZ).year for post in live]
    assert years.count(2020) > len(years) / 2
    assert len(set(years)) >= 4
    assert live.filter(featured=True).exists()
    assert loaded["posts_created"] == Post.objects.count()


def test_published_posts_are_complete(loaded, newsroom):
    for post in Post.objects.published():
        assert post.first_published_at == post.published_at
        assert post.created_by == newsroom["editor"]
        assert post.lead and "<" not in post.lead
        assert post.byline
        assert post.meta_description == ""
        assert post.description == post.lead
        assert 3 <= post.body.count("<p>") <= 12, post.slug
        # The body is stored as the sanitiser leaves it: nothing was stripped on the way in.
        assert clean_body(post.body) == post.body
        # Drafted by the editor, published by the chief editor.
        history = list(post.history.order_by("history_date"))
        assert [h.history_user for h in history] == [newsroom["editor"], newsroom["chief_editor"]]
        assert [h.status for h in history] == [Post.Status.DRAFT, Post.Status.PUBLISHED]


def test_every_post_has_an_honest_cover(newsroom):
    demo.load_news(**newsroom)
    for post in Post.objects.all():
        assert post.cover_image, post.slug
        assert post.cover_alt.startswith("Hình minh họa:")
        assert "ảnh minh họa" in post.cover_caption
        with post.cover_image.open("rb") as f, Image.open(f) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (1600, 900)
    covers = set()
    for post in Post.objects.all():
        with post.cover_image.open("rb") as f:
            covers.add(hashlib.sha256(f.read()).hexdigest())
    assert len(covers) == Post.objects.count()  # one picture per post


def test_the_half_year_review_carries_the_seed_facts(loaded):
    post = review()
    assert post.title == "Công đoàn Bộ Nội vụ sơ kết công tác 6 tháng đầu năm 2020"
    assert post.category.name in {"Thi đua - Khen thưởng", "Hoạt động công đoàn"}
    assert post.featured
    assert post.is_live
    local = post.published_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local == datetime(2020, 7, 22, 8, 58, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    text = f"{post.lead} {post.body_text}"
    for fact in [
        "ngày 20/7",
        "144 đoàn viên",
        "144 triệu đồng",
        "25 đoàn viên",
        "50 triệu đồng",
        "11.200 chiếc khẩu trang vải kháng khuẩn",
        "2.500 khẩu trang y tế",
        "19 đoàn viên",
        "2 triệu đồng mỗi người",
        "gần 400 triệu đồng",
        "2 tấn gạo",
        "30 triệu đồng",
        "Cầu Giấy",
    ]:
        assert fact in text, fact
    for tag in ["<h2>", "<ul>", "<table>", "<th>", "<blockquote>"]:
        assert tag in post.body, tag
    for row in ["144.000.000 ₫", "50.000.000 ₫", "38.000.000 ₫"]:
        assert row in post.body_text


def test_the_posts_are_the_portals_own_writing(loaded):
    """Built on the seed's facts, but no run of twelve words is lifted from the seed article."""
    try:
        seed = open(SEED, encoding="utf-8").read()  # noqa: SIM115
    except FileNotFoundError:
        pytest.skip("the seed article is not beside this checkout")
    n = 12  # shorter runs are names and citations ("Kế hoạch số 16/KH-CĐBNV ngày 13/1/2020")
    seed_words = words(seed)
    runs = {tuple(seed_words[i : i + n]) for i in range(len(seed_words) - n + 1)}
    for post in Post.objects.all():
        text = words(f"{post.lead} {post.body_text}")
        lifted = [
            text[i : i + n] for i in range(len(text) - n + 1) if tuple(text[i : i + n]) in runs
        ]
        assert not lifted, (post.slug, [" ".join(run) for run in lifted[:3]])


def test_one_scheduled_post_and_one_draft(newsroom, small_covers):
    now = timezone.now()
    demo.load_news(**newsroom, now=now)
    scheduled = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
    assert scheduled.count() == 1
    post = scheduled.get()
    assert post.published_at == now + timedelta(days=30)
    assert post.is_scheduled
    assert post not in Post.objects.published()
    assert post.cover_image and post.cover_alt

    drafts = Post.objects.filter(status=Post.Status.DRAFT)
    assert drafts.count() == 1
    draft = drafts.get()
    assert draft.published_at is None
    assert draft.first_published_at is None
    assert draft.created_by == newsroom["editor"]
    assert draft not in Post.objects.published()


def test_loading_twice_changes_nothing(newsroom, small_covers):
    first = demo.load_news(**newsroom)
    assert first["posts_created"] > 0
    assert first["categories_created"] >= 5
    categories = dict(Category.objects.values_list("slug", "updated_at"))
    posts = dict(Post.objects.values_list("slug", "updated_at"))
    scheduled_at = Post.objects.get(slug=demo.SCHEDULED_POST.slug).published_at
    history = Post.history.count()

    # Later, as load_demo would run again: nothing new, nothing touched, the schedule kept.
    second = demo.load_news(**newsroom, now=timezone.now() + timedelta(days=3))
    assert second == {
        "categories_created": 0,
        "posts_created": 0,
        "posts_existing": first["posts_created"],
    }
    assert dict(Category.objects.values_list("slug", "updated_at")) == categories
    assert dict(Post.objects.values_list("slug", "updated_at")) == posts
    assert Post.objects.get(slug=demo.SCHEDULED_POST.slug).published_at == scheduled_at
    assert Post.history.count() == history


def test_an_edited_demo_post_is_left_alone(loaded, newsroom):
    post = review()
    post.title = "Sơ kết 6 tháng đầu năm 2020 (đã biên tập)"
    post.slug = "so-ket-6-thang-dau-nam-2020"
    post.save()
    demo.load_news(**newsroom)
    # Its old address is now a redirect: the demo does not create the post again under it.
    assert not Post.objects.filter(slug=demo.HALF_YEAR_REVIEW_SLUG).exists()
    assert Post.objects.get(pk=post.pk).title == "Sơ kết 6 tháng đầu năm 2020 (đã biên tập)"
