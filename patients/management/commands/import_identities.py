"""Import identities from a legacy system's CSV file: checked like a creation, resumable, on every core."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from patients.bulk_import.runner import (
    DEFAULT_AUTHORITY,
    DEFAULT_AUTHORITY_LABEL,
    ImportFileError,
    count_rows,
    import_file,
)


class Command(BaseCommand):
    help = (
        "Importe des identités depuis un fichier CSV de l'ancien système (colonnes : voir le README). "
        "Les lignes refusées vont dans le fichier des rejets avec la règle et le motif ; une importation "
        "interrompue se relance telle quelle : les lignes déjà importées sont sautées."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FICHIER.csv")
        parser.add_argument("--rejects", metavar="REJETS.csv", help="Fichier des rejets (FICHIER.rejets.csv).")
        parser.add_argument("--authority", default=DEFAULT_AUTHORITY, help="Code de l'autorité de l'ancien système.")
        parser.add_argument(
            "--authority-label", default=DEFAULT_AUTHORITY_LABEL, help="Son libellé s'il faut la créer."
        )
        parser.add_argument("--workers", type=int, default=None, help="Processus de contrôle (défaut : un par cœur).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Lignes écrites par transaction.")
        parser.add_argument(
            "--keep-duplicates",
            action="store_true",
            help="Importer aussi les doublons suspectés (pour les confier ensuite à find_duplicates).",
        )
        parser.add_argument("--user", help="Compte enregistré comme auteur dans l'historique.")
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        rejects = Path(options["rejects"] or path.with_suffix(".rejets.csv"))
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Compte inconnu : {options['user']}")
        with tqdm(total=count_rows(path), unit=" lignes", disable=options["no_progress"]) as bar:
            try:
                summary = import_file(
                    path,
                    actor=actor,
                    rejects=rejects,
                    authority_code=options["authority"],
                    authority_label=options["authority_label"],
                    workers=options["workers"],
                    batch_size=options["batch_size"],
                    keep_duplicates=options["keep_duplicates"],
                    progress=bar.update,
                )
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
        kept = f", dont {summary.duplicates_kept} doublons suspectés" if summary.duplicates_kept else ""
        self.stdout.write(
            f"{summary.read} lignes lues : {summary.imported} identités importées{kept}, "
            f"{summary.rejected} rejetées (voir {rejects}), {summary.skipped} déjà importées. "
            f"{summary.seconds:.1f} s, {summary.rate:.0f} lignes/s (doublons {summary.duplicate_seconds:.1f} s, "
            f"écriture {summary.write_seconds:.1f} s ; rangement de la base (VACUUM ANALYZE) ensuite "
            f"{summary.tidy_seconds:.1f} s)."
        )
