"""What ties an identity to the outside world: identifiers of other systems, and merges (RNIV AUD-05).

Imported at the end of ``patients/models.py`` so Django registers the models with the patients app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from identity_registry.history import audited_history
from identity_registry.inputs import REASON_MAX_LENGTH
from identity_registry.local_time import local_datetime


class IdentifierAuthority(models.Model):
    """An assigning authority: another establishment of the GHT, a legacy system, a laboratory."""

    code = models.SlugField("code", max_length=30, unique=True)
    label = models.CharField("libellé", max_length=200)
    oid = models.CharField("OID", max_length=64, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "autorité d'affectation"
        verbose_name_plural = "autorités d'affectation"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class ExternalIdentifier(models.Model):
    """An identifier given to the patient by another system: (authority, value)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="external_identifiers", verbose_name="identité"
    )
    authority = models.ForeignKey(
        IdentifierAuthority, on_delete=models.PROTECT, related_name="identifiers", verbose_name="autorité"
    )
    value = models.CharField("valeur", max_length=64)
    # Mirrors the identity's is_active, so the database itself keeps one value per authority among the
    # active identities (a condition cannot reach across the foreign key).
    in_force = models.BooleanField("en vigueur", default=True, editable=False)
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    history = audited_history()

    class Meta:
        verbose_name = "identifiant externe"
        verbose_name_plural = "identifiants externes"
        ordering = ["authority__code", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "value"], condition=Q(in_force=True), name="external_identifier_unique_active"
            )
        ]
        indexes = [models.Index(fields=["value"], name="external_identifier_value")]

    def __str__(self) -> str:
        return f"{self.authority.code} : {self.value}"


class MergeRecord(models.Model):
    """One merge of an identity into a survivor, with what moved, so the unmerge restores it exactly."""

    survivor = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="merges_absorbed", verbose_name="identité conservée"
    )
    merged = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="merges_undergone", verbose_name="identité fusionnée"
    )
    reason = models.CharField("motif de la fusion", max_length=REASON_MAX_LENGTH)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="fusionnée par"
    )
    merged_at = models.DateTimeField("fusionnée le")
    # {"patients.IdentityDocument": [ids], "consent.CareEpisode": [ids], ...}: exactly what moved.
    moved = models.JSONField("objets déplacés", default=dict)
    # The fields of each identity the merge changed, as they were before it.
    survivor_before = models.JSONField(default=dict)
    merged_before = models.JSONField(default=dict)
    unmerged_at = models.DateTimeField("défusionnée le", null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="défusionnée par",
    )
    unmerge_reason = models.CharField("motif de la défusion", max_length=REASON_MAX_LENGTH, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "fusion d'identités"
        verbose_name_plural = "fusions d'identités"
        ordering = ["-merged_at", "-id"]
        constraints = [
            # RNIV AUD-05: an identity is merged into one survivor at a time.
            models.UniqueConstraint(
                fields=["merged"], condition=Q(unmerged_at__isnull=True), name="merge_one_in_force"
            ),
            models.CheckConstraint(condition=~Q(survivor=models.F("merged")), name="merge_not_into_itself"),
        ]

    def __str__(self) -> str:
        # Item 11 of issue 8: the title of the journal's page is in Paris time, like its columns.
        return f"Fusion du {local_datetime(self.merged_at)}"
