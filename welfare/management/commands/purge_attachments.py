"""Remove the documents of support requests decided (or withdrawn) more than N years ago.

The request itself, its decision and the aid it led to are kept (they are the union's accounts);
only the personal documents go, file and row, each request in its own transaction. N comes from
``--years`` or the ATTACHMENT_RETENTION_YEARS setting. ``--dry-run`` lists without removing.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from welfare.models import RequestAttachment, SupportRequest


class Command(BaseCommand):
    help = "Remove documents of support requests decided more than N years ago."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, years, dry_run, **options):
        years = settings.ATTACHMENT_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("--years must be at least 1")
        today = timezone.localdate()
        try:
            cutoff_day = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            cutoff_day = today.replace(year=today.year - years, day=28)
        cutoff = timezone.make_aware(datetime.datetime.combine(cutoff_day, datetime.time.min))
        Status = SupportRequest.Status
        old = SupportRequest.objects.filter(
            Q(status__in=[Status.APPROVED, Status.REJECTED], decided_at__lt=cutoff)
            | Q(status=Status.WITHDRAWN, updated_at__lt=cutoff)
        )
        documents = RequestAttachment.objects.filter(request__in=old).order_by("request_id", "pk")
        count = 0
        size = 0
        for document in documents.iterator():
            count += 1
            size += document.size or 0
            self.stdout.write(
                f"{'would remove' if dry_run else 'removing'} #{document.pk} "
                f"(request {document.request_id}): {document.original_name}"
            )
            if not dry_run:
                with transaction.atomic():
                    name = document.file.name
                    storage = document.file.storage
                    document.delete()
                    # The file goes only once the row is gone for good.
                    transaction.on_commit(lambda s=storage, n=name: s.delete(n))
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(
            f"{verb} {count} document(s), {size} bytes, of requests decided before "
            f"{cutoff_day.isoformat()}"
        )
