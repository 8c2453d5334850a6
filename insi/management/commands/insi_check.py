"""Check the connection to INSi after installing certificates: TLS, authentication, answer, time (issue 14)."""

from django.core.management.base import BaseCommand, CommandError

from insi.connectivity import run_check


class Command(BaseCommand):
    help = (
        "Vérifie la connexion au téléservice INSi par une recherche sur une personne de test : "
        "TLS, authentification, réponse et durée."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--endpoint", help="Point d'accès à vérifier (par défaut INSI_ENDPOINT_URL).")

    def handle(self, *args, **options) -> None:
        report = run_check(options["endpoint"])
        for step in report.steps:
            mark = "OK" if step.ok else "ÉCHEC"
            self.stdout.write(f"{step.name} : {mark} — {step.detail}")
        failed = report.failed
        if failed is not None:
            raise CommandError(f"Échec à l'étape « {failed.name} » : {failed.detail}")
        self.stdout.write("Connexion à INSi vérifiée.")
