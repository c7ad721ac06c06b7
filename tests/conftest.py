"""Personas shared by every test: who is asking decides what they may see."""

import pytest

from portal import roles
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return UserFactory(
        username="doanvien_test", first_name="Bình", last_name="Trần Thị", roles=[roles.MEMBER]
    )


@pytest.fixture
def editor(db):
    return UserFactory(username="bientap_test", roles=[roles.EDITOR])


@pytest.fixture
def chief_editor(db):
    return UserFactory(username="truongban_test", roles=[roles.CHIEF_EDITOR])


@pytest.fixture
def officer(db):
    return UserFactory(username="canbo_test", roles=[roles.OFFICER, roles.MEMBER])


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role."""
    return UserFactory(username="nguoingoai_test")


@pytest.fixture
def client_for(client):
    """``client_for(user)`` is a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads of a test go to its own folder, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private_media", "base_url": None},
        },
    }
