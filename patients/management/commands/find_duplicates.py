"""Scan every active identity for duplicates (RNIV ST-11, AUD-05); resumable, with a progress bar."""

import csv
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.scan import scan
from patients.duplicates.services import duplicate_record_scan_pairs
from patients.models import Patient

EXPORT_HEADER = ["identifiant_a", "ipp_a", "identifiant_b", "ipp_b", "score", "classe", "etat"]


class Command(BaseCommand):
    help = (
        "Recherche les doublons potentiels parmi les identités actives. Une recherche interrompue reprend "
        "où elle s'était arrêtée ; --restart repart du début ; --export FICHIER.csv écrit les paires."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--restart", action="store_true", help="Ignorer une recherche interrompue.")
        parser.add_argument("--export", metavar="FICHIER.csv", help="Écrire les paires suspectées dans ce fichier.")
        parser.add_argument("--user", help="Compte enregistré comme auteur dans l'historique.")
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Compte inconnu : {options['user']}")
        total = Patient.objects.filter(is_active=True).count()
        with tqdm(total=total, unit=" identités", disable=options["no_progress"]) as bar:
            run = scan(
                record=lambda pairs: duplicate_record_scan_pairs(actor=actor, pairs=pairs),
                restart=options["restart"],
                progress=bar.update,
            )
        self.stdout.write(
            f"{run.identities_seen} identités parcourues, {run.pairs_found} paires nouvelles ou rouvertes."
        )
        if options["export"]:
            count = export_pairs(Path(options["export"]))
            self.stdout.write(f"{count} paires écrites dans {options['export']}.")


def export_pairs(path: Path) -> int:
    """Write the suspected pairs: public identifier and IPP of each side, score, class, state (no traits).

    Like the worklist, a pair whose side was merged or deactivated is left out (AUD-05).
    """
    pairs = DuplicateCandidate.objects.filter(
        state=DuplicateCandidate.State.SUSPECTED, patient_low__is_active=True, patient_high__is_active=True
    ).values_list(
        "patient_low__public_id",
        "patient_low__ipp",
        "patient_high__public_id",
        "patient_high__ipp",
        "score",
        "match_class",
        "state",
    )
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADER)
        for low, low_ipp, high, high_ipp, score, match_class, state in pairs.order_by("-score", "id").iterator():
            writer.writerow([low, low_ipp, high, high_ipp, f"{score:.4f}", match_class, state])
            count += 1
    return count
