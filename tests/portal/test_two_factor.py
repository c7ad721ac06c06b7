"""Two-step sign-in: required of officers, editors and staff when OTP_REQUIRED is on; set up with
a QR code; recovery codes work once; members are never asked."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/tai-khoan/dang-nhap/"
SETUP = "/tai-khoan/xac-thuc/thiet-lap/"
VERIFY = "/tai-khoan/xac-thuc/"

pytestmark = pytest.mark.usefixtures("otp_on")


@pytest.fixture
def otp_on():
    # No waiting between attempts here; the throttle has its own test.
    with override_settings(OTP_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0):
        yield


def sign_in(client, user, password):
    response = client.post(LOGIN, {"username": user.username, "password": password})
    assert response.status_code == 302
    return response


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_officer_is_sent_to_set_up_and_cannot_open_anything_first(client, officer_a, password):
    sign_in(client, officer_a, password)
    for address in ("/can-bo/", "/can-bo/doan-vien/", "/tai-khoan/"):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=")
    html = client.get(SETUP).content.decode()
    assert "Thiết lập xác thực hai bước" in html
    assert "<svg" in html and 'role="img"' in html  # the QR code, drawn on the server


def test_setting_up_with_the_right_code_opens_the_pages_and_gives_recovery_codes(
    client, officer_a, password
):
    sign_in(client, officer_a, password)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer_a)
    assert not device.confirmed
    response = client.post(SETUP, {"code": "000000", "next": "/can-bo/"})
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    response = client.post(SETUP, {"code": code_for(device), "next": "/can-bo/"})
    html = response.content.decode()
    assert "Mã khôi phục" in html
    tokens = StaticToken.objects.filter(device__user=officer_a)
    assert tokens.count() == 10
    assert all(token.token in html for token in tokens)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/can-bo/").status_code == 200


def _confirmed_device(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device


def test_a_set_up_officer_confirms_each_sign_in(client, officer_a, password):
    device = _confirmed_device(officer_a)
    sign_in(client, officer_a, password)
    response = client.get("/can-bo/")
    assert response["Location"].startswith(VERIFY + "?next=")
    response = client.post(VERIFY, {"code": "123", "next": "/can-bo/"})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    response = client.post(VERIFY, {"code": code_for(device), "next": "/can-bo/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200


def test_a_recovery_code_works_once(client, officer_a, password):
    _confirmed_device(officer_a)
    sign_in(client, officer_a, password)
    client.get(VERIFY)
    from portal.two_factor import _new_recovery_codes

    code = _new_recovery_codes(officer_a)[0]
    response = client.post(VERIFY, {"code": code, "next": "/can-bo/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/can-bo/"
    assert "còn lại 9" in response.content.decode()
    client.post("/tai-khoan/dang-xuat/")
    sign_in(client, officer_a, password)
    response = client.post(VERIFY, {"code": code, "next": "/can-bo/"})
    assert response.status_code == 200  # refused: used already
    assert client.get("/can-bo/").status_code == 302


def test_the_admin_asks_editors_for_the_code(client, editor, password):
    sign_in(client, editor, password)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_members_are_never_asked(client, member, password):
    sign_in(client, member, password)
    assert client.get("/doan-vien/").status_code == 200
    assert client.get("/tai-khoan/").status_code == 200


def test_a_bad_next_is_ignored(client, officer_a, password):
    device = _confirmed_device(officer_a)
    sign_in(client, officer_a, password)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/tai-khoan/chuyen-huong/"


def test_new_recovery_codes_replace_the_old_ones(client, officer_a, password):
    device = _confirmed_device(officer_a)
    from portal.two_factor import _new_recovery_codes

    old = _new_recovery_codes(officer_a)
    sign_in(client, officer_a, password)
    client.post(VERIFY, {"code": code_for(device)})
    html = client.post("/tai-khoan/xac-thuc/ma-du-phong/").content.decode()
    assert not any(code in html for code in old)
    assert StaticToken.objects.filter(device__user=officer_a, token__in=old).count() == 0


def test_off_when_the_setting_says_so(client, officer_a, password):
    with override_settings(OTP_REQUIRED=False):
        sign_in(client, officer_a, password)
        assert client.get("/can-bo/").status_code == 200


def test_wrong_codes_in_a_row_are_slowed_down(client, officer_a, password):
    device = _confirmed_device(officer_a)
    sign_in(client, officer_a, password)
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=60):
        client.post(VERIFY, {"code": "000000"})
        response = client.post(VERIFY, {"code": code_for(device)})
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()
    assert client.get("/can-bo/").status_code == 302
