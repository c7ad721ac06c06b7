"""A member takes away everything the portal holds about them; old request documents are purged."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AccessEvent
from tests.welfare.test_requests import attach, make_request
from welfare.models import RequestAttachment, SupportRequest

DATA = "/doan-vien/du-lieu-cua-toi/"


@pytest.fixture
def member_record(member):
    record = member.member
    record.national_id = "001190012345"
    record.save()
    return record


def test_the_member_area_links_to_the_data_page(client_for, member, member_record):
    html = client_for(member).get("/doan-vien/").content.decode()
    assert DATA in html and "Tải toàn bộ dữ liệu của tôi" in html
    html = client_for(member).get(DATA).content.decode()
    assert "Nghị định 13/2023/NĐ-CP" in html
    assert "Hồ sơ đoàn viên" in html


def test_the_json_holds_the_record_requests_consents_and_who_looked(
    client_for, member, member_record, officer_a
):
    support_request = make_request(member_record, description="Mổ ruột thừa")
    attach(support_request, name="giay-ra-vien.pdf")
    client_for(officer_a).get(f"/can-bo/doan-vien/{member_record.pk}/")
    response = client_for(member).get(DATA, {"format": "json"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "attachment;" in response["Content-Disposition"]
    payload = json.loads(response.content)
    data = payload["data"]
    record = data["Hồ sơ đoàn viên"][0]
    assert "Trần Thị Bình" in json.dumps(record, ensure_ascii=False)
    assert "001190012345" in json.dumps(record)  # their own national id, in full
    requests = data["Đề nghị hỗ trợ"]
    assert any("Mổ ruột thừa" in json.dumps(r, ensure_ascii=False) for r in requests)
    assert any(
        "giay-ra-vien.pdf" in json.dumps(d, ensure_ascii=False) for d in data["Tài liệu đề nghị"]
    )
    consents = data["Các lần đồng ý"]
    assert len(consents) == 1 and consents[0]["Thời điểm đồng ý"]
    looked = data["Ai đã xem dữ liệu của bạn"]
    assert [row["Tên đăng nhập"] for row in looked] == [officer_a.username]


def test_the_xlsx_has_a_sheet_per_part_and_is_logged(client_for, member, member_record):
    response = client_for(member).get(DATA, {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Hồ sơ đoàn viên" in workbook.sheetnames
    sheet = workbook["Hồ sơ đoàn viên"]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Trần Thị Bình" in values
    event = AccessEvent.objects.get(action=AccessEvent.Action.EXPORT_OWN_DATA)
    assert event.member == member_record


def test_nobody_gets_another_persons_data(client, client_for, officer_a, outsider):
    assert client.get(DATA).status_code == 302
    # Officers and outsiders without a member record of their own get nothing.
    assert client_for(outsider).get(DATA, {"format": "json"}).status_code == 404


def _decided(member_record, days_ago, status=SupportRequest.Status.REJECTED):
    support_request = make_request(member_record)
    document = attach(support_request)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    SupportRequest.objects.filter(pk=support_request.pk).update(
        status=status, decided_at=when, updated_at=when, decision_reason="Không đủ điều kiện"
    )
    return document


def test_purge_removes_only_documents_of_requests_decided_long_ago(
    member, member_record, django_capture_on_commit_callbacks
):
    old = _decided(member_record, 6 * 365)
    withdrawn = _decided(member_record, 6 * 365, SupportRequest.Status.WITHDRAWN)
    recent = _decided(member_record, 30)
    pending = attach(make_request(member_record))
    # A request decided 6 years ago but still open would be odd; an undecided one stays anyway.
    old_path = old.file.path

    out = io.StringIO()
    call_command("purge_attachments", "--dry-run", stdout=out)
    assert "would remove 2 document(s)" in out.getvalue()
    assert RequestAttachment.objects.count() == 4

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_attachments", "--years", "5", stdout=out)
    assert "removed 2 document(s)" in out.getvalue()
    left = set(RequestAttachment.objects.values_list("pk", flat=True))
    assert left == {recent.pk, pending.pk}
    assert old.pk not in left and withdrawn.pk not in left
    import os

    assert not os.path.exists(old_path)
    assert os.path.exists(recent.file.path)
    # The requests and their decisions stay.
    assert SupportRequest.objects.count() == 4
