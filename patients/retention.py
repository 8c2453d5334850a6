"""Retention purges (RNIV AUD-01): the one authorised deletion from a protected table, itself logged.

History tables and logs are append-only: PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE. A purge
lifts the DELETE refusal of one table for one statement, deletes the rows older than a cut-off, and
appends a ``RetentionPurge`` row saying who purged what, why, and where a hash chain now starts.
"""

from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from identity_registry.append_only import is_append_only, retention_exception
from identity_registry.audit_chain import ChainedRecord, chain_insert
from patients.records import RetentionPurge

# The date that dates a row of each log; history tables use simple-history's ``history_date``.
DATE_FIELDS = {
    "patients.PatientAccess": "accessed_at",
    "insi.InsiCall": "called_at",
    "consent.AccessDecisionLog": "decided_at",
}


class PurgeRefused(ValueError):
    """The table is not a protected table with a known date, or the request is incomplete."""


def date_field_of(model: type[models.Model]) -> str:
    if model._meta.label in DATE_FIELDS:
        return DATE_FIELDS[model._meta.label]
    if any(field.name == "history_date" for field in model._meta.concrete_fields):
        return "history_date"
    raise PurgeRefused(f"Aucune date de rétention connue pour {model._meta.label}.")


def anchor_of(model: type[models.Model]) -> str:
    """Digest of the last row purged from ``model``: the start of its chain for ``verify_audit``."""
    return (
        RetentionPurge.objects.filter(table=model._meta.label)
        .order_by("-pk")
        .values_list("anchor_digest", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def retention_purge(*, model: type[models.Model], before: datetime, actor: str, reason: str) -> RetentionPurge:
    """Delete the rows of ``model`` dated before ``before`` and log the purge (AUD-01 retention exception)."""
    if model is RetentionPurge or not is_append_only(model):
        raise PurgeRefused(f"{model._meta.label} n'est pas un journal purgeable.")
    if not reason.strip() or not actor.strip():
        raise PurgeRefused("Une purge exige un auteur et un motif.")
    date_field = date_field_of(model)
    rows = model._base_manager.filter(**{f"{date_field}__lt": before})
    # A chain is cut at its start only: delete up to the last old row, so the rest still chains.
    last = rows.order_by("-pk").values("pk", *(["digest"] if issubclass(model, ChainedRecord) else [])).first()
    deleted, anchor = 0, anchor_of(model)
    if last is not None:
        with retention_exception(model):
            deleted, _ = models.QuerySet(model).filter(pk__lte=last["pk"]).delete()
        anchor = last.get("digest", anchor)
    (purge,) = chain_insert(
        RetentionPurge,
        [
            RetentionPurge(
                purged_at=timezone.now(),
                table=model._meta.label,
                before=before,
                rows_deleted=deleted,
                anchor_digest=anchor,
                actor=actor,
                reason=reason,
            )
        ],
    )
    return purge
