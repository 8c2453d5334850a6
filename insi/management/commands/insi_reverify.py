"""Re-verify through INSi the qualified identities whose last check is too old (RNIV ST-08)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from insi.backends import get_client
from insi.breaker import breaker_message
from insi.reverify import CHANGED, FAILED, SKIPPED, VERIFIED, BatchAlreadyRunning, ReverifyBatch, single_batch
from insi.selectors import patients_due_for_reverification

SERVICE_ACCOUNT = "insi-reverification"


class Command(BaseCommand):
    help = "Re-vérifie par INSi les identités qualifiées dont la dernière vérification est trop ancienne (ST-08)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--actor", help="Identifiant de l'utilisateur enregistré dans l'historique.")
        parser.add_argument("--concurrency", type=int, default=None, help="Appels simultanés au plus.")
        parser.add_argument("--rate", type=float, default=None, help="Appels par seconde au plus (0 : sans limite).")
        parser.add_argument("--limit", type=int, default=None, help="Nombre maximal d'identités à traiter.")
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def _actor(self, username: str | None):
        user_model = get_user_model()
        if username:
            try:
                return user_model.objects.get(username=username)
            except user_model.DoesNotExist as exc:
                raise CommandError(f"Utilisateur inconnu : {username}") from exc
        actor, created = user_model.objects.get_or_create(username=SERVICE_ACCOUNT)
        if created:
            actor.set_unusable_password()
            actor.save(update_fields=["password"])
        return actor

    def handle(self, *args, **options) -> None:
        try:
            with single_batch():
                self._run(options)
        except BatchAlreadyRunning as exc:
            raise CommandError("Une re-vérification est déjà en cours : attendez qu'elle se termine.") from exc

    def _run(self, options: dict) -> None:
        concurrency = options["concurrency"] or settings.INSI_REVERIFY_CONCURRENCY
        rate = settings.INSI_REVERIFY_RATE if options["rate"] is None else options["rate"]
        if concurrency < 1 or rate < 0:
            raise CommandError("--concurrency doit être au moins 1 et --rate positif ou nul.")
        ids = list(patients_due_for_reverification().values_list("pk", flat=True)[: options["limit"]])
        progress = tqdm(
            total=len(ids), unit="identité", mininterval=1.0, disable=options["no_progress"], file=self.stderr._out
        )
        batch = ReverifyBatch(
            actor=self._actor(options["actor"]),
            client=get_client(),
            concurrency=concurrency,
            rate=rate,
            on_progress=lambda _: progress.update(1),
            on_pause=lambda until: self.stderr.write(f"{breaker_message(until)} La re-vérification reprendra seule."),
        )
        interrupted = False
        try:
            batch.run(ids)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            progress.close()
        counts = batch.counts
        summary = (
            f"Bilan : vérifiées {counts[VERIFIED]} · modifiées {counts[CHANGED]} · en échec {counts[FAILED]}"
            f" · déjà à jour {counts[SKIPPED]} (sur {len(ids)} à vérifier)"
        )
        if batch.pauses:
            summary += f" · pauses (INSi indisponible) {batch.pauses}"
        self.stdout.write(summary)
        if interrupted:
            raise CommandError("Interrompu : relancez la commande pour reprendre là où elle s'est arrêtée.")
