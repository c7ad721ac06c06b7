"""Passwords: Argon2 in production, at least 10 characters, not a common one; Vietnamese errors."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from portal import settings as production


def test_production_hashes_passwords_with_argon2(member):
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        member.set_password("mot-mat-khau-dai-va-la")
        member.save()
        assert member.password.startswith("argon2$")
        assert identify_hasher(member.password).algorithm == "argon2"
        assert member.check_password("mot-mat-khau-dai-va-la")


@pytest.mark.parametrize(
    "new, message",
    [
        ("Ab1-xyz", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("1234567890123", "Mật khẩu này hoàn toàn là số."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client_for, member, password, new, message):
    response = client_for(member).post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(password)
