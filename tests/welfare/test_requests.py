"""Members' support requests: filing with documents, following them, officers deciding on them.

The pages are read in English here so that the messages can be asserted whatever the Vietnamese
catalogue says; one test reads them in Vietnamese.
"""

import datetime
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests.factories import MemberFactory, ProgramFactory, UserFactory
from welfare import services, uploads
from welfare.models import AidRecord, RequestAttachment, SupportRequest

NEW = "/doan-vien/de-nghi-ho-tro/moi/"
MINE = "/doan-vien/de-nghi-ho-tro/"
QUEUE = "/can-bo/de-nghi/"

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mine_detail(pk):
    return f"/doan-vien/de-nghi-ho-tro/{pk}/"


def download(pk):
    return f"/doan-vien/de-nghi-ho-tro/tep/{pk}/"


def review(pk, action=""):
    return f"/can-bo/de-nghi/{pk}/{action}"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def record(member):
    """The ``member`` persona's union record (a member of A's group)."""
    return member.member


@pytest.fixture
def other_member(tree):
    """Another member of A's group, with an account of their own."""
    user = UserFactory(username="dongnghiep_test")
    MemberFactory(user=user, branch=tree.a_group, full_name="Lê Văn Đồng Nghiệp")
    return user


@pytest.fixture
def program_a(tree):
    today = timezone.localdate()
    return ProgramFactory(
        branch=tree.a,
        kind="sickness",
        name="Thăm hỏi ốm đau 2020",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=300),
        default_amount_vnd=1_500_000,
    )


def pdf(name="giay-ra-vien.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="anh-chup.png", kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format=kind)
    content_type = "image/png" if kind == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def form_data(**overrides):
    data = {
        "kind": "sickness",
        "happened_on": "05/03/2020",
        "description": "Tôi nằm viện 10 ngày vì viêm phổi.",
        "amount_requested_vnd": "2.000.000",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_request(member_record, **fields):
    fields.setdefault("kind", "sickness")
    fields.setdefault("description", "Ốm nằm viện")
    fields.setdefault("happened_on", datetime.date(2020, 3, 5))
    fields.setdefault("consent_given_at", timezone.now())
    return SupportRequest.objects.create(member=member_record, **fields)


def attach(support_request, content=PDF_BYTES, name="giay-ra-vien.pdf"):
    document = RequestAttachment(
        request=support_request,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )
    document.file.save("document.pdf", io.BytesIO(content), save=False)
    document.save()
    return document


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def form_errors(response, field="attachments"):
    return " ".join(response.context["form"].errors.get(field, []))


# Filing a request -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_asks_for_everything_with_a_multiple_file_input(client_for, member):
    response = client_for(member).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachments"' in html and " multiple" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png' in html
    for name in ("kind", "happened_on", "description", "amount_requested_vnd", "consent"):
        assert f'name="{name}"' in html
    assert "Decree 13/2023/NĐ-CP" in html
    assert '<label for="id_consent"' in html  # the checkbox has its own label


@pytest.mark.django_db
def test_member_files_a_request_with_a_pdf_and_a_png(client_for, member, record, settings):
    response = client_for(member).post(
        NEW, {**form_data(), "attachments": [pdf(), png()]}, follow=True
    )
    support_request = SupportRequest.objects.get()
    assert response.redirect_chain[-1][0] == mine_detail(support_request.pk)
    assert support_request.member == record
    assert support_request.status == SupportRequest.Status.SUBMITTED
    assert support_request.kind == "sickness"
    assert support_request.happened_on == datetime.date(2020, 3, 5)
    assert support_request.amount_requested_vnd == 2_000_000
    assert support_request.consent_given_at is not None
    assert "Your request has been sent" in " ".join(messages_of(response))

    documents = list(support_request.attachments.all())
    assert [(d.original_name, d.content_type) for d in documents] == [
        ("giay-ra-vien.pdf", "application/pdf"),
        ("anh-chup.png", "image/png"),
    ]
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for document in documents:
        path = Path(document.file.path).resolve()
        assert private_root in path.parents
        assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
        assert document.file.name.startswith(f"requests/{support_request.pk}/")
        assert "giay" not in document.file.name and "anh" not in document.file.name
    assert Path(documents[0].file.path).read_bytes() == PDF_BYTES
    assert documents[1].size == len(Path(documents[1].file.path).read_bytes())

    html = response.content.decode()
    assert "giay-ra-vien.pdf" in html and download(documents[0].pk) in html
    assert "2.000.000\u00a0₫" in html


@pytest.mark.django_db
def test_a_request_without_documents_or_amount_is_fine(client_for, member):
    response = client_for(member).post(NEW, form_data(amount_requested_vnd=""))
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    assert support_request.amount_requested_vnd is None
    assert not support_request.attachments.exists()


@pytest.mark.django_db
def test_consent_is_required(client_for, member):
    response = client_for(member).post(NEW, {**form_data(consent=None), "attachments": [pdf()]})
    assert response.status_code == 200
    assert "Your consent is needed" in form_errors(response, "consent")
    assert not SupportRequest.objects.exists()
    assert not RequestAttachment.objects.exists()


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused(client_for, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(member).post(NEW, form_data(happened_on=f"{tomorrow:%d/%m/%Y}"))
    assert "cannot be in the future" in form_errors(response, "happened_on")
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_the_date_is_read_day_first(client_for, member):
    client_for(member).post(NEW, form_data(happened_on="02/01/2020"))
    assert SupportRequest.objects.get().happened_on == datetime.date(2020, 1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "whole number"),
        ("2,5", "whole number"),
        ("1.5", "whole number"),
        ("20.000.000.000", "less than or equal to"),
    ],
)
def test_bad_amounts_are_refused(client_for, member, amount, message):
    response = client_for(member).post(NEW, form_data(amount_requested_vnd=amount))
    assert message in form_errors(response, "amount_requested_vnd")
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["2000000", "2.000.000", "2,000,000", "2 000 000 ₫"])
def test_amounts_are_read_with_or_without_separators(client_for, member, amount):
    client_for(member).post(NEW, form_data(amount_requested_vnd=amount))
    assert SupportRequest.objects.get().amount_requested_vnd == 2_000_000


@pytest.mark.django_db
def test_only_an_active_member_files_requests(client, client_for, outsider, member, record):
    assert client.get(NEW).status_code == 302  # anonymous: sign in first
    assert client_for(outsider).get(NEW).status_code == 404
    assert client_for(outsider).post(NEW, form_data()).status_code == 404
    record.status = "retired"
    record.save()
    assert client_for(member).get(NEW).status_code == 404
    assert not SupportRequest.objects.exists()


# Checking the documents --------------------------------------------------------------------


REFUSED = [
    pytest.param(
        SimpleUploadedFile("don-de-nghi.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
        "is a program, not a document",
        id="executable-renamed-pdf",
    ),
    pytest.param(
        SimpleUploadedFile(
            "trang.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"
        ),
        "is a web page",
        id="html",
    ),
    pytest.param(
        SimpleUploadedFile(
            "anh.png",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        "is an SVG image",
        id="svg",
    ),
    pytest.param(
        SimpleUploadedFile("rong.pdf", b"", "application/pdf"), "rong.pdf is empty", id="empty"
    ),
    pytest.param(
        SimpleUploadedFile("ghi-chu.txt", b"just some text", "text/plain"),
        "is not a PDF, JPEG or PNG file",
        id="text",
    ),
    pytest.param(
        SimpleUploadedFile("hong.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image/png"),
        "is not a valid image",
        id="broken-png",
    ),
    pytest.param(
        SimpleUploadedFile("hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image/jpeg"),
        "is not a valid image",
        id="broken-jpeg",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "message"), REFUSED)
def test_refused_documents(client_for, member, upload, message, settings):
    response = client_for(member).post(NEW, {**form_data(), "attachments": [pdf(), upload]})
    assert response.status_code == 200
    assert message in form_errors(response)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not SupportRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    private_root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private_root.exists() or not any(p.is_file() for p in private_root.rglob("*"))


@pytest.mark.django_db
def test_a_document_too_large_is_refused(client_for, member, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 50)
    response = client_for(member).post(NEW, {**form_data(), "attachments": [pdf()]})
    assert "giay-ra-vien.pdf is too large" in form_errors(response)
    assert "at most 50\xa0bytes per file" in form_errors(response)
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_the_limit_is_ten_megabytes():
    assert uploads.MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "x")
    with pytest.raises(ValidationError, match="too large"):
        uploads.check_upload(big)


@pytest.mark.django_db
def test_a_sixth_document_is_refused(client_for, member):
    files = [pdf(f"tep-{n}.pdf") for n in range(6)]
    response = client_for(member).post(NEW, {**form_data(), "attachments": files})
    assert "Attach at most 5 files (you chose 6)" in form_errors(response)
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_five_documents_and_a_jpeg_are_accepted(client_for, member):
    files = [pdf(f"tep-{n}.pdf") for n in range(4)] + [png("anh.jpg", kind="JPEG")]
    response = client_for(member).post(NEW, {**form_data(), "attachments": files})
    assert response.status_code == 302
    types = list(RequestAttachment.objects.values_list("content_type", flat=True))
    assert types == ["application/pdf"] * 4 + ["image/jpeg"]


@pytest.mark.django_db
def test_a_path_in_the_name_is_stored_safely(client_for, member, settings):
    client_for(member).post(NEW, {**form_data(), "attachments": [pdf("../../x.pdf")]})
    document = RequestAttachment.objects.get()
    assert document.original_name == "x.pdf"
    assert ".." not in document.file.name
    path = Path(document.file.path).resolve()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert path.read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../x.pdf", "application/pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "application/pdf", "x.pdf"),
        ("Giấy ra viện (bản sao).PDF", "application/pdf", "Giấy_ra_viện_bản_sao.pdf"),
        ("..", "application/pdf", "tai-lieu.pdf"),
        ("", "image/png", "tai-lieu.png"),
        (".htaccess", "application/pdf", "htaccess.pdf"),
        ("scan.pdf", "image/png", "scan.pdf.png"),
        ("photo.JPEG", "image/jpeg", "photo.jpeg"),
        ("a" * 300 + ".pdf", "application/pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_are_cleaned(name, content_type, expected):
    assert uploads.clean_name(name, content_type) == expected


# Who may download a document ---------------------------------------------------------------


@pytest.fixture
def document(record):
    return attach(make_request(record))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "officer_a", "ministry_officer"])
def test_the_member_and_officers_in_scope_download_a_document(client_for, document, who, request):
    response = client_for(request.getfixturevalue(who)).get(download(document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="giay-ra-vien.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_b", "other_member", "outsider"])
def test_nobody_else_downloads_a_document(client_for, document, who, request):
    response = client_for(request.getfixturevalue(who)).get(download(document.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_sign_in(client, document):
    response = client.get(download(document.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


@pytest.mark.django_db
def test_a_non_ascii_name_downloads_under_its_name(client_for, member, record):
    document = attach(make_request(record), name="Giấy_ra_viện.pdf")
    response = client_for(member).get(download(document.pk))
    assert "filename*=utf-8''Gi%E1%BA%A5y_ra_vi%E1%BB%87n.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_no_document_is_reachable_under_media(client, client_for, member, document, settings):
    path = Path(document.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert Path(django_settings.MEDIA_ROOT).resolve() not in path.parents
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()
    for asker in (client, client_for(member)):
        assert asker.get(f"/media/{document.file.name}").status_code == 404
        assert asker.get(f"/media/{path.name}").status_code == 404


# The member's pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_members_see_their_own_requests_only(client_for, member, record, other_member):
    older = make_request(record, description="Trước đây")
    SupportRequest.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    own = make_request(record, description="Của tôi")
    theirs = make_request(other_member.member, description="Của đồng nghiệp")
    client = client_for(member)
    response = client.get(MINE)
    assert [item.pk for item in response.context["support_requests"]] == [own.pk, older.pk]
    html = response.content.decode()
    assert mine_detail(own.pk) in html
    assert mine_detail(theirs.pk) not in html
    assert client.get(mine_detail(own.pk)).status_code == 200
    assert client.get(mine_detail(theirs.pk)).status_code == 404
    assert client.get(mine_detail(999999)).status_code == 404
    assert 'href="/doan-vien/de-nghi-ho-tro/moi/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "officer_b"])
def test_the_member_pages_answer_404_to_anyone_else(client_for, record, who, request):
    own = make_request(record)
    client = client_for(request.getfixturevalue(who))
    assert client.get(mine_detail(own.pk)).status_code == (404)
    if who == "outsider":
        assert client.get(MINE).status_code == 404


@pytest.mark.django_db
def test_the_member_follows_the_request_to_its_approval(
    client_for, member, record, officer_a, program_a
):
    support_request = make_request(record, amount_requested_vnd=3_000_000)
    services.start_review(support_request=support_request, by=officer_a)
    services.approve_request(
        support_request=support_request,
        by=officer_a,
        program=program_a,
        amount_vnd=2_500_000,
        note="Chúc chị mau khỏe.",
    )
    response = client_for(member).get(mine_detail(support_request.pk))
    html = response.content.decode()
    assert "2.500.000\u00a0₫" in html  # granted
    assert "3.000.000\u00a0₫" in html  # asked
    assert "Chúc chị mau khỏe." in html
    labels = [row.get_status_display() for row in response.context["timeline"]]
    assert labels == ["Submitted", "Under review", "Approved"]
    first = support_request.history.earliest("history_date").history_date
    stamp = timezone.localtime(first).strftime("%d/%m/%Y - %H:%M")
    assert stamp in html
    assert "Withdraw the request" not in html
    listing = client_for(member).get(MINE).content.decode()
    assert "2.500.000\u00a0₫" in listing and "Approved" in listing


@pytest.mark.django_db
def test_the_member_reads_the_reason_of_a_refusal(client_for, member, record, officer_a):
    support_request = make_request(record)
    services.reject_request(
        support_request=support_request, by=officer_a, reason="Chưa đủ giấy tờ."
    )
    html = client_for(member).get(mine_detail(support_request.pk)).content.decode()
    assert "Rejected" in html and "Chưa đủ giấy tờ." in html


@pytest.mark.django_db
def test_the_member_withdraws_an_open_request(client_for, member, record):
    support_request = make_request(record)
    client = client_for(member)
    assert "Withdraw the request" in client.get(mine_detail(support_request.pk)).content.decode()
    response = client.post(mine_detail(support_request.pk) + "rut/", follow=True)
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.WITHDRAWN
    assert "Your request has been withdrawn." in messages_of(response)


@pytest.mark.django_db
def test_a_decided_request_cannot_be_withdrawn(client_for, member, record, officer_a):
    support_request = make_request(record)
    services.reject_request(support_request=support_request, by=officer_a, reason="Không đủ")
    response = client_for(member).post(mine_detail(support_request.pk) + "rut/", follow=True)
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.REJECTED
    assert "This request has already been decided or withdrawn." in messages_of(response)


@pytest.mark.django_db
def test_nobody_withdraws_another_members_request(client_for, record, other_member):
    support_request = make_request(record)
    response = client_for(other_member).post(mine_detail(support_request.pk) + "rut/")
    assert response.status_code == 404
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.SUBMITTED


@pytest.mark.django_db
def test_withdrawing_is_a_post(client_for, member, record):
    support_request = make_request(record)
    response = client_for(member).get(mine_detail(support_request.pk) + "rut/")
    assert response.status_code == 405


# E-mails ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officers_in_scope_are_told_of_a_new_request(
    client_for, member, officer_a, officer_b, ministry_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(NEW, {**form_data(), "attachments": [pdf()]})
    support_request = SupportRequest.objects.get()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([officer_a.email, ministry_officer.email])
    assert officer_b.email not in recipients
    message = mail.outbox[0]
    assert "Trần Thị Bình" in message.subject
    assert "Trần Thị Bình" in message.body
    assert f"http://testserver{review(support_request.pk)}" in message.body
    assert "2.000.000\u00a0₫" in message.body
    assert "viêm phổi" not in message.body  # health details stay on the portal


@pytest.mark.django_db
def test_no_mail_leaves_before_the_request_is_saved(client_for, member, officer_a):
    # Without running the on-commit callbacks, nothing is sent.
    client_for(member).post(NEW, form_data())
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_ended_assignment_gets_no_mail(
    client_for, member, officer_a, django_capture_on_commit_callbacks
):
    officer_a.member.assignments.update(end_on=datetime.date(2020, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(NEW, form_data())
    assert SupportRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_member_is_told_of_an_approval_with_the_amount(
    client_for, member, record, officer_a, program_a, django_capture_on_commit_callbacks
):
    support_request = make_request(record)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer_a).post(
            review(support_request.pk, "duyet/"),
            {"program": program_a.pk, "amount_vnd": "1.200.000", "note": ""},
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "approved" in mail.outbox[0].subject
    assert "1.200.000\u00a0₫" in mail.outbox[0].body
    assert f"http://testserver{mine_detail(support_request.pk)}" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_member_is_told_of_a_refusal_with_the_reason(
    client_for, member, record, officer_a, django_capture_on_commit_callbacks
):
    support_request = make_request(record)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer_a).post(
            review(support_request.pk, "tu-choi/"), {"reason": "Thiếu giấy ra viện."}
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "not been approved" in mail.outbox[0].subject
    assert "Thiếu giấy ra viện." in mail.outbox[0].body


# The officers' queue ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_is_scoped(client_for, record, officer_a, officer_b, ministry_officer, tree):
    in_a = make_request(record)
    in_b = make_request(MemberFactory(branch=tree.b, full_name="Vũ Thị Bê"))
    html_a = client_for(officer_a).get(QUEUE).content.decode()
    assert review(in_a.pk) in html_a and "Trần Thị Bình" in html_a
    assert review(in_b.pk) not in html_a and "Vũ Thị Bê" not in html_a
    html_b = client_for(officer_b).get(QUEUE).content.decode()
    assert review(in_b.pk) in html_b
    assert review(in_a.pk) not in html_b and "Trần Thị Bình" not in html_b
    html_root = client_for(ministry_officer).get(QUEUE).content.decode()
    assert review(in_a.pk) in html_root and review(in_b.pk) in html_root


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "outsider"])
def test_the_queue_answers_404_to_non_officers(client_for, who, request):
    assert client_for(request.getfixturevalue(who)).get(QUEUE).status_code == 404


@pytest.mark.django_db
def test_the_queue_sends_anonymous_people_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


def _shown(response):
    return [item.pk for item in response.context["support_requests"]]


@pytest.mark.django_db
def test_the_queue_filters(client_for, record, officer_a, tree):
    group_member = record
    direct_member = MemberFactory(branch=tree.a)
    recent = make_request(group_member, kind="sickness")
    old = make_request(direct_member, kind="bereavement")
    SupportRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    reviewing = make_request(direct_member, kind="sickness", status="under_review")
    refused = make_request(group_member, status="rejected", decision_reason="Không đủ")
    client = client_for(officer_a)

    # Unfiltered: the open ones, the longest waiting first.
    assert _shown(client.get(QUEUE)) == [old.pk, recent.pk, reviewing.pk]
    assert _shown(client.get(QUEUE, {"status": "all"})) == [
        refused.pk,
        reviewing.pk,
        recent.pk,
        old.pk,
    ]
    assert _shown(client.get(QUEUE, {"status": "rejected"})) == [refused.pk]
    assert _shown(client.get(QUEUE, {"status": "under_review"})) == [reviewing.pk]
    assert _shown(client.get(QUEUE, {"kind": "bereavement"})) == [old.pk]
    assert set(_shown(client.get(QUEUE, {"branch": tree.a_group.pk, "status": "all"}))) == {
        recent.pk,
        refused.pk,
    }
    assert set(_shown(client.get(QUEUE, {"branch": tree.a.pk}))) == {
        old.pk,
        recent.pk,
        reviewing.pk,
    }
    assert _shown(client.get(QUEUE, {"older_than": "7"})) == [old.pk]
    # A branch outside the scope is not a choice.
    response = client.get(QUEUE, {"branch": tree.b.pk})
    assert "branch" in response.context["form"].errors


@pytest.mark.django_db
def test_requests_open_for_more_than_a_week_stand_out(client_for, record, officer_a):
    fresh = make_request(record)
    stale = make_request(record)
    SupportRequest.objects.filter(pk=stale.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = client_for(officer_a).get(QUEUE)
    assert _shown(response) == [stale.pk, fresh.pk]
    flags = {item.pk: item.overdue for item in response.context["support_requests"]}
    assert flags == {stale.pk: True, fresh.pk: False}
    assert response.content.decode().count("open over 7 days") == 1


@pytest.mark.django_db
def test_the_queue_is_paginated(client_for, record, officer_a):
    SupportRequest.objects.bulk_create(
        SupportRequest(
            member=record,
            kind="sickness",
            description="Ốm",
            happened_on=datetime.date(2020, 3, 5),
            consent_given_at=timezone.now(),
        )
        for _ in range(30)
    )
    client = client_for(officer_a)
    first = client.get(QUEUE, {"status": "open"})
    assert len(_shown(first)) == 25
    assert "status=open&amp;page=2" in first.content.decode()
    assert len(_shown(client.get(QUEUE, {"status": "open", "page": 2}))) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 100])
def test_the_queue_takes_few_queries(
    client_for, officer_a, tree, count, django_assert_max_num_queries
):
    members = [MemberFactory(branch=branch) for branch in (tree.a, tree.a_group)]
    requests = SupportRequest.objects.bulk_create(
        SupportRequest(
            member=members[n % 2],
            kind="sickness",
            description="Ốm",
            happened_on=datetime.date(2020, 3, 5),
            consent_given_at=timezone.now(),
        )
        for n in range(count)
    )
    for support_request in requests[:3]:
        attach(support_request)
    client = client_for(officer_a)
    asked = {"status": "all", "kind": "sickness", "older_than": "0"}
    client.get(QUEUE, asked)  # the first request fills the small caches (site settings)
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE, asked)
    assert response.status_code == 200
    assert len(_shown(response)) == min(count, 25)


# Reviewing a request ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_review_page_shows_the_whole_request(client_for, record, officer_a, document, tree):
    support_request = document.request
    SupportRequest.objects.filter(pk=support_request.pk).update(amount_requested_vnd=2_000_000)
    response = client_for(officer_a).get(review(support_request.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trần Thị Bình" in html and record.card_number in html
    assert tree.a_group.name in html and tree.a.name in html
    assert "Ốm nằm viện" in html and "05/03/2020" in html
    assert "2.000.000\u00a0₫" in html
    assert download(document.pk) in html and "giay-ra-vien.pdf" in html
    assert "Start the review" in html and "Approve" in html and "Reject the request" in html
    assert [row.status for row in response.context["timeline"]] == ["submitted"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_b", "member", "outsider"])
def test_the_review_page_answers_404_outside_the_scope(client_for, record, who, request):
    support_request = make_request(record)
    client = client_for(request.getfixturevalue(who))
    assert client.get(review(support_request.pk)).status_code == 404
    for action in ("xem-xet/", "duyet/", "tu-choi/"):
        assert client.post(review(support_request.pk, action), {"reason": "x"}).status_code == 404
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.SUBMITTED


@pytest.mark.django_db
def test_starting_the_review(client_for, record, officer_a):
    support_request = make_request(record)
    client = client_for(officer_a)
    response = client.post(review(support_request.pk, "xem-xet/"), follow=True)
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.UNDER_REVIEW
    assert "The request is now under review." in messages_of(response)
    assert "Start the review" not in response.content.decode()
    again = client.post(review(support_request.pk, "xem-xet/"), follow=True)
    assert "Only a submitted request can be taken under review." in messages_of(again)


@pytest.mark.django_db
def test_approving_records_the_aid_with_the_default_amount(
    client_for, record, officer_a, program_a, tree
):
    ProgramFactory(branch=tree.b, name="Chương trình của B")  # not offered: not in scope
    support_request = make_request(record)
    client = client_for(officer_a)
    page = client.get(review(support_request.pk))
    assert list(page.context["approve_form"].fields["program"].queryset) == [program_a]
    assert page.context["approve_form"]["amount_vnd"].value() == 1_500_000
    response = client.post(
        review(support_request.pk, "duyet/"),
        {"program": program_a.pk, "amount_vnd": "", "note": "Chúc mau khỏe"},
        follow=True,
    )
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.APPROVED
    aid = support_request.aid_record
    assert (aid.program, aid.member, aid.amount_vnd) == (program_a, record, 1_500_000)
    assert aid.status == AidRecord.Status.APPROVED
    assert support_request.decided_by == officer_a
    assert "The request is approved and the aid recorded." in messages_of(response)
    html = response.content.decode()
    assert "1.500.000\u00a0₫" in html and "Chúc mau khỏe" in html
    assert "Approve and record the aid" not in html


@pytest.mark.django_db
def test_approving_with_a_programme_that_is_not_offered_is_refused(
    client_for, record, officer_a, program_a, tree
):
    closed = ProgramFactory(branch=tree.a, is_open=False)
    of_b = ProgramFactory(branch=tree.b)
    support_request = make_request(record)
    client = client_for(officer_a)
    for program in (closed, of_b):
        response = client.post(
            review(support_request.pk, "duyet/"), {"program": program.pk, "amount_vnd": "1000"}
        )
        assert response.status_code == 200
        errors = response.context["approve_form"].errors["program"]
        assert errors == ["Choose one of the open programmes listed."]
    assert not AidRecord.objects.exists()


@pytest.mark.django_db
def test_the_services_rules_become_messages(client_for, record, officer_a, program_a):
    program_a.cap_per_person_vnd = 1_000_000
    program_a.save()
    support_request = make_request(record)
    response = client_for(officer_a).post(
        review(support_request.pk, "duyet/"),
        {"program": program_a.pk, "amount_vnd": "5.000.000"},
        follow=True,
    )
    assert any("At most 1.000.000" in m for m in messages_of(response))
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.SUBMITTED
    assert not AidRecord.objects.exists()


@pytest.mark.django_db
def test_rejecting_needs_a_reason(client_for, record, officer_a):
    support_request = make_request(record)
    client = client_for(officer_a)
    response = client.post(review(support_request.pk, "tu-choi/"), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["reject_form"].errors["reason"] == ["Give the reason for the refusal."]
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.SUBMITTED
    response = client.post(
        review(support_request.pk, "tu-choi/"), {"reason": "Không thuộc diện hỗ trợ."}, follow=True
    )
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.REJECTED
    assert support_request.decision_reason == "Không thuộc diện hỗ trợ."
    assert "The request is rejected; the member is told." in messages_of(response)


@pytest.mark.django_db
def test_a_decided_request_cannot_be_decided_again(client_for, record, officer_a, program_a):
    support_request = make_request(record)
    client = client_for(officer_a)
    client.post(review(support_request.pk, "duyet/"), {"program": program_a.pk})
    for action, data in (
        ("duyet/", {"program": program_a.pk}),
        ("tu-choi/", {"reason": "Đổi ý"}),
        ("xem-xet/", {}),
    ):
        response = client.post(review(support_request.pk, action), data, follow=True)
        assert any(
            "already been decided" in m or "Only a submitted" in m for m in messages_of(response)
        )
    assert AidRecord.objects.count() == 1
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.APPROVED


@pytest.mark.django_db
def test_the_service_refuses_a_second_decision(record, officer_a, program_a):
    support_request = make_request(record)
    services.reject_request(support_request=support_request, by=officer_a, reason="Không")
    with pytest.raises(ValidationError, match="already been decided"):
        services.approve_request(
            support_request=support_request, by=officer_a, program=program_a, amount_vnd=1
        )


@pytest.mark.django_db
def test_a_withdrawn_request_cannot_be_decided(client_for, member, record, officer_a, program_a):
    support_request = make_request(record)
    client_for(member).post(mine_detail(support_request.pk) + "rut/")
    response = client_for(officer_a).post(
        review(support_request.pk, "duyet/"), {"program": program_a.pk}, follow=True
    )
    assert "This request has already been decided or withdrawn." in messages_of(response)
    assert not AidRecord.objects.exists()


@pytest.mark.django_db
def test_the_pages_render_in_vietnamese(client_for, member, record, officer_a, settings, document):
    settings.LANGUAGE_CODE = "vi"
    support_request = document.request
    assert client_for(member).get(NEW).status_code == 200
    assert client_for(member).get(MINE).status_code == 200
    assert client_for(member).get(mine_detail(support_request.pk)).status_code == 200
    response = client_for(officer_a).get(review(support_request.pk))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert client_for(officer_a).get(QUEUE).status_code == 200


# Two officers approving at once ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_give_one_aid_record(
    record, officer_a, ministry_officer, tree
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    program = ProgramFactory(
        branch=tree.a,  # in both officers' scope
        kind="sickness",
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    support_request = make_request(record)
    barrier = threading.Barrier(2)
    results, failures = [], []

    def approve(officer):
        try:
            barrier.wait(timeout=10)
            results.append(
                services.approve_request(
                    support_request=support_request,
                    by=officer,
                    program=program,
                    amount_vnd=1_000_000,
                )
            )
        except ValidationError as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(user,)) for user in (officer_a, ministry_officer)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 1
    assert len(failures) == 1
    assert "already been decided" in failures[0].messages[0]
    assert AidRecord.objects.count() == 1
    support_request.refresh_from_db()
    assert support_request.aid_record == AidRecord.objects.get()
