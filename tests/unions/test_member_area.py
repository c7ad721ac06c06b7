"""The member's own area: their record, their children, their contact details; nobody else's."""

import datetime

import pytest
from django.contrib.messages import constants as message_levels
from django.utils import timezone

from tests.factories import MemberFactory, UserFactory
from unions.models import Dependant, Member

pytestmark = pytest.mark.django_db

HOME = "/doan-vien/"
CONTACT = "/doan-vien/lien-he/"


@pytest.fixture
def record(member):
    """The ``member`` persona's record, filled in, with two children."""
    record = member.member
    record.national_id = "001085012345"
    record.job_title = "Chuyên viên chính"
    record.work_unit = "Vụ Tổ chức cán bộ"
    record.policy_group = Member.PolicyGroup.CHILD_OF_MARTYR
    record.hardship = True
    record.save()
    Dependant.objects.create(
        member=record,
        full_name="Lê Minh Khôi",
        date_of_birth=datetime.date(2012, 9, 5),
        gender="male",
    )
    Dependant.objects.create(
        member=record,
        full_name="Lê Thu Hà",
        date_of_birth=datetime.date(2016, 2, 29),
        gender="female",
    )
    return record


@pytest.fixture
def neighbour(tree):
    """Another member of the same group, with an account of their own."""
    user = UserFactory(username="hangxom_test")
    other = MemberFactory(
        user=user, branch=tree.a_group, full_name="Phạm Văn Hàng Xóm", national_id="079090099887"
    )
    other.phone = "0987 654 321"
    other.save()
    Dependant.objects.create(
        member=other,
        full_name="Phạm Bé Bống",
        date_of_birth=datetime.date(2015, 1, 1),
        gender="female",
    )
    return other


def messages_of(response):
    return [(m.level, str(m)) for m in response.context["messages"]]


# The member's own page ---------------------------------------------------------------------


def test_member_sees_their_whole_record_and_children(client_for, member, record, tree):
    response = client_for(member).get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert record.card_number in html
    assert "Trần Thị Bình" in html
    assert "001085012345" in html  # the national ID in full, to the member themselves
    assert "17/05/1985" in html and "01/03/2010" in html  # dd/mm/yyyy
    assert "Chuyên viên chính" in html and "Vụ Tổ chức cán bộ" in html
    for branch in (tree.root, tree.a, tree.a_group):  # the branch and its parents
        assert branch.name in html
    assert record.get_category_display() in html
    assert record.get_policy_group_display() in html
    assert record.get_status_display() in html
    assert record.phone in html and record.email in html
    assert "Lê Minh Khôi" in html and "05/09/2012" in html
    assert "Lê Thu Hà" in html and "29/02/2016" in html
    ages = [age for _child, age in response.context["dependants"]]
    today = timezone.localdate()
    assert ages == [
        Dependant.objects.get(full_name="Lê Minh Khôi").age_on(today),
        Dependant.objects.get(full_name="Lê Thu Hà").age_on(today),
    ]
    assert 'href="/doan-vien/lien-he/"' in html
    assert 'href="/tai-khoan/doi-mat-khau/"' in html


def test_another_members_data_never_appears(client_for, member, record, neighbour):
    html = client_for(member).get(HOME).content.decode()
    assert neighbour.full_name not in html
    assert neighbour.card_number not in html
    assert "079090099887" not in html
    assert "0987 654 321" not in html
    assert "Phạm Bé Bống" not in html


def test_neighbour_sees_only_their_own(client_for, member, record, neighbour):
    html = client_for(neighbour.user).get(HOME).content.decode()
    assert "079090099887" in html and "Phạm Bé Bống" in html
    assert "001085012345" not in html and "Lê Minh Khôi" not in html
    assert "Trần Thị Bình" not in html


def test_member_home_query_count(client_for, member, record, django_assert_max_num_queries):
    client = client_for(member)
    client.get(HOME)  # the first request fills the small caches (site settings)
    with django_assert_max_num_queries(12):
        assert client.get(HOME).status_code == 200


def test_members_land_in_their_area_after_sign_in(client, member, record, password):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": member.username, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == HOME
    assert response.status_code == 200


@pytest.mark.parametrize("url", [HOME, CONTACT])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/dang-nhap/?next={url}"


@pytest.mark.parametrize("url", [HOME, CONTACT])
def test_user_without_a_member_record_gets_404(client_for, outsider, editor, url):
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(editor).get(url).status_code == 404


@pytest.mark.parametrize("status", ["left", "retired", "transferred", "deceased"])
def test_user_of_a_member_no_longer_active_gets_404(client_for, member, status):
    Member.objects.filter(user=member).update(status=status)
    assert client_for(member).get(HOME).status_code == 404
    assert client_for(member).get(CONTACT).status_code == 404


def test_officer_who_is_a_member_sees_their_own_record(client_for, officer_a):
    response = client_for(officer_a).get(HOME)
    assert response.status_code == 200
    assert response.context["member"] == officer_a.member


# Contact details -------------------------------------------------------------------------------


def test_contact_form_shows_phone_and_email_only(client_for, member, record):
    response = client_for(member).get(CONTACT)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["phone", "email"]
    html = response.content.decode()
    assert 'name="phone"' in html and 'name="email"' in html
    assert 'name="full_name"' not in html
    assert 'class="textinput form-control"' in html  # crispy-bootstrap5


def test_member_updates_phone_and_email_and_nothing_else(client_for, member, record, tree):
    before = Member.objects.get(pk=record.pk)
    response = client_for(member).post(
        CONTACT,
        {
            "phone": "+84 912 000 111",
            "email": "  Binh.Tran@Example.GOV.vn ",
            # A crafted POST: none of these may change.
            "full_name": "Kẻ Mạo Danh",
            "branch": tree.b.pk,
            "hardship": "",
            "national_id": "999999999",
            "status": "retired",
            "card_number": "HACKED",
            "policy_group": "",
            "user": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(HOME, 302)]
    assert [level for level, _text in messages_of(response)] == [message_levels.SUCCESS]
    after = Member.objects.get(pk=record.pk)
    assert after.phone == "+84 912 000 111"
    assert after.email == "binh.tran@example.gov.vn"
    for field in (
        "full_name",
        "branch_id",
        "hardship",
        "national_id",
        "status",
        "card_number",
        "policy_group",
        "user_id",
        "date_of_birth",
    ):
        assert getattr(after, field) == getattr(before, field), field
    member.refresh_from_db()
    assert member.email == "binh.tran@example.gov.vn"  # password resets reach the new address


def test_contact_change_is_kept_in_history(client_for, member, record):
    count = record.history.count()
    client_for(member).post(CONTACT, {"phone": "0243 825 1234", "email": record.email})
    assert record.history.count() == count + 1
    latest = record.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == member
    assert latest.phone == "0243 825 1234"
    assert latest.history_change_reason
    previous = latest.prev_record
    assert previous.phone == "0912345678"


@pytest.mark.parametrize(
    "phone",
    ["abc", "12345678", "091234567890", "0912-345-678", "0912.345.678", "09+12345678", "+"],
)
def test_bad_phone_is_refused_with_a_message(client_for, member, record, phone):
    response = client_for(member).post(CONTACT, {"phone": phone, "email": record.email})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'class="invalid-feedback"' in response.content.decode()
    assert Member.objects.get(pk=record.pk).phone == "0912345678"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("  0912  345 678 ", "0912 345 678"),
        ("+84912345678", "+84912345678"),
        ("024 3825 1234", "024 3825 1234"),
        ("", ""),
    ],
)
def test_good_phones_are_accepted(client_for, member, record, typed, stored):
    response = client_for(member).post(CONTACT, {"phone": typed, "email": record.email})
    assert response.status_code == 302
    assert Member.objects.get(pk=record.pk).phone == stored


def test_bad_email_is_refused(client_for, member, record):
    response = client_for(member).post(
        CONTACT, {"phone": "0912345678", "email": "khong-phai-email"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert Member.objects.get(pk=record.pk).email == record.email


def test_contact_form_needs_csrf(member, record):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(CONTACT, {"phone": "0912000111", "email": record.email})
    assert response.status_code == 403
    assert Member.objects.get(pk=record.pk).phone == "0912345678"
