"""python manage.py restore FILE [--force]: put a backup archive back and check it."""

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive made by `backup` into this portal's database and media."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = restore(archive, force=force)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["database"]["rows"].values())
        files = len(manifest["media"]) + len(manifest["private_media"])
        self.stdout.write(f"restored {rows} rows and {files} files; checked against the manifest")
