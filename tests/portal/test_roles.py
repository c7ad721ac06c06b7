"""The role groups, their permissions, and the one module that answers who is what."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command

from portal import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrations_created_the_role_groups_with_their_permissions():
    for role, name in roles.GROUP_NAMES.items():
        group = Group.objects.get(name=name)
        codenames = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert codenames == set(roles.ROLE_PERMISSIONS[role])


def test_sync_is_rerunnable_and_repairs_the_groups():
    chief = Group.objects.get(name=roles.GROUP_NAMES[roles.CHIEF_EDITOR])
    chief.permissions.clear()
    roles.sync_role_groups()
    roles.sync_role_groups()
    assert Group.objects.filter(name__in=roles.GROUP_NAMES.values()).count() == len(
        roles.GROUP_NAMES
    )
    assert chief.permissions.filter(codename="change_sitesettings").exists()


def test_migrate_again_keeps_the_groups():
    call_command("migrate", verbosity=0)
    assert Group.objects.filter(name__in=roles.GROUP_NAMES.values()).count() == 4


@pytest.mark.parametrize(
    ("held", "editor", "chief", "officer", "member"),
    [
        ([], False, False, False, False),
        ([roles.EDITOR], True, False, False, False),
        ([roles.CHIEF_EDITOR], True, True, False, False),
        ([roles.OFFICER, roles.MEMBER], False, False, True, True),
        ([roles.MEMBER], False, False, False, True),
    ],
)
def test_role_questions(held, editor, chief, officer, member):
    user = UserFactory(roles=held)
    assert roles.is_editor(user) is editor
    assert roles.is_chief_editor(user) is chief
    assert roles.is_officer(user) is officer
    assert roles.is_member(user) is member


def test_anonymous_and_inactive_users_hold_no_role():
    assert roles.roles_of(AnonymousUser()) == []
    user = UserFactory(roles=[roles.EDITOR, roles.MEMBER], is_active=False)
    assert roles.roles_of(user) == []


def test_superuser_is_a_chief_editor():
    user = UserFactory(is_superuser=True, is_staff=True)
    assert roles.is_chief_editor(user) and roles.is_editor(user)


def test_role_answers_cost_one_query(django_assert_num_queries):
    user = UserFactory(roles=[roles.OFFICER, roles.MEMBER])
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        roles.roles_of(user)
        roles.is_officer(user)
        roles.is_member(user)
