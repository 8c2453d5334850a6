"""``manage.py verify_audit``: walk every hash-chained log and report the first broken link (AUD-01)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from identity_registry.audit_chain import ChainedRecord, verify_chain
from patients.retention import anchor_of

REASONS = {
    "prev": ("le lien vers la ligne précédente est rompu", "the link to the previous row is broken"),
    "content": ("le contenu de la ligne a été modifié", "the row's content was changed"),
}


class Command(BaseCommand):
    help = "Vérifie les chaînes d'empreintes des journaux (AUD-01) / Verifies the hash chains of the audit logs."

    def handle(self, *args, **options) -> None:
        broken = []
        for model in apps.get_models():
            if not issubclass(model, ChainedRecord):
                continue
            name_fr, name_en = model._meta.verbose_name_plural, model._meta.label
            count, chain_break = verify_chain(model, anchor=anchor_of(model))
            if chain_break is None:
                self.stdout.write(
                    f"OK {name_fr} : chaîne intacte, {count} ligne(s) / {name_en}: chain intact, {count} row(s)"
                )
                continue
            fr, en = REASONS[chain_break.reason]
            self.stdout.write(
                f"RUPTURE {name_fr} : première rupture à la ligne id={chain_break.pk}, {fr}"
                f" / BROKEN {name_en}: first break at row id={chain_break.pk}, {en}"
            )
            broken.append(name_en)
        if broken:
            raise CommandError(
                "Chaîne d'audit rompue dans : " + ", ".join(broken) + " / Audit chain broken in: " + ", ".join(broken)
            )
