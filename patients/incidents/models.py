"""Identity incidents and their alerts (RNIV AUD-04).

Imported at the end of ``patients/models.py`` so Django registers the models with the patients app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from identity_registry.append_only import AppendOnlyRecord
from identity_registry.history import audited_history
from identity_registry.inputs import REASON_MAX_LENGTH
from identity_registry.local_time import local_datetime


class IncidentKind(models.TextChoices):
    WRONG_INS = "wrong_ins", "INS erronée (attribuée à une autre personne)"
    HOMONYM = "homonym", "Confusion entre homonymes"
    USURPATION = "usurpation", "Usurpation d'identité"
    OTHER = "other", "Autre erreur d'identité"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clôturé"


class Incident(models.Model):
    """An identity found wrong (AUD-04): since when (the faulty change), why, and until it is closed."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="incidents", verbose_name="identité"
    )
    kind = models.CharField("nature", max_length=20, choices=IncidentKind.choices)
    reason = models.CharField("motif", max_length=REASON_MAX_LENGTH)
    # The version of the identity that made it wrong: every read after it may have spread the error.
    # DO_NOTHING, not PROTECT: history rows are never deleted anyway (AUD-01 triggers), and a delete attempt must
    # meet the trigger's refusal, not a Python-side check that the raw SQL would bypass.
    faulty_change = models.ForeignKey(
        "patients.HistoricalPatient",
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name="modification fautive",
    )
    faulty_change_at = models.DateTimeField("date de la modification fautive")
    status = models.CharField("état", max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="ouvert par"
    )
    opened_at = models.DateTimeField("ouvert le")
    downgraded = models.BooleanField("identité déclassée à l'ouverture", default=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="clôturé par",
    )
    closed_at = models.DateTimeField("clôturé le", null=True, blank=True)
    closing_reason = models.CharField("motif de clôture", max_length=REASON_MAX_LENGTH, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "incident d'identité"
        verbose_name_plural = "incidents d'identité"
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("open_incident", "Peut ouvrir un incident d'identité"),
            ("close_incident", "Peut clôturer un incident d'identité"),
        ]
        constraints = [
            # A closed incident says who closed it, when and why; an open one says none of it.
            models.CheckConstraint(
                condition=Q(status=IncidentStatus.OPEN, closed_at__isnull=True, closing_reason="")
                | (Q(status=IncidentStatus.CLOSED, closed_at__isnull=False) & ~Q(closing_reason="")),
                name="incident_closed_has_reason",
            ),
            models.CheckConstraint(condition=Q(kind__in=IncidentKind.values), name="incident_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Incident n° {self.pk} · {self.get_kind_display()} · {self.get_status_display()}"


class IncidentAlert(AppendOnlyRecord):
    """One alert about an incident to one account that read the wrong identity (AUD-04): sent or not, and why."""

    class Channel(models.TextChoices):
        MAIL = "mail", "Courriel"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="alerts", verbose_name="incident")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="destinataire"
    )
    address = models.EmailField("adresse", blank=True)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices, default=Channel.MAIL)
    sent = models.BooleanField("envoyée")
    # Why an alert was not sent: no address, or the mail server's refusal (never the message's content).
    failure = models.CharField("échec", max_length=255, blank=True)
    recorded_at = models.DateTimeField("le")

    class Meta:
        verbose_name = "alerte d'incident"
        verbose_name_plural = "alertes d'incident"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        state = "envoyée" if self.sent else "non envoyée"
        return f"Alerte {state} · incident n° {self.incident_id} · {local_datetime(self.recorded_at)}"
