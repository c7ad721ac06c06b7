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
    ("held", "editor", "chief"),
    [
        ([], False, False),
        ([roles.EDITOR], True, False),
        ([roles.CHIEF_EDITOR], True, True),
    ],
)
def test_editor_roles_come_from_groups(held, editor, chief):
    user = UserFactory(roles=held)
    assert roles.is_editor(user) is editor
    assert roles.is_chief_editor(user) is chief
    assert not roles.is_officer(user) and not roles.is_member(user)


def test_officer_and_member_roles_come_from_union_records(officer_a, member, outsider):
    assert roles.is_officer(officer_a) and roles.is_member(officer_a)
    assert roles.is_member(member) and not roles.is_officer(member)
    assert not roles.is_member(outsider) and not roles.is_officer(outsider)
    # The group alone makes nobody an officer: scope comes from an assignment.
    grouped = UserFactory(roles=[roles.OFFICER, roles.MEMBER])
    assert not roles.is_officer(grouped) and not roles.is_member(grouped)


def test_a_member_who_left_is_no_longer_a_member(member):
    record = member.member
    record.status = "left"
    record.save()
    fresh = type(member).objects.get(pk=member.pk)
    assert not roles.is_member(fresh)


def test_anonymous_and_inactive_users_hold_no_role(officer_a):
    assert roles.roles_of(AnonymousUser()) == []
    officer_a.is_active = False
    officer_a.save()
    officer_a = type(officer_a).objects.get(pk=officer_a.pk)
    assert roles.roles_of(officer_a) == []


def test_superuser_is_a_chief_editor():
    user = UserFactory(is_superuser=True, is_staff=True)
    assert roles.is_chief_editor(user) and roles.is_editor(user)


def test_role_answers_are_cached_per_request(officer_a, django_assert_num_queries):
    user = type(officer_a).objects.get(pk=officer_a.pk)
    with django_assert_num_queries(3):  # groups, assignments, member record
        roles.roles_of(user)
        roles.is_officer(user)
        roles.is_member(user)
        roles.roles_of(user)
