"""load_demo: idempotent demo accounts with their roles, and refused with DEBUG off."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal import roles
from portal.models import SiteSettings

pytestmark = pytest.mark.django_db

EXPECTED = {
    "bientap": {roles.EDITOR},
    "truongban": {roles.CHIEF_EDITOR},
    "canbo": {roles.OFFICER, roles.MEMBER},
    "canbo_cs": {roles.OFFICER, roles.MEMBER},
    "doanvien": {roles.MEMBER},
}


def load(**options):
    call_command("load_demo", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_load_demo_creates_the_accounts_with_their_roles(settings):
    settings.DEBUG = True
    load(password="mat-khau-demo-123")
    User = get_user_model()
    for username, expected in EXPECTED.items():
        user = User.objects.get(username=username)
        assert set(roles.roles_of(user)) == expected
        assert user.check_password("mat-khau-demo-123")
        assert user.is_staff == bool(expected & roles.STAFF_ROLES)
    assert SiteSettings.get_solo().name == "Công đoàn Bộ Nội vụ"


def test_load_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    load(password="mat-khau-demo-123")
    User = get_user_model()
    before = sorted(User.objects.values_list("username", "password", "is_staff"))
    load(password="mat-khau-demo-123")
    assert sorted(User.objects.values_list("username", "password", "is_staff")) == before


def test_load_demo_refuses_default_password_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--password"):
        load()
    assert not get_user_model().objects.filter(username="bientap").exists()


def test_load_demo_with_debug_off_and_a_password_works(settings):
    settings.DEBUG = False
    load(password="mot-mat-khau-rieng-2026")
    assert get_user_model().objects.get(username="canbo").check_password("mot-mat-khau-rieng-2026")


def test_load_demo_prints_the_accounts(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in EXPECTED:
        assert username in out
    assert "congdoan2020" in out
