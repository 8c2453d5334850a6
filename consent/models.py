"""Professionals, care episodes and their teams, consents, oppositions, emergency accesses, decision log."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from consent.codes import (
    AccessMode,
    AccessPurpose,
    Basis,
    CardType,
    Channel,
    ConsentDecision,
    ConsentPurpose,
    EmergencyMode,
    EpisodeKind,
    GiverCapacity,
    IdentifierKind,
    LegalProtection,
    OppositionKind,
)
from identity_registry.audit_chain import ChainedRecord
from identity_registry.history import audited_history
from identity_registry.inputs import JUSTIFICATION_MAX_LENGTH
from identity_registry.local_time import local_date, local_datetime
from patients.models import Patient

USER = settings.AUTH_USER_MODEL


class Professional(models.Model):
    # RULES PRO-01: stored whole, prefix included (8 + RPPS, 0 + ADELI).
    national_id = models.CharField("identifiant national (RPPS ou ADELI préfixé)", max_length=12, unique=True)
    id_kind = models.CharField("type d'identifiant", max_length=5, choices=IdentifierKind.choices, editable=False)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    profession = models.CharField("profession", max_length=100)
    # RULES PRO-02.
    card_type = models.CharField("type de carte CPx", max_length=3, choices=CardType.choices)
    user = models.OneToOneField(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="professional", verbose_name="compte"
    )
    is_active = models.BooleanField("actif", default=True)

    history = audited_history(
        verbose_name="historique des professionnels",
        verbose_name_plural="historique des professionnels",
    )

    class Meta:
        verbose_name = "professionnel"
        verbose_name_plural = "professionnels"
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.CheckConstraint(condition=Q(card_type__in=CardType.values), name="pro_card_type_valid")]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name} ({self.profession}, {self.card_type})"


class CareEpisode(models.Model):
    """RULES CONS-01: consent is given for one care episode and one care team."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_episodes")
    unit = models.CharField("unité de l'établissement", max_length=100)
    kind = models.CharField("nature", max_length=20, choices=EpisodeKind.choices)
    # RULES CONS-04: a protected adult's guardian or curator consents for them.
    legal_protection = models.CharField(
        "mesure de protection", max_length=20, choices=LegalProtection.choices, default=LegalProtection.NONE
    )
    started_at = models.DateTimeField("début")
    ended_at = models.DateTimeField("fin", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="créé par")

    history = audited_history(
        verbose_name="historique des épisodes de soins",
        verbose_name_plural="historique des épisodes de soins",
    )

    class Meta:
        verbose_name = "épisode de soins"
        verbose_name_plural = "épisodes de soins"
        ordering = ["-started_at", "-id"]
        permissions = [("view_consent_history", "Peut consulter l'historique des consentements et accès DMP")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="episode_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit} · {local_date(self.started_at)}"


class CareTeamMember(models.Model):
    """RULES CONS-03: a professional directly taking part in this patient's care (CSP art. L1110-12)."""

    episode = models.ForeignKey(CareEpisode, on_delete=models.PROTECT, related_name="team")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("rôle dans la prise en charge", max_length=100)
    joined_at = models.DateTimeField("depuis le")
    left_at = models.DateTimeField("jusqu'au", null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="ajouté par")

    history = audited_history(
        verbose_name="historique des équipes de soins",
        verbose_name_plural="historique des équipes de soins",
    )

    class Meta:
        verbose_name = "membre de l'équipe de soins"
        verbose_name_plural = "membres des équipes de soins"
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "professional"], condition=Q(left_at__isnull=True), name="team_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.professional} · {self.role}"


class ConsentRecord(models.Model):
    """RULES CONS-01 to CONS-04: information, consent, refusal or opposition collected for one episode."""

    episode = models.ForeignKey(CareEpisode, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField("objet", max_length=30, choices=ConsentPurpose.choices)
    decision = models.CharField("décision", max_length=10, choices=ConsentDecision.choices)
    professional = models.ForeignKey(
        Professional,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="professionnel désigné",
    )
    # RULES CONS-04: who gave it, and in which capacity.
    given_by_capacity = models.CharField("qualité du déclarant", max_length=30, choices=GiverCapacity.choices)
    given_by_name = models.CharField("nom du déclarant", max_length=200)
    collected_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="recueilli par")
    collected_at = models.DateTimeField("recueilli le")
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="retiré par"
    )

    history = audited_history(
        verbose_name="historique des recueils de consentement",
        verbose_name_plural="historique des recueils de consentement",
    )

    class Meta:
        verbose_name = "recueil de consentement"
        verbose_name_plural = "recueils de consentement"
        ordering = ["-collected_at", "-id"]
        permissions = [("record_consent", "Peut recueillir ou retirer un consentement ou une opposition")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_decision_display()}"


class PatientOpposition(models.Model):
    """RULES CONS-06: a standing opposition, dated and withdrawable."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="dmp_oppositions")
    kind = models.CharField("opposition", max_length=20, choices=OppositionKind.choices)
    expressed_by_capacity = models.CharField("qualité du déclarant", max_length=30, choices=GiverCapacity.choices)
    expressed_by_name = models.CharField("nom du déclarant", max_length=200)
    recorded_at = models.DateTimeField("enregistrée le")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="enregistrée par")
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="retirée par"
    )

    history = audited_history(
        verbose_name="historique des oppositions",
        verbose_name_plural="historique des oppositions",
    )

    class Meta:
        verbose_name = "opposition du patient"
        verbose_name_plural = "oppositions des patients"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind"], condition=Q(withdrawn_at__isnull=True), name="one_opposition_in_force"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class EmergencyAccess(models.Model):
    """RULES CONS-05: an emergency access, with its mandatory justification."""

    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="emergency_accesses")
    episode = models.ForeignKey(CareEpisode, on_delete=models.PROTECT, related_name="emergency_accesses")
    mode = models.CharField("mode", max_length=15, choices=EmergencyMode.choices)
    justification = models.CharField("justification", max_length=JUSTIFICATION_MAX_LENGTH)
    patient_cannot_express = models.BooleanField("le patient est hors d'état d'exprimer sa volonté")
    declared_at = models.DateTimeField("déclaré le")
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="déclaré par")

    history = audited_history(
        verbose_name="historique des accès en urgence",
        verbose_name_plural="historique des accès en urgence",
    )

    class Meta:
        verbose_name = "accès en urgence"
        verbose_name_plural = "accès en urgence"
        ordering = ["-declared_at", "-id"]
        permissions = [("declare_emergency_access", "Peut déclarer un accès en urgence au DMP")]
        constraints = [
            # RULES CONS-05: no emergency access without a written justification.
            models.CheckConstraint(condition=~Q(justification=""), name="emergency_justified"),
            models.CheckConstraint(condition=Q(patient_cannot_express=True), name="emergency_patient_cannot_express"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {local_datetime(self.declared_at)}"


class AppendOnlyQuerySet(models.QuerySet):
    """RULES AUD-01: bulk writes would bypass ``save()``; the log refuses them too."""

    def update(self, **kwargs):
        raise RuntimeError("Le journal des décisions d'accès est en ajout seul.")

    def delete(self):
        raise RuntimeError("Le journal des décisions d'accès est en ajout seul.")


class AccessDecisionLog(ChainedRecord):
    """RULES CONS-08: every DMP access decision, with its inputs and result. Append-only, hash-chained (AUD-01)."""

    decided_at = models.DateTimeField("décidé le")
    at = models.DateTimeField("date d'accès évaluée")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CareEpisode, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("finalité", max_length=15, choices=AccessPurpose.choices)
    access_mode = models.CharField("mode d'accès (TRE_R248)", max_length=15, choices=AccessMode.choices)
    allowed = models.BooleanField("autorisé")
    basis = models.CharField("fondement ou motif", max_length=40, choices=Basis.choices)
    rule = models.CharField("règle", max_length=10)
    message = models.CharField("message", max_length=300)
    inputs = models.JSONField("éléments pris en compte")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "décision d'accès au DMP"
        verbose_name_plural = "journal des décisions d'accès au DMP"
        ordering = ["-decided_at", "-id"]
        permissions = [("request_access_decision", "Peut demander une décision d'accès au DMP")]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} · {local_datetime(self.decided_at)}"

    def save(self, *args, **kwargs) -> None:
        # RULES AUD-01: the log is append-only; a row once written never changes.
        if self.pk is not None:
            raise RuntimeError("Le journal des décisions d'accès est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Le journal des décisions d'accès est en ajout seul.")
