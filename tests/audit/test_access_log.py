"""Who saw whose personal data: every opening, download and export is logged, ministry-level
officers read the log, and nobody can change it (not even through the database)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent, ImmutableError
from tests.factories import MemberFactory, UserFactory
from tests.welfare.test_requests import attach, make_request

LOG = "/can-bo/nhat-ky-truy-cap/"


@pytest.fixture
def person(tree):
    return MemberFactory(branch=tree.a, full_name="Lê Thị Nhàn", card_number="CD-777")


def test_opening_a_member_record_is_logged(client_for, officer_a, person):
    client = client_for(officer_a)
    response = client.get(f"/can-bo/doan-vien/{person.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert event.user == officer_a and event.username == officer_a.username
    assert event.action == AccessEvent.Action.VIEW_MEMBER
    assert "Lê Thị Nhàn" in event.target and event.branch == person.branch
    assert event.ip_address == "10.1.2.3"
    assert event.path == f"/can-bo/doan-vien/{person.pk}/"


def test_a_refused_look_is_not_logged_as_a_look(client_for, officer_b, person):
    assert client_for(officer_b).get(f"/can-bo/doan-vien/{person.pk}/").status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exporting_the_member_list_is_logged(client_for, officer_a, person, kind):
    response = client_for(officer_a).get(f"/can-bo/doan-vien/?export={kind}")
    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert event.action == AccessEvent.Action.EXPORT_MEMBERS
    assert kind.upper() in event.target


def test_downloading_a_request_document_and_reviewing_the_request_are_logged(
    client_for, officer_a, member
):
    support_request = make_request(member.member)
    document = attach(support_request)
    client = client_for(officer_a)
    assert client.get(f"/can-bo/de-nghi/{support_request.pk}/").status_code == 200
    response = client.get(f"/doan-vien/de-nghi-ho-tro/tep/{document.pk}/")
    assert response.status_code == 200
    actions = list(AccessEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AccessEvent.Action.VIEW_REQUEST, AccessEvent.Action.DOWNLOAD_ATTACHMENT]


def test_ministry_officers_read_the_log_and_others_do_not(
    client, client_for, officer_a, ministry_officer, member, person
):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    client.logout()
    html = client_for(ministry_officer).get(LOG).content.decode()
    assert "Nhật ký truy cập dữ liệu cá nhân" in html
    assert officer_a.username in html and "Lê Thị Nhàn" in html
    assert "Xem hồ sơ đoàn viên" in html
    client.logout()
    assert client_for(officer_a).get(LOG).status_code == 403
    client.logout()
    assert client_for(member).get(LOG).status_code in {302, 403, 404}
    client.logout()
    assert client.get(LOG).status_code == 302


def test_the_log_filters_by_person_and_action(client_for, officer_a, ministry_officer, person):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    client_for(officer_a).get("/can-bo/doan-vien/?export=csv")
    client = client_for(ministry_officer)
    html = client.get(LOG, {"action": "export_members"}).content.decode()
    assert "Xuất danh sách đoàn viên" in html and "Lê Thị Nhàn" not in html
    html = client.get(LOG, {"person": "nobody"}).content.decode()
    assert "Không có ghi nhận nào" in html


def test_nobody_can_change_or_remove_a_line(client_for, officer_a, person):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    event = AccessEvent.objects.get()
    event.username = "someone-else"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AccessEvent.objects.update(username="x")
    with pytest.raises(ImmutableError):
        AccessEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changes_too(client_for, officer_a, person):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    for statement in (
        "UPDATE audit_accessevent SET username = 'x'",
        "DELETE FROM audit_accessevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccessEvent.objects.get().username == officer_a.username


def test_the_admin_shows_the_log_read_only_to_superusers(client_for, officer_a, person):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client = client_for(admin)
    assert client.get("/admin/audit/accessevent/").status_code == 200
    event = AccessEvent.objects.get()
    assert client.get("/admin/audit/accessevent/add/").status_code == 403
    response = client.post(f"/admin/audit/accessevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AccessEvent.objects.count() == 1


def test_removing_an_account_keeps_the_log_line_and_is_not_blocked(client_for, officer_a, person):
    client_for(officer_a).get(f"/can-bo/doan-vien/{person.pk}/")
    username = officer_a.username
    officer_a.member.delete() if hasattr(officer_a, "member") else None
    officer_a.delete()
    person.delete()
    event = AccessEvent.objects.get()
    assert event.username == username and "Lê Thị Nhàn" in event.target
