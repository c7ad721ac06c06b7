"""Brute-force lock-out (django-axes), idle sign-out by role, server-side sign-out and the cookies'
flags: each attacked the way an intruder would."""

import logging
import time

import pytest
from django.test import override_settings

from portal.security import IDLE_LIMIT_KEY, LAST_SEEN_KEY, client_ip

LOGIN = "/tai-khoan/dang-nhap/"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_username_from_that_address(client, member, password, caplog):
    for _ in range(4):
        response = attempt(client, member.username, "sai-mat-khau")
        assert response.status_code == 200
        assert "không đúng" in response.content.decode()
    with caplog.at_level(logging.WARNING):
        response = attempt(client, member.username, "sai-mat-khau")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "30 phút" in html
    assert any(
        r.name == "portal.security" and "locked out" in r.getMessage() for r in caplog.records
    )
    # Even the right password is refused while the lock lasts.
    response = attempt(client, member.username, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_leaves_other_people_and_other_addresses_alone(client, member, officer, password):
    for _ in range(5):
        attempt(client, member.username, "sai-mat-khau")
    assert attempt(client, member.username, password).status_code == 429
    # Another person from the same address signs in.
    response = attempt(client, officer.username, password)
    assert response.status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    # The same person from another address signs in.
    response = attempt(client, member.username, password, address="10.0.0.2")
    assert response.status_code == 302


def test_the_lock_ends_after_thirty_minutes(client, member, password):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, member.username, "sai-mat-khau")
    assert attempt(client, member.username, password).status_code == 429
    # Thirty minutes later (the attempt's time moved back rather than the clock forward).
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    assert attempt(client, member.username, password).status_code == 302


def test_the_admin_sign_in_is_protected_too(client, editor):
    for _ in range(5):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": editor.username, "password": "sai-mat-khau"},
            REMOTE_ADDR="10.0.0.9",
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": editor.username, "password": "sai-mat-khau"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_is_the_client(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.1.1.1")
    assert client_ip(request) == "10.1.1.1"
    with override_settings(TRUSTED_PROXIES=0):
        assert client_ip(request) == "127.0.0.1"


@pytest.mark.parametrize(
    "persona, limit",
    [("officer_a", 30 * 60), ("editor", 30 * 60), ("member", 12 * 3600)],
)
def test_idle_limit_is_chosen_by_role_at_sign_in(client, request, password, persona, limit):
    person = request.getfixturevalue(persona)
    user = getattr(person, "user", person)
    response = attempt(client, user.username, password)
    assert response.status_code == 302
    assert client.session[IDLE_LIMIT_KEY] == limit
    assert client.session.get_expiry_age() == limit


def _idle(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_an_officer_idle_for_thirty_minutes_is_signed_out(client, officer_a, password):
    attempt(client, officer_a.username, password)
    _idle(client, 29 * 60)
    assert client.get("/can-bo/").status_code == 200
    _idle(client, 31 * 60)
    response = client.get("/can-bo/", follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN + "?next=")
    assert "Phiên làm việc đã kết thúc" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_member_stays_signed_in_for_hours_but_not_past_twelve(client, member, password):
    attempt(client, member.username, password)
    _idle(client, 11 * 3600)
    assert client.get("/tai-khoan/").status_code == 200
    _idle(client, 12 * 3600 + 60)
    assert client.get("/tai-khoan/").status_code == 302


def test_sign_out_kills_the_session_on_the_server(client, member, password):
    attempt(client, member.username, password)
    cookie = client.cookies["sessionid"].value
    client.post("/tai-khoan/dang-xuat/")
    # An attacker replays the old cookie.
    client.cookies["sessionid"] = cookie
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(client, member, password):
    with override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True):
        client.get(LOGIN)
        csrf = client.cookies["csrftoken"]
        response = attempt(client, member.username, password)
        session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_permissions_policy_is_sent(client, db):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"]
