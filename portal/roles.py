"""Who is what: the one place that answers "is this user an editor / a chief editor / an officer /
a member", and that keeps the role groups and their permissions.

Roles are Django groups, created with their model permissions by a data migration and kept in step
after every ``migrate`` (``sync_role_groups``). A user may hold several roles. Editors and chief
editors are groups; an officer is whoever holds an active officer assignment (``unions.scope``,
which also answers which branches they see) and a member is whoever is linked to an active member
record. The officer and member groups only carry model permissions.
"""

from django.apps import apps as global_apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

EDITOR = "editor"
CHIEF_EDITOR = "chief_editor"
OFFICER = "officer"
MEMBER = "member"

# Group names are what administrators see in the admin, so they are Vietnamese.
GROUP_NAMES = {
    EDITOR: "Biên tập viên",
    CHIEF_EDITOR: "Trưởng ban biên tập",
    OFFICER: "Cán bộ công đoàn",
    MEMBER: "Đoàn viên",
}

ROLE_LABELS = {
    EDITOR: _("Editor"),
    CHIEF_EDITOR: _("Chief editor"),
    OFFICER: _("Union officer"),
    MEMBER: _("Union member"),
}

# Model permissions of each role, as "app_label.codename". Permissions of models that do not
# exist yet are skipped, so each app adds its entries here when its models arrive.
_WRITE_NEWS = [
    "news.view_category",
    "news.view_post",
    "news.add_post",
    "news.change_post",
    "news.view_historicalpost",
    "news.view_postimage",
    "news.add_postimage",
    "news.change_postimage",
    "news.delete_postimage",
    "news.view_postattachment",
    "news.add_postattachment",
    "news.change_postattachment",
    "news.delete_postattachment",
]

ROLE_PERMISSIONS = {
    EDITOR: [
        "portal.view_sitesettings",
        *_WRITE_NEWS,
    ],
    CHIEF_EDITOR: [
        "portal.view_sitesettings",
        "portal.change_sitesettings",
        *_WRITE_NEWS,
        "news.publish_post",
        "news.delete_post",
        "news.change_historicalpost",
        "news.add_category",
        "news.change_category",
        "news.delete_category",
    ],
    OFFICER: [],
    MEMBER: [],
}

# Roles whose holders work in the Django admin and so need ``is_staff``.
STAFF_ROLES = {EDITOR, CHIEF_EDITOR}


def sync_role_groups(apps=global_apps):
    """Create the role groups and give each exactly its permissions. Safe to run again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def _group_names(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


def has_role(user, role):
    return GROUP_NAMES[role] in _group_names(user)


def is_chief_editor(user):
    return bool(getattr(user, "is_superuser", False) and user.is_active) or has_role(
        user, CHIEF_EDITOR
    )


def is_editor(user):
    """Editors and chief editors write news in the admin."""
    return is_chief_editor(user) or has_role(user, EDITOR)


def is_officer(user):
    """An active officer assignment makes an officer (scope comes from it, not from a flag)."""
    from unions.scope import is_officer as has_officer_scope

    return has_officer_scope(user)


def is_member(user):
    """A user linked to an active union member record."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_portal_is_member", None)
    if cached is None:
        from unions.models import Member

        cached = Member.objects.filter(user=user, status=Member.Status.ACTIVE).exists()
        user._portal_is_member = cached
    return cached


def roles_of(user):
    """The roles a user holds, in display order."""
    checks = [
        (CHIEF_EDITOR, is_chief_editor),
        (EDITOR, lambda u: has_role(u, EDITOR)),
        (OFFICER, is_officer),
        (MEMBER, is_member),
    ]
    return [role for role, check in checks if check(user)]


def _first_url(*names):
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def areas_for(user):
    """The working areas a user's roles open, as (label, url) pairs, for menus and landing.

    An area appears once its pages exist (the officers' and members' areas arrive with their
    issues); until then the account page stands in.
    """
    areas = []
    if is_officer(user) and (url := _first_url("unions:dashboard")):
        areas.append((_("Officers' area"), url))
    if user.is_staff and is_editor(user):
        areas.append((_("Administration"), reverse("admin:index")))
    if is_member(user) and (url := _first_url("members:home")):
        areas.append((_("Member area"), url))
    return areas


def landing_url(user):
    """Where a person lands after signing in: officers' area, admin, member area, else account."""
    areas = areas_for(user)
    return areas[0][1] if areas else reverse("accounts:profile")
