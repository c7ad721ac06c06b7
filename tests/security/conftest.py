"""Shared ground of the security tests: every persona with a client of its own, and helpers that
read any response (HTML, CSV, XLSX, a streamed file) as text.

Personas follow the roles table of DESIGN.md. The owning side of the objects under test is
grassroots union A (``tree.a`` and its group); B is its sibling. ``member`` is a member of A's
group (the owner of their requests), ``other_member`` another member of the same group.
``admin_officer_a``/``admin_officer_b`` are officers of A/B who were also given the Django admin
(``is_staff`` with view, add and change permissions on the unions and welfare models): the admin
must then scope them exactly like the officers' pages (``unions.admin.ScopedAdminMixin``).
"""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from portal import roles
from tests.factories import AssignmentFactory, MemberFactory, UserFactory

CORE_PERSONAS = (
    "anonymous",
    "member",
    "other_member",
    "officer_a",
    "officer_b",
    "ministry",
    "editor",
)
PERSONAS = (
    *CORE_PERSONAS,
    "chief_editor",
    "outsider",
    "admin_officer_a",
    "admin_officer_b",
    "superuser",
)
ADMIN_MODEL_APPS = ("unions", "welfare")


def _staff_officer(branch, username):
    user = UserFactory(username=username, roles=[roles.OFFICER, roles.MEMBER])
    AssignmentFactory(member=MemberFactory(branch=branch, user=user), branch=branch)
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=ADMIN_MODEL_APPS,
            codename__regex=r"^(view|add|change)_",
        )
    )
    return user


@pytest.fixture(autouse=True)
def fresh_cache():
    """These tests store hostile site settings, categories and pages: whatever the cache kept
    of them (django-solo's settings, the navigation, cached pages) must not outlive the test's
    rolled-back transaction, nor anything cached before leak into it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_member(tree):
    """Another member of A's group, with an account: never sees the first member's things."""
    user = UserFactory(username="dongnghiep_test", roles=[roles.MEMBER])
    MemberFactory(user=user, branch=tree.a_group, full_name="Lê Văn Đồng Nghiệp")
    return user


@pytest.fixture
def member_b(tree):
    """A member of B with an account: the owner of B-side member objects (no persona of its own)."""
    user = UserFactory(username="doanvien_b_test", roles=[roles.MEMBER])
    MemberFactory(user=user, branch=tree.b, full_name="Vũ Thị Bên Kia")
    return user


@pytest.fixture
def users(
    tree,
    member,
    other_member,
    member_b,
    officer_a,
    officer_b,
    ministry_officer,
    editor,
    chief_editor,
    outsider,
    django_user_model,
):
    """Every persona's user (``None`` for anonymous)."""
    return {
        "anonymous": None,
        "member": member,
        "other_member": other_member,
        "member_b": member_b,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "ministry": ministry_officer,
        "editor": editor,
        "chief_editor": chief_editor,
        "outsider": outsider,
        "admin_officer_a": _staff_officer(tree.a, "canbo_admin_a_test"),
        "admin_officer_b": _staff_officer(tree.b, "canbo_admin_b_test"),
        "superuser": django_user_model.objects.create_superuser(
            "quantri_test", "quantri@example.gov.vn", "mat-khau-quan-tri-2020"
        ),
    }


@pytest.fixture
def clients(users):
    """One signed-in test client per persona, kept for the whole test (sessions matter: an
    import waits in its officer's session). All sign in first: signing in changes a user's
    ``last_login``, which would spoil a password-reset token made earlier."""
    signed_in = {}
    for persona in PERSONAS:
        client = Client()
        if users[persona] is not None:
            client.force_login(users[persona])
        signed_in[persona] = client
    return signed_in


# --- Reading responses ------------------------------------------------------------------------


def content_of(response):
    """The whole body as bytes, streamed or not."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
        response._security_body = data
        return data
    return getattr(response, "_security_body", None) or response.content


def xlsx_text(data):
    """Every cell of every sheet of a workbook, as text lines (values as written, formulas as
    their text)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            lines.append("\t".join("" if c.value is None else str(c.value) for c in row))
    return "\n".join(lines)


def text_of(response):
    """What a person could read in the response: HTML/CSV/JSON as text, a workbook's cells."""
    data = content_of(response)
    if data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data)):
        try:
            return xlsx_text(data)
        except Exception:  # a DOCX or another zip: its XML is searched as text
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                )
    return data.decode("utf-8", "replace")


LOGIN_PATHS = ("accounts:login", "admin:login")


def login_paths():
    return tuple(reverse(name) for name in LOGIN_PATHS)


def is_login_redirect(response):
    location = response.get("Location", "")
    return response.status_code == 302 and location.split("?")[0].startswith(login_paths())
