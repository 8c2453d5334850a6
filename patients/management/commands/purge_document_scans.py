"""``manage.py purge_document_scans``: delete the document scans past retention (RNIV ID-09). Run it daily."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from patients.services import document_scans_purge


class Command(BaseCommand):
    help = (
        "Supprime les copies numérisées des justificatifs dont l'identité n'a plus d'activité depuis "
        "ID_SCAN_RETENTION_DAYS jours ; garde le justificatif et son type, et journalise la purge (ID-09). "
        "Sans effet quand il n'y a rien à purger : à lancer chaque jour."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help=f"durée de conservation (défaut : {settings.ID_SCAN_RETENTION_DAYS})"
        )
        parser.add_argument("--user", default="", help="compte nommé dans l'historique (défaut : Système)")

    def handle(self, *args, days: int | None, user: str, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days doit être un entier positif.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Utilisateur inconnu : {user}")
        result = document_scans_purge(actor=actor, actor_name=user or "manage.py purge_document_scans", days=days)
        self.stdout.write(f"{result.purged} copie(s) numérisée(s) purgée(s) / {result.purged} scan(s) purged")
