"""``manage.py purge_audit_log``: the authorised retention purge of one protected table, itself logged (AUD-01)."""

from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from patients.retention import PurgeRefused, retention_purge


class Command(BaseCommand):
    help = (
        "Purge les lignes d'un journal protégé plus anciennes que la durée de rétention, et journalise la purge "
        "(AUD-01). Exemple : purge_audit_log patients.PatientAccess --older-than-days 3650 --reason '...'"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("table", help="app_label.Model, e.g. patients.PatientAccess")
        parser.add_argument("--older-than-days", type=int, required=True)
        parser.add_argument("--reason", required=True, help="motif de la purge (obligatoire)")
        parser.add_argument("--actor", default="manage.py purge_audit_log", help="qui lance la purge")

    def handle(self, *args, table: str, older_than_days: int, reason: str, actor: str, **options) -> None:
        if older_than_days < 1:
            raise CommandError("--older-than-days doit être un entier positif.")
        try:
            model = apps.get_model(table)
        except (LookupError, ValueError) as error:
            raise CommandError(f"Table inconnue : {table}") from error
        try:
            purge = retention_purge(
                model=model, before=timezone.now() - timedelta(days=older_than_days), actor=actor, reason=reason
            )
        except PurgeRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{purge.rows_deleted} ligne(s) purgée(s) de {table} / {purge.rows_deleted} row(s) purged")
