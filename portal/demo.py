"""Demo accounts and site settings, built on the seed article (see README, "Demo data").

Each app adds its own demo data in its own ``demo`` module as its issue lands; ``load_demo`` calls
them in order. Everything here is idempotent: running it again changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal import roles
from portal.models import SiteSettings

DEFAULT_PASSWORD = "congdoan2020"  # noqa: S105 - the demo password is public by design


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    roles: tuple
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("bientap", "Lan", "Nguyễn Thị", (roles.EDITOR,), "biên tập viên"),
    DemoAccount("truongban", "Hùng", "Trần Văn", (roles.CHIEF_EDITOR,), "trưởng ban biên tập"),
    DemoAccount("canbo", "Minh", "Lê Quang", (roles.OFFICER, roles.MEMBER), "cán bộ Công đoàn Bộ"),
    DemoAccount(
        "canbo_cs",
        "Hà",
        "Phạm Thu",
        (roles.OFFICER, roles.MEMBER),
        "cán bộ một công đoàn cơ sở",
    ),
    DemoAccount("doanvien", "Nam", "Đỗ Hoài", (roles.MEMBER,), "đoàn viên của công đoàn cơ sở đó"),
]


def load_site_settings():
    site = SiteSettings.get_solo()
    site.name = "Công đoàn Bộ Nội vụ"
    site.short_name = "CĐBNV"
    site.superior_name = "Công đoàn Viên chức Việt Nam"
    site.address = "Số 8 Tôn Thất Thuyết, quận Nam Từ Liêm, Hà Nội"
    site.phone = "024 3824 0000"
    site.email = "congdoan@example.gov.vn"
    site.office_hours = "Thứ Hai - Thứ Sáu, 8:00 - 17:00"
    site.save()
    return site


def load_accounts(password):
    """Create or update the demo accounts, each with exactly its roles and the given password."""
    roles.sync_role_groups()
    User = get_user_model()
    groups = {role: Group.objects.get(name=name) for role, name in roles.GROUP_NAMES.items()}
    users = []
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=account.username)
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.email = f"{account.username}@example.gov.vn"
        user.is_active = True
        user.is_staff = bool(roles.STAFF_ROLES & set(account.roles))
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        user.groups.set([groups[role] for role in account.roles])
        users.append((account, user))
    return users
