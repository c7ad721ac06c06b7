"""The member list's filter fields are kept in the cache: what they show must still follow every
change at once, and never cross from one officer's scope or language to another's."""

import html
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.factories import BranchFactory
from unions.models import Branch

pytestmark = pytest.mark.django_db
LIST = "/can-bo/doan-vien/"


def branch_options(client, query=""):
    """The labels of the branch filter's options, as the officer sees them."""
    page = client.get(f"{LIST}?{query}").content.decode()
    select = re.search(r'<select name="branch".*?</select>', page, re.S).group(0)
    return {html.unescape(label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)}


def test_a_new_renamed_moved_or_removed_branch_shows_on_the_next_request(client, officer_a, tree):
    client.force_login(officer_a)
    assert branch_options(client) == {
        "---------",
        "CDCS-A – Công đoàn Văn phòng Bộ",
        "CDCS-A-T1 – Tổ công đoàn Hành chính",
    }
    new = BranchFactory(code="CDCS-A-T2", name="Tổ công đoàn Tài vụ", level="group", parent=tree.a)
    assert "CDCS-A-T2 – Tổ công đoàn Tài vụ" in branch_options(client)

    new.name = "Tổ công đoàn Kế toán"
    new.save()
    options = branch_options(client)
    assert "CDCS-A-T2 – Tổ công đoàn Kế toán" in options
    assert "CDCS-A-T2 – Tổ công đoàn Tài vụ" not in options

    # As the import writes branches: in bulk, with their change time.
    renamed = {"name": "Tổ công đoàn Quản trị", "updated_at": timezone.now()}
    Branch.objects.filter(pk=new.pk).update(**renamed)
    assert "CDCS-A-T2 – Tổ công đoàn Quản trị" in branch_options(client)
    new.refresh_from_db()

    new.parent = tree.b
    new.save()
    assert not any(label.startswith("CDCS-A-T2") for label in branch_options(client))

    new.parent = tree.a
    new.save()
    assert "CDCS-A-T2 – Tổ công đoàn Quản trị" in branch_options(client)
    new.delete()
    assert not any(label.startswith("CDCS-A-T2") for label in branch_options(client))


def test_the_filter_fields_are_never_shared_between_scopes(
    client, ministry_officer, officer_a, officer_b, tree
):
    client.force_login(ministry_officer)
    assert "CDCS-B – Công đoàn Vụ Tổ chức cán bộ" in branch_options(client)
    client.force_login(officer_a)
    assert not any(label.startswith("CDCS-B") for label in branch_options(client))
    # Two scopes of as many branches, all written at the same time (as by an import).
    BranchFactory(code="CDCS-B-T1", name="Tổ công đoàn Tổ chức", level="group", parent=tree.b)
    Branch.objects.update(updated_at=timezone.now())
    client.force_login(officer_a)
    assert branch_options(client) == {
        "---------",
        "CDCS-A – Công đoàn Văn phòng Bộ",
        "CDCS-A-T1 – Tổ công đoàn Hành chính",
    }
    client.force_login(officer_b)
    assert branch_options(client) == {
        "---------",
        "CDCS-B – Công đoàn Vụ Tổ chức cán bộ",
        "CDCS-B-T1 – Tổ công đoàn Tổ chức",
    }
    # The same filters asked by two scopes: each sees only their own branches.
    query = "q=nguyen&status=active"
    assert "CDCS-B – Công đoàn Vụ Tổ chức cán bộ" in branch_options(client, query)
    client.force_login(officer_a)
    assert not any(label.startswith("CDCS-B") for label in branch_options(client, query))


def test_the_filter_fields_show_the_values_and_errors_asked_for(client, officer_a, tree):
    client.force_login(officer_a)

    def page(query):
        return html.unescape(client.get(f"{LIST}?{query}").content.decode())

    assert 'value="Lan"' in page("q=Lan")
    shown = page("q=Hùng")
    assert 'value="Hùng"' in shown and 'value="Lan"' not in shown
    assert 'name="q"' in page("") and 'value="Hùng"' not in page("")
    selected = page(f"branch={tree.a_group.pk}")
    assert re.search(rf'<option value="{tree.a_group.pk}" selected>', selected)
    assert not re.search(r"<option value=\"\d+\" selected>", page(""))
    with translation.override("vi"):
        error = translation.gettext(
            "Ensure this value is greater than or equal to %(limit_value)s."
        )
    error = error % {"limit_value": 0}
    assert error in page("age_min=-4")
    assert error not in page("age_min=4")


def test_the_filter_fields_follow_the_language(client, officer_a):
    client.force_login(officer_a)
    with translation.override("vi"):
        vietnamese = translation.gettext("Name or card number")
    assert vietnamese != "Name or card number"
    assert vietnamese in client.get(LIST).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LIST).content.decode()
    assert "Name or card number" in english and vietnamese not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert vietnamese in client.get(LIST).content.decode()


def test_each_row_links_to_the_members_page(client, officer_a, tree):
    from tests.factories import MemberFactory

    member = MemberFactory(branch=tree.a_group, full_name="Ngô Thị Thu")
    client.force_login(officer_a)
    page = client.get(LIST).content.decode()
    assert f'<a href="{member.get_absolute_url()}">Ngô Thị Thu</a>' in page
    assert client.get(member.get_absolute_url()).status_code == 200
