"""``manage.py purge_idempotency_records``: delete the stored API responses past IDEMPOTENCY_RETENTION_HOURS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from patients.services import idempotency_records_purge


class Command(BaseCommand):
    help = (
        "Supprime les clés d'idempotence (et les réponses qu'elles gardent, traits compris) plus anciennes que "
        "IDEMPOTENCY_RETENTION_HOURS heures. À lancer au moins chaque jour."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--hours", type=int, default=None, help=f"délai (défaut : {settings.IDEMPOTENCY_RETENTION_HOURS})"
        )

    def handle(self, *args, hours: int | None, **options) -> None:
        if hours is not None and hours < 1:
            raise CommandError("--hours doit être un entier positif.")
        deleted = idempotency_records_purge(hours=hours)
        self.stdout.write(f"{deleted} clé(s) d'idempotence purgée(s) / {deleted} record(s) purged")
