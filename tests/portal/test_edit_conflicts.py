"""Two officers open the same record; the second to save is told, in Vietnamese, and overwrites
nothing; after checking, a deliberate second save goes through."""

import datetime

import pytest

from tests.factories import CampaignFactory, MemberFactory, ProgramFactory


def _form_data(response):
    """The fields of the form as the browser would send them back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = value
    return data


def _children_management():
    return {
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("persona", ["officer_a"])
def test_the_later_of_two_member_edits_is_refused_with_a_message(
    client, django_user_model, request, tree, persona
):
    from django.test import Client

    officer = request.getfixturevalue(persona)
    member = MemberFactory(branch=tree.a, full_name="Đỗ Văn Cũ", job_title="Chuyên viên")
    url = f"/can-bo/doan-vien/{member.pk}/sua/"
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(officer)
    form_one = _form_data(first.get(url))
    form_two = _form_data(second.get(url))

    form_one["job_title"] = "Trưởng phòng"
    response = first.post(url, {**form_one, **_children_management()})
    assert response.status_code == 302

    form_two["job_title"] = "Phó phòng"
    response = second.post(url, {**form_two, **_children_management()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "sau khi bạn mở biểu mẫu" in html
    assert "chưa được lưu" in html
    member.refresh_from_db()
    assert member.job_title == "Trưởng phòng"

    # The page now carries the saved version: saving again on purpose goes through.
    again = _form_data(response)
    assert again["job_title"] == "Phó phòng"
    response = second.post(url, {**again, **_children_management()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.job_title == "Phó phòng"


def test_campaign_and_programme_edits_are_checked_too(officer_a, tree):
    from django.test import Client

    campaign = CampaignFactory(branch=tree.a)
    program = ProgramFactory(branch=tree.a)
    for url, field in (
        (f"/can-bo/quyen-gop/{campaign.pk}/sua/", "name"),
        (f"/can-bo/ho-tro/{program.pk}/sua/", "name"),
    ):
        first, second = Client(), Client()
        first.force_login(officer_a)
        second.force_login(officer_a)
        one = _form_data(first.get(url))
        two = _form_data(second.get(url))
        one[field] = "Tên mới thứ nhất"
        assert first.post(url, one).status_code == 302
        two[field] = "Tên mới thứ hai"
        response = second.post(url, two)
        assert response.status_code == 200, url
        assert "chưa được lưu" in response.content.decode()
