"""python manage.py backup [--output FILE]: database + media + private media in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="archive path (.tar.gz)")

    def handle(self, *args, output, **options):
        output = output or f"portal-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["database"]["rows"].values())
        files = len(manifest["media"]) + len(manifest["private_media"])
        self.stdout.write(f"{output}: {rows} rows, {files} files")
