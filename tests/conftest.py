"""Personas shared by every test: who is asking decides what they may see."""

import pytest
from django.core.cache import cache

from portal import roles
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    BranchFactory,
    MemberFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so none passes only because an earlier one warmed
    it (query counts) or fails because an earlier one left something behind."""
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tree(db):
    """The union tree every scope test uses: a root, two sibling grassroots unions A and B, and a
    group under A: ``tree.root``, ``tree.a``, ``tree.a_group``, ``tree.b``."""

    class Tree:
        root = BranchFactory(code="CDBNV", name="Công đoàn Bộ Nội vụ", level="ministry")
        a = BranchFactory(code="CDCS-A", name="Công đoàn Văn phòng Bộ", parent=root)
        a_group = BranchFactory(
            code="CDCS-A-T1", name="Tổ công đoàn Hành chính", level="group", parent=a
        )
        b = BranchFactory(code="CDCS-B", name="Công đoàn Vụ Tổ chức cán bộ", parent=root)

    return Tree


def _officer_of(branch, username):
    user = UserFactory(username=username, roles=[roles.OFFICER, roles.MEMBER])
    AssignmentFactory(member=MemberFactory(branch=branch, user=user), branch=branch)
    return user


@pytest.fixture
def member(tree):
    """A member of A's group, with an account."""
    user = UserFactory(
        username="doanvien_test", first_name="Bình", last_name="Trần Thị", roles=[roles.MEMBER]
    )
    MemberFactory(user=user, branch=tree.a_group, full_name="Trần Thị Bình", gender="female")
    return user


@pytest.fixture
def officer_a(tree):
    return _officer_of(tree.a, "canbo_a_test")


@pytest.fixture
def officer_b(tree):
    return _officer_of(tree.b, "canbo_b_test")


@pytest.fixture
def ministry_officer(tree):
    return _officer_of(tree.root, "canbo_bo_test")


@pytest.fixture
def editor(db):
    return UserFactory(username="bientap_test", roles=[roles.EDITOR])


@pytest.fixture
def chief_editor(db):
    return UserFactory(username="truongban_test", roles=[roles.CHIEF_EDITOR])


@pytest.fixture
def officer(tree):
    """An officer of grassroots union A (the generic officer persona)."""
    return _officer_of(tree.a, "canbo_test")


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
