"""One-archive backups: the database (pg_dump, or SQLite's own backup) plus the public and the
private media files, with a manifest of row counts and file checksums; and the way back.

Archive layout (a .tar.gz):
    manifest.json          what is inside: time, database vendor, rows per table, files + sha256
    database.dump          pg_dump --format=custom (PostgreSQL) or database.sqlite3 (SQLite)
    media/...              the "default" storage (MEDIA_ROOT, or the bucket's media/ prefix)
    private_media/...      the "private" storage (PRIVATE_MEDIA_ROOT, or private/ in S3)

Files are read and written through Django's storage API, so local disk and S3-compatible object
storage are backed up alike; each file is read once, hashed as it goes into the archive, so the
manifest is the archive's last member.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _media_storages():
    """Archive folder -> storage, for the public and the private files."""
    return (("media", storages["default"]), ("private_media", storages["private"]))


def _storage_errors():
    """What a storage may raise besides OSError (boto3's errors for S3)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 comes with django-storages[s3]
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return path


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def row_counts():
    """Rows of every table of the project's models (and their m2m tables)."""
    counts = {}
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _walk(storage, folder=""):
    """The names of every file in ``storage`` under ``folder``, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet
        return []
    names = [posixpath.join(folder, name) for name in files]
    for sub in folders:
        names += _walk(storage, posixpath.join(folder, sub))
    return sorted(names)


class _Hashing:
    """Reads through ``handle``, keeping the sha256 of what was read."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _digest(storage, name):
    try:
        with storage.open(name, "rb") as handle:
            reader = _Hashing(handle)
            while reader.read(CHUNK):
                pass
    except FileNotFoundError:
        return None
    return reader.sha256.hexdigest()


def _add_storage(archive, folder, storage):
    """Put every file of ``storage`` in ``archive`` under ``folder``; returns name -> sha256."""
    found = {}
    now = timezone.now().timestamp()
    for name in _walk(storage):
        with storage.open(name, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(0)
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size, info.mtime, info.mode = size, now, 0o644
            reader = _Hashing(handle)
            archive.addfile(info, reader)
        found[name] = reader.sha256.hexdigest()
    return found


def backup(output):
    """Write the archive to ``output``; returns the manifest."""
    db = settings.DATABASES["default"]
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if vendor == "postgresql":
            dump = work / "database.dump"
            result = subprocess.run(  # noqa: S603
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *_pg_args(db),
                    "-f",
                    str(dump),
                    str(db["NAME"]),
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            database_member = "database.dump"
        elif vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(db["NAME"])
            target = sqlite3.connect(dump)
            with target:
                source.backup(target)
            source.close()
            target.close()
            database_member = "database.sqlite3"
        else:
            raise BackupError(f"no backup for the {vendor} database")
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database_member, "rows": row_counts()},
        }
        partial = Path(f"{output}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, database_member)
                for folder, storage in _media_storages():
                    manifest[folder] = _add_storage(archive, folder, storage)
                (work / "manifest.json").write_text(
                    json.dumps(manifest, ensure_ascii=False, indent=2)
                )
                archive.add(work / "manifest.json", "manifest.json")
        except _storage_errors() as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"cannot read the media files: {exc}") from exc
        os.replace(partial, output)  # a half-written archive never has the final name
    return manifest


def _safe_members(archive):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe entry in the archive: {member.name}")
    return archive.getmembers()


def restore(source, *, force=False):
    """Put the database and files of an archive back; the database must be empty unless
    ``force``. Returns the manifest, after checking rows and files against it."""
    db = settings.DATABASES["default"]
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        work = Path(work)
        archive.extractall(work, members=_safe_members(archive))  # noqa: S202 (checked above)
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("unknown archive format")
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"the archive holds a {manifest['database']['vendor']} database, "
                f"this portal uses {vendor}"
            )
        if connection.introspection.table_names() and not force:
            raise BackupError("the database is not empty (use --force to replace it)")
        dump = work / manifest["database"]["file"]
        if vendor == "postgresql":
            result = subprocess.run(  # noqa: S603
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *_pg_args(db),
                    "-d",
                    str(db["NAME"]),
                    str(dump),
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            connection.close()
            source_db = sqlite3.connect(dump)
            target = sqlite3.connect(db["NAME"])
            with target:
                source_db.backup(target)
            source_db.close()
            target.close()
        try:
            for folder, storage in _media_storages():
                _put_folder(work / folder, storage)
        except _storage_errors() as exc:
            raise BackupError(f"cannot write the media files: {exc}") from exc
    connection.close()
    problems = verify(manifest)
    if problems:
        raise BackupError("restored, but it differs from the archive: " + "; ".join(problems))
    return manifest


def verify(manifest):
    """What differs between the running portal and a manifest (empty when they agree)."""
    problems = []
    rows = row_counts()
    for table, count in manifest["database"]["rows"].items():
        if rows.get(table) != count:
            problems.append(f"{table}: {rows.get(table)} rows, expected {count}")
    for folder, storage in _media_storages():
        for name, digest in manifest[folder].items():
            if _digest(storage, name) != digest:
                problems.append(f"{folder}/{name} missing or different")
    return problems


def _put_folder(root, storage):
    """Copy the files under the local folder ``root`` into ``storage`` under the same names,
    replacing files already there."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}")
