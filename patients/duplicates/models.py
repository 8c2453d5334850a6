"""Duplicate pairs and the full scan's checkpoint (RNIV ST-11, AUD-05).

Imported at the end of ``patients/models.py`` so Django registers them with the patients app.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from identity_registry.history import audited_history
from identity_registry.inputs import REASON_MAX_LENGTH


class DuplicateCandidate(models.Model):
    """Two identities that may be one person: the pair, its score and explanation, and the decision."""

    class State(models.TextChoices):
        SUSPECTED = "SUSPECTED", "Doublon suspecté"
        CONFIRMED = "CONFIRMED", "Doublon confirmé"
        NOT_DUPLICATE = "NOT_DUPLICATE", "Pas un doublon"

    class Source(models.TextChoices):
        CREATE = "CREATE", "Création d'une identité"
        UPDATE = "UPDATE", "Modification d'un trait strict"
        SCAN = "SCAN", "Recherche complète des doublons"

    # The pair is stored once, lower id first, so (A, B) and (B, A) are the same record.
    patient_low = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="+", verbose_name="identité A"
    )
    patient_high = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="+", verbose_name="identité B"
    )
    state = models.CharField("état", max_length=15, choices=State.choices, default=State.SUSPECTED)
    score = models.FloatField("score")
    match_class = models.CharField("classe", max_length=10, blank=True)
    explanation = models.JSONField("explication", default=dict)
    # Strict traits of both sides when the pair was last scored or decided: a "not a duplicate"
    # decision stands until one of them changes (the sticky rule).
    fingerprint = models.CharField("empreinte des traits stricts", max_length=64)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decision_reason = models.CharField("motif de la décision", max_length=REASON_MAX_LENGTH, blank=True)
    postponed_at = models.DateTimeField("reporté le", null=True, blank=True)
    created_at = models.DateTimeField("détecté le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = audited_history()

    class Meta:
        verbose_name = "doublon potentiel"
        verbose_name_plural = "doublons potentiels"
        ordering = ["-score", "id"]
        permissions = [("decide_duplicate", "Peut statuer sur un doublon potentiel")]
        indexes = [models.Index(fields=["state", "-score"], name="duplicate_state_score")]
        constraints = [
            models.UniqueConstraint(fields=["patient_low", "patient_high"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(patient_low__lt=F("patient_high")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"Doublon potentiel n° {self.pk} ({self.get_state_display()}, score {self.score:.2f})"


class DuplicateScan(models.Model):
    """One run of ``find_duplicates``: where it got to, so an interrupted run resumes there."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last birth-date block fully processed: (year, min(day, month), max(day, month)).
    checkpoint = models.JSONField(null=True, blank=True)
    identities_seen = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Recherche de doublons du {self.started_at:%d/%m/%Y %H:%M}"
