"""backup and restore: one archive with the database and both media folders; restored into a fresh
database, every row and every file is found again."""

import io
import os
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import MemberFactory, PostFactory
from tests.portal.conftest import restore_in_another_process
from tests.welfare.test_requests import PDF_BYTES, attach, make_request

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the archive test restores into PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    tree, tmp_path, fresh_database
):
    member = MemberFactory(branch=tree.a, full_name="Phạm Văn Sao Lưu", card_number="SL-1")
    document = attach(make_request(member))
    PostFactory(title="Bài viết được sao lưu")
    media_file = Path(settings.MEDIA_ROOT) / "posts" / "anh.jpg"
    media_file.parent.mkdir(parents=True, exist_ok=True)
    media_file.write_bytes(b"\xff\xd8\xff anh")

    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert archive.exists() and "rows" in out.getvalue()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and "database.dump" in names
    assert any(name.startswith("private_media/requests/") for name in names)

    db = settings.DATABASES["default"]
    restored_media = tmp_path / "m2"
    restored_private = tmp_path / "p2"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{fresh_database}"
        ),
        "MEDIA_ROOT": str(restored_media),
        "PRIVATE_MEDIA_ROOT": str(restored_private),
    }
    stdout = restore_in_another_process(archive, env)
    assert "checked against the manifest" in stdout

    with (
        psycopg2.connect(
            dbname=fresh_database,
            user=db["USER"],
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
        ) as restored,
        restored.cursor() as cursor,
    ):
        cursor.execute("SELECT full_name FROM unions_member WHERE full_name LIKE 'Phạm Văn Sao%%'")
        assert cursor.fetchone() == ("Phạm Văn Sao Lưu",)
        cursor.execute("SELECT title FROM news_post")
        assert ("Bài viết được sao lưu",) in cursor.fetchall()
    restored.close()
    assert (restored_private / document.file.name).read_bytes() == PDF_BYTES
    assert (restored_media / "posts" / "anh.jpg").read_bytes() == b"\xff\xd8\xff anh"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tree, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())


@pytest.mark.django_db
def test_restore_refuses_an_archive_that_would_write_outside(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        info = tarfile.TarInfo("../../etc/owned")
        data = b"x"
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore", str(evil), "--force", stdout=io.StringIO())
