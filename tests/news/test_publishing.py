"""The workflow and its rules: who may publish, scheduling by time, slugs fixed once published."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from news import services
from news.models import Post, PostSlugHistory
from portal.text import slugify_vi
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Công đoàn Bộ Nội vụ sơ kết công tác 6 tháng đầu năm 2020",
            "cong-doan-bo-noi-vu-so-ket-cong-tac-6-thang-dau-nam-2020",
        ),
        ("ĐẠI HỘI Đoàn viên", "dai-hoi-doan-vien"),
        ("Ưu đãi cho người lao động ở Cơ quan", "uu-dai-cho-nguoi-lao-dong-o-co-quan"),
        ("Trao thưởng: “Lao động giỏi” 2024!", "trao-thuong-lao-dong-gioi-2024"),
    ],
)
def test_slugs_fold_vietnamese(title, slug):
    assert slugify_vi(title) == slug
    assert slugify_vi(unicodedata.normalize("NFD", title)) == slug
    assert PostFactory(title=unicodedata.normalize("NFD", title)).slug == slug


def test_duplicate_titles_get_distinct_slugs():
    first = PostFactory(title="Hội nghị đoàn viên")
    second = PostFactory(title="Hội nghị đoàn viên")
    assert (first.slug, second.slug) == ("hoi-nghi-doan-vien", "hoi-nghi-doan-vien-2")


def test_title_is_stored_nfc():
    post = PostFactory(title=unicodedata.normalize("NFD", "Đoàn viên"))
    assert post.title == unicodedata.normalize("NFC", "Đoàn viên")


def test_published_title_change_keeps_the_address():
    post = PostFactory(title="Tin cũ")
    post.title = "Tin mới hoàn toàn"
    post.save()
    assert post.slug == "tin-cu"


def test_changed_slug_of_a_published_post_redirects_permanently(client):
    post = PostFactory(title="Tin cũ")
    post.slug = "tin-moi"
    post.save()
    assert PostSlugHistory.objects.filter(slug="tin-cu", post=post).exists()
    response = client.get("/tin-tuc/tin-cu/")
    assert response.status_code == 301
    assert response["Location"] == "/tin-tuc/tin-moi/"
    # Changing it back frees the old address again.
    post.slug = "tin-cu"
    post.save()
    assert not PostSlugHistory.objects.filter(slug="tin-cu").exists()
    assert client.get("/tin-tuc/tin-moi/").status_code == 301


def test_published_is_a_rule_on_status_and_time():
    now = timezone.now()
    live = PostFactory(published_at=now - datetime.timedelta(seconds=1))
    due_now = PostFactory(published_at=now)
    scheduled = PostFactory(published_at=now + datetime.timedelta(seconds=1))
    PostFactory(draft=True)
    PostFactory(status="review", published_at=None)
    PostFactory(status="unpublished")
    assert set(Post.objects.published(now=now)) == {live, due_now}
    # The scheduled post appears by itself when its time comes, with nothing to run.
    later = now + datetime.timedelta(seconds=2)
    assert set(Post.objects.published(now=later)) == {live, due_now, scheduled}
    assert scheduled.is_scheduled and not scheduled.is_live


def test_database_refuses_published_without_time():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(title="x", lead="y", category=CategoryFactory(), status="published")


def test_editor_submits_and_chief_publishes(editor, chief_editor):
    post = PostFactory(draft=True)
    services.submit_for_review(post=post, by=editor)
    assert post.status == Post.Status.REVIEW
    with pytest.raises(PermissionDenied):
        services.publish(post=post, by=editor)
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    services.publish(post=post, by=chief_editor)
    assert post.is_live
    assert post.first_published_at == post.published_at
    assert post.history.first().history_change_reason == "Đã xuất bản"


def test_chief_schedules_and_unpublishes(chief_editor, editor):
    post = PostFactory(draft=True)
    at = timezone.now() + datetime.timedelta(days=2)
    services.publish(post=post, by=chief_editor, at=at)
    assert post.is_scheduled and post.published_at == at
    with pytest.raises(PermissionDenied):
        services.unpublish(post=post, by=editor)
    services.unpublish(post=post, by=chief_editor)
    assert post.status == Post.Status.UNPUBLISHED
    assert post not in Post.objects.published(now=at + datetime.timedelta(days=1))


def test_publishing_twice_or_submitting_a_published_post_is_refused(chief_editor, editor):
    post = PostFactory()
    with pytest.raises(ValidationError):
        services.publish(post=post, by=chief_editor)
    with pytest.raises(ValidationError):
        services.submit_for_review(post=post, by=editor)


def test_every_save_keeps_a_version(editor):
    post = PostFactory(draft=True, title="Bản đầu")
    post.title = "Bản hai"
    post.save()
    titles = list(post.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["Bản đầu", "Bản hai"]
    old = post.history.earliest("history_date")
    old.instance.save()
    post.refresh_from_db()
    assert post.title == "Bản đầu"
