"""Receipts of aid records: private files, served only to officers in scope of the programme."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import MemberFactory, ProgramFactory
from welfare import services
from welfare.models import AidReceipt
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def record(tree, officer_a):
    program = ProgramFactory(branch=tree.a)
    member = MemberFactory(branch=tree.a_group)
    (record,) = services.record_aid(
        program=program,
        by=officer_a,
        date=datetime.date(2020, 1, 20),
        entries=[AidInput(member=member, amount_vnd=1_000_000)],
        status="approved",
    )
    return record


def upload(client, record, content, name):
    url = f"/can-bo/ho-tro/{record.program_id}/ban-ghi/{record.pk}/chung-tu/"
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_officer_keeps_a_receipt_and_downloads_it(client, officer_a, record):
    client.force_login(officer_a)
    page = client.get(f"/can-bo/ho-tro/{record.program_id}/ban-ghi/{record.pk}/")
    assert page.status_code == 200 and "Chứng từ" in page.content.decode()
    response = upload(client, record, PDF, "../../bien-nhan.pdf")
    assert "bien-nhan.pdf" in response.content.decode()
    receipt = AidReceipt.objects.get()
    assert str(settings.MEDIA_ROOT) not in receipt.file.path
    assert receipt.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert receipt.history.get().history_user == officer_a
    download = client.get(f"/can-bo/ho-tro/chung-tu/{receipt.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    with pytest.raises(ValueError):
        receipt.file.url  # noqa: B018 - a private file has no public address


def test_refused_files_are_not_kept(client, officer_a, record):
    client.force_login(officer_a)
    for content, name in [
        (b"MZ\x90\x00", "virus.pdf"),
        (b"<svg onload=alert(1)>", "a.png"),
        (b"", "x.pdf"),
    ]:
        response = upload(client, record, content, name)
        assert response.status_code == 200
    assert not AidReceipt.objects.exists()


def test_other_branch_officers_and_members_get_404(client, officer_a, officer_b, member, record):
    client.force_login(officer_a)
    upload(client, record, PDF, "a.pdf")
    receipt = AidReceipt.objects.get()
    for person in (officer_b, member):
        client.force_login(person)
        assert client.get(f"/can-bo/ho-tro/chung-tu/{receipt.pk}/").status_code == 404
        assert (
            client.get(f"/can-bo/ho-tro/{record.program_id}/ban-ghi/{record.pk}/").status_code
            == 404
        )
        assert upload(client, record, PDF, "b.pdf").status_code == 404
    assert AidReceipt.objects.count() == 1


def test_history_of_a_record_says_who_did_what(client, officer_a, ministry_officer, record):
    services.mark_paid(record=record, by=officer_a)
    url = f"/can-bo/ho-tro/{record.program_id}/ban-ghi/{record.pk}/"
    for officer in (officer_a, ministry_officer):
        client.force_login(officer)
        html = client.get(url).content.decode()
        assert "Lịch sử thay đổi" in html and "Đã chi/đã trao" in html
        assert officer_a.get_username() in html


def test_programme_and_campaign_history_pages_are_scoped(client, tree, officer_a, officer_b):
    from tests.factories import CampaignFactory

    program = ProgramFactory(branch=tree.a, name="Quà Tết thử")
    program.budget_vnd = 9_000_000
    program._change_reason = "Tăng kinh phí"
    program.save()
    campaign = CampaignFactory(branch=tree.a)
    client.force_login(officer_a)
    html = client.get(f"/can-bo/ho-tro/{program.pk}/lich-su/").content.decode()
    assert "Tăng kinh phí" in html and "Quà Tết thử" in html
    assert client.get(f"/can-bo/quyen-gop/{campaign.pk}/lich-su/").status_code == 200
    client.force_login(officer_b)
    assert client.get(f"/can-bo/ho-tro/{program.pk}/lich-su/").status_code == 404
    assert client.get(f"/can-bo/quyen-gop/{campaign.pk}/lich-su/").status_code == 404
