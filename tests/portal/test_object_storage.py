"""Media and private media in S3-compatible object storage (moto's S3 server stands in for MinIO,
Ceph or AWS): public images get plain public addresses, private documents stay private and are
served only through the permission-checked views; backup, restore and purge work on the bucket."""

import datetime
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from portal.storage import s3_storages
from tests.factories import CategoryFactory, MemberFactory, PostFactory
from tests.portal.conftest import restore_in_another_process
from tests.portal.test_settings import assert_one_line_error, run_manage
from tests.welfare.test_requests import PDF_BYTES, attach, form_data, make_request, pdf
from welfare.models import AidReceipt, RequestAttachment, SupportRequest

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8311, 8320)
KEYS = {"access_key": "testing", "secret_key": "testing"}


def _free_port():
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)):
                return port
    pytest.skip("no free port for the S3 server")


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def new_bucket(endpoint):
    name = f"portal-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def keys(endpoint, bucket, prefix=""):
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(entry["Key"] for entry in listed.get("Contents", ()))


def body(endpoint, bucket, key):
    return s3_client(endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()


def anonymous_get(url):
    """The status of a GET without credentials, as a stranger's browser would make it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - test server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


# Private files are kept by FileFields whose storage was picked when the models were loaded.
PRIVATE_FIELDS = [RequestAttachment._meta.get_field("file"), AidReceipt._meta.get_field("file")]


def use_s3(settings, endpoint, **options):
    """Switch the portal's storages to fresh buckets; returns (public bucket, private bucket)."""
    bucket = new_bucket(endpoint)
    private_bucket = new_bucket(endpoint) if options.pop("private_bucket", False) else ""
    public, private, _origins = s3_storages(
        bucket=bucket,
        private_bucket=private_bucket,
        endpoint_url=endpoint,
        region="us-east-1",
        custom_domain=options.pop("custom_domain", ""),
        addressing_style="path",
        use_acl=True,
        **KEYS,
    )
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    for field in PRIVATE_FIELDS:
        field.storage = storages["private"]
    return bucket, private_bucket or bucket


@pytest.fixture(autouse=True)
def private_fields_restored():
    """Tests here point the private FileFields at S3; the rest of the suite gets them back."""
    before = [field.storage for field in PRIVATE_FIELDS]
    yield
    for field, storage in zip(PRIVATE_FIELDS, before, strict=True):
        field.storage = storage


@pytest.fixture
def s3(settings, s3_endpoint):
    """The portal on S3, public and private media in one bucket (private ones under private/)."""
    bucket, _ = use_s3(settings, s3_endpoint)
    return bucket


def jpeg_upload(name="hoi-nghi.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    output = io.BytesIO()
    Image.new("RGB", (1600, 900), "teal").save(output, format="JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


# Public media ------------------------------------------------------------------------------


def _publish_with_cover(client, editor, chief_editor):
    from tests.news.test_admin import post_form

    category = CategoryFactory()
    client.force_login(editor)
    response = client.post(
        "/admin/news/post/add/",
        post_form(category, cover_image=jpeg_upload(), cover_alt="Hội nghị cán bộ"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from news.models import Post

    post = Post.objects.get()
    client.force_login(chief_editor)
    client.post(
        f"/admin/news/post/{post.pk}/change/",
        post_form(category, cover_alt="Hội nghị cán bộ", _publish="1"),
    )
    post.refresh_from_db()
    assert post.is_live
    client.logout()
    return post


@pytest.mark.django_db
def test_an_image_uploaded_in_the_admin_is_public_in_the_bucket(
    client, editor, chief_editor, s3, s3_endpoint
):
    post = _publish_with_cover(client, editor, chief_editor)
    stored = keys(s3_endpoint, s3)
    assert f"media/{post.cover_image.name}" in stored
    jpeg = post.cover_renditions["detail"]["jpeg"]
    assert f"media/{jpeg}" in stored and all(key.startswith("media/") for key in stored)

    html = client.get(post.get_absolute_url()).content.decode()
    address = f"{s3_endpoint}/{s3}/media/{jpeg}"
    assert address in html
    assert "X-Amz-Signature" not in html and "AWSAccessKeyId" not in html
    status, content = anonymous_get(address)
    assert status == 200 and content == body(s3_endpoint, s3, f"media/{jpeg}")


@pytest.mark.django_db
def test_a_custom_domain_serves_public_media(client, editor, chief_editor, settings, s3_endpoint):
    use_s3(settings, s3_endpoint, custom_domain="https://anh.congdoan.example.gov.vn")
    post = _publish_with_cover(client, editor, chief_editor)
    html = client.get(post.get_absolute_url()).content.decode()
    jpeg = post.cover_renditions["detail"]["jpeg"]
    assert f"https://anh.congdoan.example.gov.vn/media/{jpeg}" in html


@pytest.mark.django_db
def test_two_uploads_with_the_same_name_do_not_replace_each_other(s3):
    from django.core.files.base import ContentFile

    storage = storages["default"]
    first = storage.save("news/images/anh.jpg", ContentFile(b"one"))
    second = storage.save("news/images/anh.jpg", ContentFile(b"two"))
    assert first != second
    assert storage.open(first).read() == b"one" and storage.open(second).read() == b"two"


# Private media -----------------------------------------------------------------------------

NEW = "/doan-vien/de-nghi-ho-tro/moi/"


def download(pk):
    return f"/doan-vien/de-nghi-ho-tro/tep/{pk}/"


@pytest.mark.django_db
def test_a_members_document_is_private_in_the_bucket_and_served_only_by_the_portal(
    client_for, client, member, officer_a, officer_b, s3, s3_endpoint
):
    from tests.factories import UserFactory

    response = client_for(member).post(NEW, {**form_data(), "attachments": [pdf()]})
    assert response.status_code == 302
    document = RequestAttachment.objects.get()
    key = f"private/{document.file.name}"
    assert keys(s3_endpoint, s3, "private/") == [key]
    assert body(s3_endpoint, s3, key) == PDF_BYTES

    # No address at all from the portal, and none that works from outside.
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018
    status, _ = anonymous_get(f"{s3_endpoint}/{s3}/{key}")
    assert status == 403
    grants = s3_client(s3_endpoint).get_object_acl(Bucket=s3, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]

    for who in (member, officer_a):
        response = client_for(who).get(download(document.pk))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Length"] == str(len(PDF_BYTES))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="giay-ra-vien.pdf"'
        assert response["Cache-Control"] == "private, no-store"

    stranger = UserFactory(username="nguoi_la_s3")
    MemberFactory(user=stranger, branch=member.member.branch, full_name="Người Lạ")
    for who in (officer_b, stranger):
        assert client_for(who).get(download(document.pk)).status_code == 404
    client.logout()
    assert client.get(download(document.pk)).status_code == 302


@pytest.mark.django_db
def test_a_missing_object_is_a_404_not_an_error(client_for, member, s3, s3_endpoint):
    document = attach(make_request(member.member))
    s3_client(s3_endpoint).delete_object(Bucket=s3, Key=f"private/{document.file.name}")
    assert client_for(member).get(download(document.pk)).status_code == 404


@pytest.mark.django_db
def test_a_private_bucket_of_its_own_holds_the_private_files(settings, member, s3_endpoint):
    bucket, private_bucket = use_s3(settings, s3_endpoint, private_bucket=True)
    document = attach(make_request(member.member))
    assert keys(s3_endpoint, private_bucket) == [f"private/{document.file.name}"]
    assert keys(s3_endpoint, bucket) == []


@pytest.mark.django_db
def test_purge_attachments_deletes_the_objects(
    member, s3, s3_endpoint, django_capture_on_commit_callbacks
):
    old = attach(make_request(member.member))
    kept = attach(make_request(member.member))
    long_ago = timezone.now() - datetime.timedelta(days=6 * 365)
    SupportRequest.objects.filter(pk=old.request_id).update(
        status=SupportRequest.Status.REJECTED,
        decided_at=long_ago,
        updated_at=long_ago,
        decision_reason="Không đủ điều kiện",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_attachments", "--years", "5", stdout=io.StringIO())
    assert keys(s3_endpoint, s3, "private/") == [f"private/{kept.file.name}"]


@pytest.mark.django_db
def test_an_aid_receipt_is_kept_in_the_bucket_and_downloaded_by_its_officer(
    client_for, officer_a, officer_b, tree, s3, s3_endpoint
):
    from tests.factories import ProgramFactory
    from tests.welfare.test_receipts import PDF, upload
    from welfare import services

    (record,) = services.record_aid(
        program=ProgramFactory(branch=tree.a),
        by=officer_a,
        date=datetime.date(2020, 1, 20),
        entries=[services.AidInput(member=MemberFactory(branch=tree.a_group), amount_vnd=1)],
        status="approved",
    )
    client = client_for(officer_a)
    upload(client, record, PDF, "bien-nhan.pdf")
    receipt = AidReceipt.objects.get()
    assert keys(s3_endpoint, s3, "private/") == [f"private/{receipt.file.name}"]
    response = client.get(f"/can-bo/ho-tro/chung-tu/{receipt.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(officer_b).get(f"/can-bo/ho-tro/chung-tu/{receipt.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_pending_import_waits_in_the_private_bucket(client_for, tree, officer_a, s3, s3_endpoint):
    from tests.unions.test_imports import EN, csv_bytes, row
    from tests.unions.test_imports import upload as upload_import

    client = client_for(officer_a)
    response = upload_import(client, csv_bytes(EN, [row("DV9001")]), "doan-vien.csv")
    assert response.status_code == 302
    (pending,) = keys(s3_endpoint, s3, "private/")
    assert pending.startswith("private/imports/")
    preview = client.get(response["Location"])
    assert 'data-count="created">1<' in preview.content.decode()
    assert client.post(response["Location"] + "xac-nhan/").status_code == 302
    assert keys(s3_endpoint, s3, "private/") == []


@pytest.mark.django_db
def test_with_an_x_accel_prefix_nginx_sends_a_checked_file(client_for, member, officer_b, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX = "/_private/"
    document = attach(make_request(member.member), name="Giấy ra viện.pdf")
    response = client_for(member).get(download(document.pk))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{document.file.name}"
    assert "filename*=utf-8''Gi%E1%BA%A5y" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(officer_b).get(download(document.pk)).status_code == 404
    document.file.storage.delete(document.file.name)
    assert client_for(member).get(download(document.pk)).status_code == 404


# Backup and restore ------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="restores into PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_the_buckets(
    tree, tmp_path, s3, s3_endpoint, fresh_database, settings
):
    from django.core.files.base import ContentFile

    member = MemberFactory(branch=tree.a, full_name="Phạm Văn Sao Lưu")
    document = attach(make_request(member))
    PostFactory(title="Bài viết được sao lưu")
    picture = storages["default"].save("news/images/anh.jpg", ContentFile(b"\xff\xd8\xff anh"))

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert f"private_media/{document.file.name}" in names
    assert f"media/{picture}" in names
    assert set(manifest["private_media"]) == {document.file.name}
    assert set(manifest["media"]) == {picture}

    # Restored by another server into empty buckets, configured only by its environment.
    target = new_bucket(s3_endpoint)
    db = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("S3_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{fresh_database}"
        ),
        "S3_BUCKET": target,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": KEYS["access_key"],
        "S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
    }
    stdout = restore_in_another_process(archive, env)
    assert "restored" in stdout and "2 files" in stdout
    assert body(s3_endpoint, target, f"private/{document.file.name}") == PDF_BYTES
    assert body(s3_endpoint, target, f"media/{picture}") == b"\xff\xd8\xff anh"
    status, _ = anonymous_get(f"{s3_endpoint}/{target}/private/{document.file.name}")
    assert status == 403
    assert anonymous_get(f"{s3_endpoint}/{target}/media/{picture}")[0] == 200


# Settings ----------------------------------------------------------------------------------

S3_ENV = {
    "DEBUG": "1",
    "S3_BUCKET": "congdoan-media",
    "S3_ENDPOINT_URL": "https://s3.example.vn",
    "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "secret-example",
}


def settings_of(tmp_path, **environ):
    """STORAGES and the CSP's img-src as a fresh process sees them with ``environ``."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES, "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][3:]]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "DJANGO_", "DEBUG"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        **environ,
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_s3_variables_files_stay_on_disk(tmp_path):
    storages_setting, origins = settings_of(tmp_path, DEBUG="1")
    assert storages_setting["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages_setting["private"] == {"BACKEND": "portal.storage.PrivateStorage"}
    assert origins == []


def test_s3_variables_switch_both_storages(tmp_path):
    storages_setting, origins = settings_of(tmp_path, **S3_ENV)
    public, private = storages_setting["default"], storages_setting["private"]
    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["bucket_name"] == "congdoan-media"
    assert public["OPTIONS"]["location"] == "media"
    assert public["OPTIONS"]["default_acl"] == "public-read"
    assert public["OPTIONS"]["querystring_auth"] is False
    assert public["OPTIONS"]["file_overwrite"] is False
    assert public["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    assert public["OPTIONS"]["addressing_style"] == "path"
    assert private["BACKEND"] == "portal.storage.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "congdoan-media"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["custom_domain"] is None
    assert origins == ["https://s3.example.vn"]


def test_a_private_bucket_and_a_custom_domain(tmp_path):
    storages_setting, origins = settings_of(
        tmp_path,
        **S3_ENV,
        S3_PRIVATE_BUCKET="congdoan-private",
        S3_CUSTOM_DOMAIN="anh.congdoan.example.gov.vn",
        S3_USE_ACL="0",
    )
    public, private = storages_setting["default"], storages_setting["private"]
    assert private["OPTIONS"]["bucket_name"] == "congdoan-private"
    assert private["OPTIONS"]["default_acl"] is None and public["OPTIONS"]["default_acl"] is None
    assert public["OPTIONS"]["custom_domain"] == "anh.congdoan.example.gov.vn"
    assert public["OPTIONS"]["url_protocol"] == "https:"
    assert origins == ["https://anh.congdoan.example.gov.vn"]


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"S3_ENDPOINT_URL": "minio.example.vn:9000"}, "S3_ENDPOINT_URL"),
        ({"S3_SECRET_ACCESS_KEY": ""}, "S3_SECRET_ACCESS_KEY"),
        ({"S3_ACCESS_KEY_ID": "", "S3_SECRET_ACCESS_KEY": ""}, "S3_ACCESS_KEY_ID"),
        ({"S3_ADDRESSING_STYLE": "sideways"}, "S3_ADDRESSING_STYLE"),
        ({"S3_USE_ACL": "0"}, "S3_PRIVATE_BUCKET"),
        ({"S3_CUSTOM_DOMAIN": "ftp://anh.example.vn"}, "S3_CUSTOM_DOMAIN"),
        ({"S3_BUCKET": "", "S3_PRIVATE_BUCKET": "congdoan-private"}, "S3_BUCKET"),
        ({"PRIVATE_MEDIA_X_ACCEL_PREFIX": "/_private/"}, "PRIVATE_MEDIA_X_ACCEL_PREFIX"),
        (
            {"S3_BUCKET": "", "PRIVATE_MEDIA_X_ACCEL_PREFIX": "_private"},
            "PRIVATE_MEDIA_X_ACCEL_PREFIX",
        ),
    ],
)
def test_bad_s3_settings_are_one_clear_line(tmp_path, changes, variable):
    result = run_manage("check", tmp_path=tmp_path, **{**S3_ENV, **changes})
    assert_one_line_error(result, variable)
