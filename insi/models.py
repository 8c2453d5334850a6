"""The INSi call log (INSI-10) and the proposals waiting for a referent's decision (INSI-06, ST-08)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from identity_registry.append_only import AppendOnlyRecord
from identity_registry.history import audited_history
from identity_registry.inputs import JUSTIFICATION_MAX_LENGTH
from identity_registry.local_time import local_datetime
from patients.models import Patient


class InsiCall(AppendOnlyRecord):
    """One call to the teleservice: who, when, which operation, the traits sent, the CR and the INS returned.

    Append-only: never the envelope (INSI-10), never changed after it is written.
    """

    class Operation(models.TextChoices):
        SEARCH_TRAITS = "SEARCH_TRAITS", "Recherche par traits"
        SEARCH_VITALE = "SEARCH_VITALE", "Recherche par carte Vitale"
        VERIFY = "VERIFY", "Vérification de l'INS"

    class Outcome(models.TextChoices):
        MATCH = "MATCH", "Identité concordante"
        NEEDS_DECISION = "NEEDS_DECISION", "Décision d'un référent requise"
        DISCORDANT = "DISCORDANT", "Identité discordante"
        INS_REFUSED = "INS_REFUSED", "Matricule INS renvoyé refusé (TR-10, TR-12)"
        NOT_FOUND = "NOT_FOUND", "Aucune identité trouvée (01)"
        MULTIPLE = "MULTIPLE", "Plusieurs identités trouvées (02)"
        VERIFIED = "VERIFIED", "INS vérifiée à l'identique"
        CHANGED = "CHANGED", "INS modifiée ou introuvable"
        ERROR = "ERROR", "Erreur technique"

    run_id = models.UUIDField("action", default=uuid.uuid4, db_index=True)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="insi_calls", verbose_name="identité")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="utilisateur"
    )
    called_at = models.DateTimeField("appelé le", db_index=True)
    duration_ms = models.PositiveIntegerField("durée (ms)", default=0)
    operation = models.CharField("opération", max_length=20, choices=Operation.choices)
    sent_birth_name = models.CharField("nom de naissance envoyé", max_length=100, blank=True)
    sent_first_name = models.CharField("prénom(s) envoyé(s)", max_length=255, blank=True)
    sent_sex = models.CharField("sexe envoyé", max_length=1, blank=True)
    sent_birth_date = models.CharField("date de naissance envoyée", max_length=10, blank=True)
    sent_birthplace = models.CharField("lieu de naissance envoyé", max_length=5, blank=True)
    sent_birth_rank = models.PositiveSmallIntegerField("rang de naissance envoyé", null=True, blank=True)
    cr = models.CharField("code retour (CR)", max_length=2, blank=True)
    returned_matricule = models.CharField("matricule renvoyé", max_length=15, blank=True)
    returned_oid = models.CharField("OID renvoyé", max_length=32, blank=True)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices)
    rules = models.CharField("règles appliquées", max_length=100, blank=True)
    error_code = models.CharField("code d'erreur", max_length=40, blank=True)
    error_detail = models.CharField("détail de l'erreur", max_length=255, blank=True)
    error_permanent = models.BooleanField("erreur permanente", null=True)
    # Issue 12: a back-office retry (INSI-07, INSI-08) points to the first call of the search it retries.
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name="relance de l'appel",
    )
    retry_kind = models.CharField("relance", max_length=60, blank=True)

    # RNIV AUD-01: who made the call and why, even when the identity did not change (01, 02, discordance, error).
    history = audited_history()

    class Meta:
        verbose_name = "appel INSi"
        verbose_name_plural = "journal des appels INSi"
        ordering = ["-called_at", "-id"]
        permissions = [("query_insi", "Peut interroger le téléservice INSi")]
        indexes = [models.Index(fields=["patient", "-called_at"], name="insicall_patient_recent")]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} du {local_datetime(self.called_at)} · {self.cr or self.outcome}"

    @property
    def retry_label(self) -> str:
        """ "Relance de l'appel du …" for a back-office retry, empty otherwise (issue 12)."""
        if self.retry_of_id is None:
            return ""
        return f"Relance de l'appel du {local_datetime(self.retry_of.called_at)} (n° {self.retry_of_id})"


class InsiProposal(models.Model):
    """An INS returned by INSi that a referent must accept or reject with a justification (INSI-06, ST-08)."""

    class Kind(models.TextChoices):
        RETRIEVAL = "RETRIEVAL", "Récupération à décider (INSI-06)"
        VERIFICATION = "VERIFICATION", "Vérification en échec (ST-08)"
        # Issue 12: INSi returned a concordant identity; the agent compares it with the document, then confirms.
        CONFIRMATION = "CONFIRMATION", "Récupération à confirmer au vu du justificatif"

    class State(models.TextChoices):
        PENDING = "PENDING", "En attente"
        ACCEPTED = "ACCEPTED", "Acceptée"
        REJECTED = "REJECTED", "Rejetée"
        SUPERSEDED = "SUPERSEDED", "Remplacée par un appel plus récent"

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="insi_proposals", verbose_name="identité"
    )
    call = models.ForeignKey(
        InsiCall, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="appel au téléservice INSi"
    )
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.PENDING)
    patient_version = models.PositiveIntegerField("version de l'identité")
    # The identity INSi returned (empty when a verification got no identity back).
    matricule = models.CharField("matricule INS", max_length=15, blank=True)
    oid = models.CharField("OID", max_length=32, blank=True)
    birth_name = models.CharField("nom de naissance", max_length=100, blank=True)
    first_name = models.CharField("premier prénom", max_length=100, blank=True)
    first_names = models.CharField("liste des prénoms", max_length=255, blank=True)
    sex = models.CharField("sexe", max_length=1, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    birthplace_cog = models.CharField("lieu de naissance", max_length=5, blank=True)
    earlier = models.JSONField("INS antérieures", default=list, blank=True)
    differences = models.JSONField("différences", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    justification = models.CharField("justification", max_length=JUSTIFICATION_MAX_LENGTH, blank=True)

    # RNIV AUD-01: the referent's justification is kept whole in the history too.
    history = audited_history()

    class Meta:
        verbose_name = "proposition INSi"
        verbose_name_plural = "propositions INSi à décider"
        ordering = ["-created_at", "-id"]
        permissions = [("decide_insi", "Peut accepter ou rejeter une proposition INSi")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(state="PENDING"), name="insiproposal_one_pending_per_patient"
            ),
            models.CheckConstraint(
                condition=Q(state="PENDING") | Q(decided_at__isnull=False) | Q(state="SUPERSEDED"),
                name="insiproposal_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_state_display()}"


class InsiInstallation(models.Model):
    """The one row naming this installation to INSi: ``ContexteLPS/LPS/Instance``, stable across calls (INSI.md)."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    instance = models.UUIDField("instance du logiciel", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "installation INSi"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="insiinstallation_singleton")]

    def __str__(self) -> str:
        return f"Installation {self.instance}"


class InsiBreaker(models.Model):
    """The circuit breaker's state, one row shared by every process (issue 14 item 12; no cache server)."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    consecutive_failures = models.PositiveIntegerField("échecs transitoires consécutifs", default=0)
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)
    open_until = models.DateTimeField("appels suspendus jusqu'à", null=True, blank=True)

    class Meta:
        verbose_name = "disjoncteur INSi"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="insibreaker_singleton")]

    def __str__(self) -> str:
        return f"Disjoncteur INSi ({self.consecutive_failures} échecs)"
