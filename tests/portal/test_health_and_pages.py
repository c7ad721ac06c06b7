"""The health check, robots.txt, the home page and the error pages, in Vietnamese, in the layout."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_when_the_database_answers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_robots_txt_keeps_private_areas_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    for area in ("/admin/", "/tai-khoan/", "/doan-vien/", "/can-bo/"):
        assert f"Disallow: {area}" in body


def test_home_page_shows_the_union_from_site_settings(
    client, settings, django_assert_max_num_queries
):
    from portal.models import SiteSettings

    settings.PAGE_CACHE_SECONDS = 0  # the page's own queries, not a cached page

    site = SiteSettings.get_solo()
    site.name = "Công đoàn Bộ Thử nghiệm"
    site.address = "Số 1 Phố Thử, Hà Nội"
    site.phone = "024 0000 1111"
    site.email = "lienhe@example.gov.vn"
    site.save()
    client.get("/")  # the first request fills the small caches (site settings, counts)
    with django_assert_max_num_queries(3):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Công đoàn Bộ Thử nghiệm" in html
    assert "Số 1 Phố Thử, Hà Nội" in html
    assert "024 0000 1111" in html
    assert "lienhe@example.gov.vn" in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert "Đăng nhập" in html
    assert "lorem" not in html.lower()


def test_pages_use_vendored_bootstrap_not_a_cdn(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in html
    assert "cdn" not in html.lower()


def test_404_page_is_vietnamese_in_the_layout(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "Về trang chủ" in html
    assert "site-header" in html


@pytest.mark.urls("tests.portal.error_urls")
def test_403_page_is_vietnamese_in_the_layout(client):
    response = client.get("/cam/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Không có quyền truy cập" in html
    assert "site-header" in html


@pytest.mark.urls("tests.portal.error_urls")
def test_500_page_is_vietnamese_in_the_layout(client):
    client.raise_request_exception = False
    response = client.get("/loi/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Đã có lỗi xảy ra" in html
    assert "site-header" in html


@pytest.mark.urls("tests.portal.error_urls")
def test_500_page_falls_back_to_plain_html_when_the_layout_fails(client):
    client.raise_request_exception = False
    with mock.patch(
        "portal.context_processors.SiteSettings.get_solo", side_effect=OperationalError
    ):
        response = client.get("/loi/")
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


def test_csrf_failure_page_is_vietnamese():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
