"""Sign in, sign out, password change and reset, landing by role: all in Vietnamese."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


def sign_in(client, user, password, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password, **extra})


def test_sign_in_page_is_vietnamese_with_a_crispy_form(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert 'class="textinput form-control"' in html  # rendered by crispy-bootstrap5
    assert "Quên mật khẩu?" in html


def test_wrong_password_is_refused_in_vietnamese(client, member):
    response = sign_in(client, member, "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("editor", "/admin/"),
        ("chief_editor", "/admin/"),
        ("officer", "/can-bo/"),
        ("member", "/doan-vien/"),
        ("outsider", "/tai-khoan/"),
    ],
)
def test_sign_in_lands_where_the_roles_point(client, request, password, persona, landing):
    user = request.getfixturevalue(persona)
    response = sign_in(client, user, password)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_sign_in_honours_a_safe_next_and_ignores_an_outside_one(client, member, password):
    response = sign_in(client, member, password, next="/tai-khoan/doi-mat-khau/")
    assert response["Location"] == "/tai-khoan/doi-mat-khau/"
    client.logout()
    response = sign_in(client, member, password, next="https://example.com/")
    assert response["Location"] == "/tai-khoan/chuyen-huong/"


def test_sign_in_gives_a_new_session_key(client, member, password):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, member, password)
    assert client.session.session_key != before


def test_account_page_shows_the_person_and_roles(client_for, officer):
    response = client_for(officer).get("/tai-khoan/")
    html = response.content.decode()
    assert "canbo_test" in html
    assert "Nguyễn Văn An" in html  # Vietnamese name order: family, middle, given
    assert "Cán bộ công đoàn" in html and "Đoàn viên" in html
    assert "Đăng xuất" in html


def test_account_page_needs_sign_in(client):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def test_sign_out_is_post_only_and_ends_the_session(client_for, member):
    client = client_for(member)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    response = client.post("/tai-khoan/dang-xuat/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert client.get("/tai-khoan/").status_code == 302


def test_menu_shows_the_areas_the_roles_open(client_for, editor, member):
    html = client_for(editor).get("/").content.decode()
    assert 'href="/admin/"' in html and "Trang quản trị" in html
    client = client_for(member)
    html = client.get("/").content.decode()
    assert 'href="/admin/"' not in html
    assert "Tài khoản của tôi" in html


def test_password_change(client_for, member, password):
    client = client_for(member)
    new = "mot-mat-khau-moi-2024"
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": password, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(new)


def test_password_change_rejects_a_short_password_in_vietnamese(client_for, member, password):
    response = client_for(member).post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": password, "new_password1": "ngan12", "new_password2": "ngan12"},
    )
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in response.content.decode()


def test_password_reset_sends_a_vietnamese_email_whose_link_works(client, member):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": member.email}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Công đoàn Bộ Nội vụ" in message.subject
    assert "Kính gửi Trần Thị Bình" in message.body
    assert "hết hạn sau 24 giờ" in message.body
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in response.content.decode()
    new = "mat-khau-sau-khi-quen-99"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Đã đặt mật khẩu mới" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(
        "/tai-khoan/quen-mat-khau/", {"email": "khongco@example.gov.vn"}, follow=True
    )
    assert "Kiểm tra hộp thư" in response.content.decode()
    assert mail.outbox == []
