"""Invitations: an officer gives a member an account; the member sets a password from a link."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.models import SiteSettings
from tests.factories import MemberFactory, UserFactory
from unions.invitations import (
    InvitationTokenGenerator,
    InviteSummary,
    invitation_token_generator,
    invite_branch,
    invite_member,
    split_name,
)
from unions.models import Member

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Mua-thu-Ha-Noi-2020"
LINK = re.compile(r"http://testserver(/tai-khoan/kich-hoat/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def invitee(tree):
    """An active member of A's group with an e-mail address and no account yet."""
    return MemberFactory(
        branch=tree.a_group,
        full_name="Nguyễn Thị Thu Hương",
        card_number="dv-2020.15",
        gender="female",
    )


@pytest.fixture
def b_member(tree):
    return MemberFactory(branch=tree.b, full_name="Hoàng Văn Bê")


def first_template(response):
    """The page's own template (the others are the ones it extends and includes)."""
    return response.templates[0].name


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def invite(client_for, officer, member, **data):
    return client_for(officer).post(f"/can-bo/doan-vien/{member.pk}/moi/", data)


def activate(client, path, password=NEW_PASSWORD):
    """Open the link, then post the new password twice on the page it leads to."""
    response = client.get(path)
    assert response.status_code == 302, response.content.decode()[:500]
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")  # the token left the address bar
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_split_name_in_vietnamese_order():
    assert split_name("Nguyễn Thị Thu Hương") == ("Hương", "Nguyễn Thị Thu")
    assert split_name("Hương") == ("Hương", "")
    assert split_name("") == ("", "")


# The service ------------------------------------------------------------------------------------


def test_invite_creates_an_account_and_sends_the_link(rf, officer_a, invitee):
    request = rf.get("/")
    assert invite_member(member=invitee, by=officer_a, request=request) is True
    invitee.refresh_from_db()
    user = invitee.user
    assert user.username == "dv202015"  # the normalised card number, lower case
    assert user.email == invitee.email
    assert (user.first_name, user.last_name) == ("Hương", "Nguyễn Thị Thu")
    assert not user.has_usable_password()
    assert user.is_active

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [invitee.email]
    union = SiteSettings.get_solo().name
    assert union in message.subject
    assert "\n" not in message.subject
    assert "Nguyễn Thị Thu Hương" in message.body
    assert union in message.body
    assert "dv202015" in message.body
    assert "7" in message.body  # the link's lifetime in days
    path = link_in(message)
    _uidb64, token = path.strip("/").split("/")[-2:]
    assert invitation_token_generator.check_token(user, token)
    assert not default_token_generator.check_token(user, token)


def test_invitation_is_recorded_in_the_members_history(rf, officer_a, invitee):
    invite_member(member=invitee, by=officer_a, request=rf.get("/"))
    invitee.refresh_from_db()
    assert invitee.user_id is not None
    latest = invitee.history.first()
    assert latest.user_id == invitee.user_id
    assert latest.history_change_reason


def test_timeout_comes_from_settings(rf, settings, officer_a, invitee):
    settings.INVITATION_TIMEOUT_DAYS = 3
    invite_member(member=invitee, by=officer_a, request=rf.get("/"))
    assert "3" in mail.outbox[0].body


def test_invite_again_while_the_account_is_unused(rf, officer_a, invitee):
    invite_member(member=invitee, by=officer_a, request=rf.get("/"))
    invitee.refresh_from_db()
    user_pk = invitee.user_id
    invitee.email = "moi@example.gov.vn"
    invitee.save()
    assert invite_member(member=invitee, by=officer_a, request=rf.get("/"))
    invitee.refresh_from_db()
    assert invitee.user_id == user_pk
    assert invitee.user.email == "moi@example.gov.vn"
    assert mail.outbox[-1].to == ["moi@example.gov.vn"]
    assert User.objects.filter(username="dv202015").count() == 1


def test_refuses_a_member_without_email(officer_a, invitee):
    invitee.email = ""
    invitee.save()
    with pytest.raises(ValidationError):
        invite_member(member=invitee, by=officer_a)
    invitee.refresh_from_db()
    assert invitee.user is None
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["left", "retired", "transferred", "deceased"])
def test_refuses_a_member_who_is_not_active(officer_a, invitee, status):
    invitee.status = status
    invitee.save()
    with pytest.raises(ValidationError):
        invite_member(member=invitee, by=officer_a)
    assert mail.outbox == []


def test_refuses_a_member_who_already_has_an_account(officer_a, member):
    record = member.member
    with pytest.raises(ValidationError) as error:
        invite_member(member=record, by=officer_a)
    assert member.username in " ".join(error.value.messages)
    assert mail.outbox == []


def test_refuses_when_the_user_name_is_taken_by_someone_else(officer_a, invitee):
    UserFactory(username="dv202015")
    with pytest.raises(ValidationError):
        invite_member(member=invitee, by=officer_a)
    invitee.refresh_from_db()
    assert invitee.user is None
    assert mail.outbox == []


def test_service_checks_the_officers_scope(officer_b, member, outsider, invitee):
    for someone in (officer_b, member, outsider):
        with pytest.raises(PermissionDenied):
            invite_member(member=invitee, by=someone)
    invitee.refresh_from_db()
    assert invitee.user is None
    assert mail.outbox == []


def test_ministry_officer_may_invite_anyone(rf, ministry_officer, invitee, b_member):
    assert invite_member(member=invitee, by=ministry_officer, request=rf.get("/"))
    assert invite_member(member=b_member, by=ministry_officer, request=rf.get("/"))
    assert len(mail.outbox) == 2


def test_invite_branch_counts_sent_and_skipped(rf, tree, officer_a, member, b_member):
    # In A's subtree: officer_a's own record (in A) and the member persona (in A's group) already
    # have accounts they use.
    MemberFactory(branch=tree.a, full_name="Đỗ Văn Một")
    MemberFactory(branch=tree.a_group, full_name="Đỗ Văn Hai")
    MemberFactory(branch=tree.a_group, full_name="Đỗ Văn Ba", email="")
    MemberFactory(branch=tree.a, full_name="Đỗ Văn Nghỉ", status="retired")
    unused = MemberFactory(branch=tree.a, full_name="Đỗ Văn Bốn")
    invite_member(member=unused, by=officer_a, request=rf.get("/"))  # account not activated yet
    mail.outbox.clear()

    summary = invite_branch(branch=tree.a, by=officer_a, request=rf.get("/"))

    assert isinstance(summary, InviteSummary)
    assert (summary.sent, summary.skipped_no_email, summary.skipped_has_account) == (3, 1, 2)
    assert summary.failed == ()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Member.objects.filter(full_name__in=["Đỗ Văn Một", "Đỗ Văn Hai", "Đỗ Văn Bốn"]).values_list(
            "email", flat=True
        )
    )
    assert b_member.email not in [m.to[0] for m in mail.outbox]
    # Nothing is left to send the second time.
    mail.outbox.clear()
    again = invite_branch(branch=tree.a_group, by=officer_a, request=rf.get("/"))
    assert (again.skipped_no_email, again.skipped_has_account) == (1, 1)
    assert again.sent == 1  # Đỗ Văn Hai has still not set a password


def test_invite_branch_reports_failures_and_carries_on(rf, tree, officer_a):
    MemberFactory(branch=tree.a, card_number="TRUNG01", full_name="Vũ Văn Trùng")
    MemberFactory(branch=tree.a, full_name="Vũ Văn Khác")
    UserFactory(username="trung01")
    summary = invite_branch(branch=tree.a, by=officer_a, request=rf.get("/"))
    assert summary.sent == 1
    assert [m.full_name for m, _reason in summary.failed] == ["Vũ Văn Trùng"]


def test_invite_branch_checks_the_officers_scope(tree, officer_b, member):
    for someone in (officer_b, member):
        with pytest.raises(PermissionDenied):
            invite_branch(branch=tree.a, by=someone)
    assert mail.outbox == []


def test_without_a_request_the_link_uses_site_url(settings, officer_a, invitee):
    settings.SITE_URL = "https://congdoan.example.gov.vn/"
    invite_member(member=invitee, by=officer_a)
    assert "https://congdoan.example.gov.vn/tai-khoan/kich-hoat/" in mail.outbox[0].body


# The link ---------------------------------------------------------------------------------------


@pytest.fixture
def invitation(client_for, officer_a, invitee):
    """The path of an invitation sent through the officer's button; the client is signed out."""
    client = client_for(officer_a)
    client.post(f"/can-bo/doan-vien/{invitee.pk}/moi/")
    client.logout()
    return link_in(mail.outbox[-1])


def test_following_the_link_sets_a_password_and_signs_in(client, invitee, invitation):
    response = activate(client, invitation)
    assert response.status_code == 302
    invitee.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == invitee.user_id
    assert invitee.user.check_password(NEW_PASSWORD)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == "/doan-vien/"
    assert [m.level for m in response.context["messages"]] == [message_levels.SUCCESS]

    fresh = Client()
    # Signing in through the sign-in page (django-axes checks every sign-in against its request).
    signed_in = fresh.post(
        "/tai-khoan/dang-nhap/", {"username": "dv202015", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert fresh.get("/doan-vien/").status_code == 200


def test_the_form_shows_the_user_name(client, invitation):
    response = client.get(client.get(invitation)["Location"])
    assert "dv202015" in response.content.decode()
    assert first_template(response) == "unions/activate.html"


def test_a_weak_password_is_refused(client, invitee, invitation):
    response = activate(client, invitation, password="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors
    invitee.refresh_from_db()
    assert not invitee.user.has_usable_password()


def test_the_link_works_once(client, invitation):
    activate(client, invitation)
    client.logout()
    response = Client().get(invitation)
    assert response.status_code == 200
    assert first_template(response) == "unions/activate_invalid.html"
    html = response.content.decode()
    assert 'href="/tai-khoan/quen-mat-khau/"' in html
    assert 'href="/tai-khoan/dang-nhap/"' in html


def _shift_clock(monkeypatch, days):
    later = datetime.datetime.now() + datetime.timedelta(days=days)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)


def test_the_link_still_works_before_it_expires(client, monkeypatch, invitation):
    _shift_clock(monkeypatch, 6.9)
    assert activate(client, invitation).status_code == 302


def test_the_link_expires(client, monkeypatch, invitation):
    _shift_clock(monkeypatch, 7.1)
    response = client.get(invitation)
    assert response.status_code == 200
    assert first_template(response) == "unions/activate_invalid.html"


def test_expiry_follows_the_setting(client, settings, monkeypatch, invitation):
    settings.INVITATION_TIMEOUT_DAYS = 1
    _shift_clock(monkeypatch, 1.5)
    response = client.get(invitation)
    assert first_template(response) == "unions/activate_invalid.html"


def test_a_tampered_link_is_invalid(client, invitation):
    response = client.get(invitation[:-3] + "zzz/")
    assert first_template(response) == "unions/activate_invalid.html"
    response = client.get("/tai-khoan/kich-hoat/bad/1-abc/")
    assert first_template(response) == "unions/activate_invalid.html"


def test_a_password_reset_token_is_not_an_invitation(client, invitee, invitation):
    invitee.refresh_from_db()
    user = invitee.user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    response = client.get(f"/tai-khoan/kich-hoat/{uidb64}/{reset_token}/")
    assert first_template(response) == "unions/activate_invalid.html"
    # Nor is an invitation token a password reset token.
    invitation_token = invitation.strip("/").split("/")[-1]
    response = client.get(f"/tai-khoan/dat-lai-mat-khau/{uidb64}/{invitation_token}/")
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_the_link_stops_working_when_the_member_leaves(client, invitee, invitation):
    Member.objects.filter(pk=invitee.pk).update(status="left")
    response = client.get(invitation)
    assert first_template(response) == "unions/activate_invalid.html"


# The officers' buttons --------------------------------------------------------------------------


def test_officer_invites_a_member_of_their_subtree(client_for, officer_a, invitee):
    response = invite(client_for, officer_a, invitee, next="/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"
    assert len(mail.outbox) == 1
    response = client_for(officer_a).get("/tai-khoan/")
    assert [m.level for m in response.context["messages"]] == [message_levels.SUCCESS]


def test_officer_sees_why_an_invitation_was_refused(client_for, officer_a, member):
    response = invite(client_for, officer_a, member.member, next="/tai-khoan/")
    assert response.status_code == 302
    assert mail.outbox == []
    response = client_for(officer_a).get("/tai-khoan/")
    assert [m.level for m in response.context["messages"]] == [message_levels.ERROR]


def test_an_outside_next_is_ignored(client_for, officer_a, invitee):
    response = invite(client_for, officer_a, invitee, next="https://example.com/")
    assert response.status_code == 302
    assert not response["Location"].startswith("https://example.com")


def test_officer_of_another_branch_gets_404(client_for, officer_b, officer_a, invitee, b_member):
    assert invite(client_for, officer_b, invitee).status_code == 404
    assert invite(client_for, officer_a, b_member).status_code == 404
    assert mail.outbox == []
    invitee.refresh_from_db()
    assert invitee.user is None


def test_officer_of_another_branch_cannot_invite_a_branch(client_for, tree, officer_b, invitee):
    response = client_for(officer_b).post(f"/can-bo/cong-doan/{tree.a.pk}/moi/")
    assert response.status_code == 404
    assert mail.outbox == []


def test_officer_invites_a_branch(client_for, tree, officer_a, invitee):
    MemberFactory(branch=tree.a, email="")
    response = client_for(officer_a).post(
        f"/can-bo/cong-doan/{tree.a.pk}/moi/", {"next": "/can-bo/cong-doan/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/cong-doan/"
    assert [m.to for m in mail.outbox] == [[invitee.email]]


@pytest.mark.parametrize("persona", ["member", "outsider", "editor"])
def test_non_officers_get_404(client_for, request, tree, invitee, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/can-bo/doan-vien/{invitee.pk}/moi/").status_code == 404
    assert client.post(f"/can-bo/cong-doan/{tree.a.pk}/moi/").status_code == 404
    assert mail.outbox == []


def test_anonymous_is_sent_to_sign_in(client, tree, invitee):
    for url in (f"/can-bo/doan-vien/{invitee.pk}/moi/", f"/can-bo/cong-doan/{tree.a.pk}/moi/"):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")
    assert mail.outbox == []


def test_get_is_refused(client_for, tree, officer_a, invitee):
    client = client_for(officer_a)
    assert client.get(f"/can-bo/doan-vien/{invitee.pk}/moi/").status_code == 405
    assert client.get(f"/can-bo/cong-doan/{tree.a.pk}/moi/").status_code == 405
    assert mail.outbox == []


def test_buttons_need_csrf(officer_a, tree, invitee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    assert client.post(f"/can-bo/doan-vien/{invitee.pk}/moi/").status_code == 403
    assert client.post(f"/can-bo/cong-doan/{tree.a.pk}/moi/").status_code == 403
    assert mail.outbox == []
