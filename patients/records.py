"""Operational records kept beside the identities: API access log (AUD-03) and idempotency keys.

Imported at the end of ``patients/models.py`` so Django registers them with the patients app.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone

from identity_registry.append_only import AppendOnlyRecord
from identity_registry.audit_chain import ChainedRecord
from identity_registry.inputs import REASON_MAX_LENGTH
from identity_registry.local_time import local_datetime

# AUD-01 chain in the database (issue 10): one writer at a time (advisory lock, held until commit), the id
# taken under the lock so that id order is chain order, then the digest of identity_registry.audit_chain:
# SHA-256 of the previous digest and the row's canonical JSON (keys sorted, UTC microseconds), which
# verify_audit recomputes in Python. A row earlier in the same INSERT is seen by the next row's trigger.
ACCESS_CHAIN_FUNC = """
PERFORM pg_advisory_xact_lock(hashtext('audit_chain:' || TG_TABLE_NAME));
NEW.id := nextval(pg_get_serial_sequence(TG_TABLE_NAME, 'id'));
SELECT digest INTO prev FROM patients_patientaccess ORDER BY id DESC LIMIT 1;
NEW.prev_digest := COALESCE(prev, '');
NEW.digest := encode(sha256(convert_to(NEW.prev_digest
    || '{"accessed_at":' || to_json(to_char(NEW.accessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
    || '+00:00')::text || ',"action":' || to_json(NEW.action)::text || ',"channel":' || to_json(NEW.channel)::text
    || ',"patient_id":' || NEW.patient_id::text || ',"user_id":' || NEW.user_id::text || '}', 'UTF8')), 'hex');
RETURN NEW;
"""


class PatientAccess(ChainedRecord):
    """One read of an identity: who and when (RNIV AUD-03), so AUD-04 can list who saw a wrong identity.

    Append-only and hash-chained (AUD-01): written only through ``patients.audit.patient_record_access``.
    On PostgreSQL the chain is computed by the ``chain`` trigger below (issue 10), so one autocommit
    INSERT of a whole result page is the only statement a read writes.
    """

    class Channel(models.TextChoices):
        API = "api", "API"
        SCREEN = "screen", "Écran"

    class Action(models.TextChoices):
        RETRIEVE = "retrieve", "Consultation"
        SEARCH = "search", "Résultat de recherche"
        HISTORY = "history", "Consultation de l'historique"
        # RNIV AUD-02: an export of the auditor's timeline is itself an access.
        EXPORT = "export", "Export de la chronologie"
        # RNIV DM-01: printing a label or serving the Datamatrix INS hands the identity out.
        PRINT = "print", "Impression (étiquette, Datamatrix INS)"
        # RNIV ID-09: every view of a document scan.
        SCAN = "scan", "Consultation de la copie numérisée d'un justificatif"

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="utilisateur"
    )
    # Set before the insert (not auto_now_add): the hash chain covers it (AUD-01).
    accessed_at = models.DateTimeField("consultée le", default=timezone.now, db_index=True)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    action = models.CharField("action", max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = "accès à une identité"
        verbose_name_plural = "journal des accès aux identités"
        ordering = ["-accessed_at", "-id"]
        indexes = [models.Index(fields=["patient", "accessed_at"], name="patient_access_patient_at")]
        triggers = [
            pgtrigger.Trigger(
                name="chain",
                level=pgtrigger.Row,
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                declare=[("prev", "text")],
                func=ACCESS_CHAIN_FUNC,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.get_channel_display()}) le {local_datetime(self.accessed_at)}"


class IdempotencyRecord(models.Model):
    """The first response to a request carrying an ``Idempotency-Key``, replayed to its retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # What the key was first used for: a retry with another body is refused, not replayed.
    scope = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=64)
    # Empty until the first request commits; a twin waits on the unique index until then.
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "clé d'idempotence"
        verbose_name_plural = "clés d'idempotence"
        constraints = [
            # The race between two concurrent retries is settled by this constraint, not by a read.
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} ({local_datetime(self.created_at)})"


class RetentionPurge(ChainedRecord):
    """One retention purge of a protected table (AUD-01): the only deletion the triggers let through."""

    purged_at = models.DateTimeField("purgé le", default=timezone.now)
    table = models.CharField("journal", max_length=100)
    before = models.DateTimeField("lignes antérieures au")
    rows_deleted = models.PositiveIntegerField("lignes supprimées")
    # Digest of the last purged row: where the chain of a chained log now starts (verify_audit).
    anchor_digest = models.CharField("empreinte d'ancrage", max_length=64, blank=True, default="")
    actor = models.CharField("lancée par", max_length=150)
    reason = models.CharField("motif", max_length=REASON_MAX_LENGTH)

    class Meta:
        verbose_name = "purge de rétention"
        verbose_name_plural = "journal des purges de rétention"
        ordering = ["-purged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.table} · {self.rows_deleted} ligne(s) · {local_datetime(self.purged_at)}"


class DocumentDeclined(AppendOnlyRecord):
    """The person declined to show an identity document (RNIV ST-10): cared for, but not validated.

    Append-only (AUD-01); written only through ``patients.services.identity_record_document_declined``, which
    also leaves a row in the identity's history. It never raises the status.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="documents_declined")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="enregistré par"
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    reason = models.CharField("commentaire", max_length=REASON_MAX_LENGTH, blank=True, default="")

    class Meta:
        verbose_name = "refus de présentation d'un justificatif"
        verbose_name_plural = "refus de présentation d'un justificatif"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Refus de présenter un justificatif le {local_datetime(self.recorded_at)}"
