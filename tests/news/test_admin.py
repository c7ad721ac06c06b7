"""Editors and the chief editor in the admin: who can publish, including crafted POSTs."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from news.models import Post
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def post_form(category, **overrides):
    data = {
        "title": "Bài mới từ biên tập viên",
        "slug": "",
        "category": category.pk,
        "lead": "Sapo của bài.",
        "body": "<p>Nội dung <strong>đậm</strong></p><script>alert(1)</script>",
        "byline": "Lê Thị B",
        "cover_alt": "",
        "cover_caption": "",
        "meta_description": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editor_writes_a_draft_and_sends_it_for_review(client, editor):
    category = CategoryFactory()
    client.force_login(editor)
    response = client.post("/admin/news/post/add/", post_form(category))
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT and post.created_by == editor
    assert post.slug == "bai-moi-tu-bien-tap-vien"
    assert "<script" not in post.body
    response = client.post(
        f"/admin/news/post/{post.pk}/change/", post_form(category, _submit_review="1"), follow=True
    )
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    assert "Chờ duyệt" in response.content.decode()


@pytest.mark.parametrize(
    "crafted",
    [
        {"status": "published", "published_at_0": "01/01/2020", "published_at_1": "08:00"},
        {"_publish": "1"},
        {"_publish": "1", "status": "published"},
    ],
)
def test_editor_cannot_publish_by_a_crafted_post(client, editor, crafted):
    category = CategoryFactory()
    post = PostFactory(
        category=category, status="review", published_at=None, first_published_at=None
    )
    client.force_login(editor)
    client.post(f"/admin/news/post/{post.pk}/change/", post_form(category, **crafted))
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    assert post.published_at is None
    response = client.post(
        "/admin/news/post/", {"action": "publish_selected", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    assert response.status_code in {200, 302}


def test_editor_does_not_see_publish_controls(client, editor):
    post = PostFactory(draft=True)
    client.force_login(editor)
    html = client.get(f"/admin/news/post/{post.pk}/change/").content.decode()
    assert 'name="_submit_review"' in html
    assert 'name="_publish"' not in html and 'name="published_at_0"' not in html
    changelist = client.get("/admin/news/post/").content.decode()
    assert "publish_selected" not in changelist


def test_chief_editor_publishes_and_schedules(client, chief_editor):
    category = CategoryFactory()
    post = PostFactory(
        category=category, status="review", published_at=None, first_published_at=None
    )
    client.force_login(chief_editor)
    response = client.post(
        f"/admin/news/post/{post.pk}/change/", post_form(category, _publish="1"), follow=True
    )
    post.refresh_from_db()
    assert post.is_live
    assert "Đã xuất bản" in response.content.decode()
    other = PostFactory(category=category, draft=True)
    future = timezone.localtime() + datetime.timedelta(days=3)
    client.post(
        f"/admin/news/post/{other.pk}/change/",
        post_form(
            category,
            title=other.title,
            published_at_0=future.strftime("%d/%m/%Y"),
            published_at_1=future.strftime("%H:%M"),
            _publish="1",
        ),
    )
    other.refresh_from_db()
    assert other.is_scheduled


def test_chief_editor_bulk_unpublishes(client, chief_editor):
    posts = [PostFactory(), PostFactory()]
    client.force_login(chief_editor)
    client.post(
        "/admin/news/post/",
        {"action": "unpublish_selected", "_selected_action": [p.pk for p in posts]},
    )
    assert not Post.objects.published().exists()


def test_changelist_columns_filters_and_history(client, editor):
    post = PostFactory(title="Bài có lịch sử", byline="Trần C")
    post.title = "Bài có lịch sử (sửa)"
    post.save()
    client.force_login(editor)
    html = client.get("/admin/news/post/").content.decode()
    for text in ["Bài có lịch sử (sửa)", "Trần C", "Đã xuất bản"]:
        assert text in html
    history = client.get(f"/admin/news/post/{post.pk}/history/").content.decode()
    assert "Bài có lịch sử (sửa)" in history


def test_members_and_outsiders_have_no_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/news/post/")
    assert response.status_code == 302


def test_rich_text_editor_speaks_vietnamese(client, editor):
    client.force_login(editor)
    html = client.get("/admin/news/post/add/").content.decode()
    assert "django_prose_editor/editor.js" in html and "/admin/jsi18n/" in html
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Insert Table"] == "Chèn bảng"
    assert catalogue["Insert Figure"] == "Chèn ảnh"


def test_admin_search_ignores_accents(client, editor):
    PostFactory(title="Đoàn viên hiến máu tình nguyện")
    PostFactory(title="Giải bóng đá")
    client.force_login(editor)
    html = client.get("/admin/news/post/?q=hien+mau").content.decode()
    assert "Đoàn viên hiến máu tình nguyện" in html and "Giải bóng đá" not in html


def test_admin_prefills_the_slug_the_vietnamese_way(client, editor):
    client.force_login(editor)
    html = client.get("/admin/news/post/add/").content.decode()
    assert "news/admin/slug.js" in html  # Django's URLify would turn "đ" into "dj"
    assert 'data-prepopulated-fields="[]"' in html
