"""The identity aggregate: Patient, its identity documents and its INS history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from identity_registry.history import audited_history
from identity_registry.inputs import ADDRESS_MAX_LENGTH, DOCUMENT_NUMBER_MAX_LENGTH, REASON_MAX_LENGTH
from identity_registry.local_time import local_date
from patients.documents import DOCUMENT_CONTEXT_LABELS, DOCUMENT_TYPE_LABELS, DocumentContext
from patients.ins import INS_OIDS
from patients.scan_storage import random_scan_name, scan_storage
from patients.status import STATUS_LABELS, Attribute, Status

STATUS_CHOICES = [(code.value, f"{code.value} · {label}") for code, label in STATUS_LABELS.items()]
OID_CHOICES = [(oid, kind) for oid, kind in INS_OIDS.items()]


class Sex(models.TextChoices):
    M = "M", "Masculin"
    F = "F", "Féminin"
    # RNIV TR-01: unknown sex is only for a provisional identity and is never sent to INSi.
    U = "U", "Inconnu"


class CollectionMethod(models.TextChoices):
    SM = "SM", "Saisie manuelle"
    CV = "CV", "Carte Vitale"
    INSI = "INSI", "Téléservice INSi"
    CB = "CB", "Code-barres ou Datamatrix"
    RFID = "RFID", "RFID"
    AV = "AV", "Application carte Vitale"


def _status_is(status: Status, *, i: bool, c: bool) -> Q:
    return Q(status=status, ins_verified=i, document_checked=c)


# RNIV ST-01, ST-03: the stored status is exactly the one derived from I, C and the attributes.
STATUS_MATCHES_FACTS = (Q(doubtful=True) | Q(fictitious=True)) & Q(status=Status.PROV) | (
    Q(doubtful=False, fictitious=False)
    & (
        _status_is(Status.PROV, i=False, c=False)
        | _status_is(Status.RECUP, i=True, c=False)
        | _status_is(Status.VALI, i=False, c=True)
        | _status_is(Status.QUAL, i=True, c=True)
    )
)


class Patient(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    # The IPP: the registry's permanent local number, from a sequence, with a Luhn key (patients/ipp.py).
    ipp = models.CharField("IPP", max_length=20, unique=True, editable=False)

    # RNIV TR-01: strict traits, stored normalised (TR-03).
    birth_name = models.CharField("nom de naissance", max_length=100)
    first_name = models.CharField("premier prénom de naissance", max_length=100)
    first_names = models.CharField("liste des prénoms de naissance", max_length=255)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance")
    # RNIV TR-07: which part of the birth date was estimated.
    birth_day_estimated = models.BooleanField("jour estimé", default=False)
    birth_month_estimated = models.BooleanField("mois estimé", default=False)
    birth_year_estimated = models.BooleanField("année estimée", default=False)
    birthplace_cog = models.CharField("lieu de naissance (COG)", max_length=5, blank=True)

    # RNIV TR-02: additional traits; they never change the status.
    used_name = models.CharField("nom utilisé", max_length=100, blank=True)
    used_first_name = models.CharField("prénom utilisé", max_length=100, blank=True)
    address = models.CharField("adresse", max_length=ADDRESS_MAX_LENGTH, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)

    # RNIV TR-09: the used name stands in for a birth name missing from a foreign document.
    to_regularise = models.BooleanField("à régulariser", default=False)
    collection_method = models.CharField(
        "mode de recueil", max_length=4, choices=CollectionMethod.choices, default=CollectionMethod.SM
    )

    # The INS (TR-10, TR-11): filled only by the INSi services, never by hand.
    ins_matricule = models.CharField("matricule INS", max_length=15, null=True, blank=True)
    ins_oid = models.CharField("OID de l'INS", max_length=32, choices=OID_CHOICES, null=True, blank=True)
    # RNIV DM-01: an INS read from a Datamatrix at creation. Never I by itself: it only serves to check the
    # INS that INSi returns later (TR-11: the INS itself is only ever recorded by the INSi services).
    ins_read_matricule = models.CharField("INS lue sur un Datamatrix (non vérifiée)", max_length=15, blank=True)
    ins_read_oid = models.CharField("OID de l'INS lue", max_length=32, choices=OID_CHOICES, blank=True)

    # RNIV ST-01: the two facts the status is derived from.
    ins_verified = models.BooleanField("INS récupérée ou vérifiée (I)", default=False)
    ins_verified_at = models.DateTimeField("dernière vérification INSi réussie", null=True, blank=True)
    document_checked = models.BooleanField("justificatif à haut niveau de confiance contrôlé (C)", default=False)
    document_checked_at = models.DateTimeField("date du contrôle du justificatif", null=True, blank=True)

    # RNIV ST-02: attributes.
    doubtful = models.BooleanField("identité douteuse (DOUT)", default=False)
    fictitious = models.BooleanField("identité fictive (FICT)", default=False)
    homonym_detected = models.BooleanField("homonyme détecté (HOMD)", default=False)
    homonym_confirmed = models.BooleanField("homonyme avéré (HOMA)", default=False)

    status = models.CharField("statut", max_length=5, choices=STATUS_CHOICES, default=Status.PROV, editable=False)
    is_active = models.BooleanField("active", default=True)
    # RNIV AUD-05: a merged identity is inactive and points to the identity it was merged into.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="absorbed",
        verbose_name="fusionnée dans",
    )

    # RNIV TR-05: search keys, free of case, diacritics, hyphens, apostrophes and spaces.
    birth_name_key = models.CharField(max_length=100, editable=False, default="")
    used_name_key = models.CharField(max_length=100, editable=False, default="")
    first_names_key = models.CharField(max_length=500, editable=False, default="")

    # Optimistic concurrency: the API's ETag.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = audited_history(excluded_fields=["birth_name_key", "used_name_key", "first_names_key"])

    class Meta:
        verbose_name = "identité patient"
        verbose_name_plural = "identités patients"
        ordering = ["birth_name", "first_name", "birth_date", "id"]
        permissions = [
            ("set_attribute", "Peut poser ou retirer un attribut d'identité"),
            ("downgrade_identity", "Peut déclasser une identité"),
            ("view_identity_history", "Peut consulter l'historique des identités"),
            ("merge_identity", "Peut fusionner et défusionner des identités"),
            ("view_timeline", "Peut consulter et exporter la chronologie d'une identité"),
        ]
        indexes = [
            # Issue 10: equality and prefix (LIKE 'KEY%') on a key, with or without the birth date, whatever the
            # database's collation (pattern operator class). The INS is served by patient_unique_active_ins.
            # The search box's anchors (patients/search/selectors.py) read the other keys from the index
            # itself (INCLUDE, PostgreSQL): an index-only scan, no heap page per look-alike.
            models.Index(
                fields=["birth_name_key", "birth_date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                include=["used_name_key", "first_names_key", "is_active", "id"],
                name="patient_birthname_prefix_date",
            ),
            models.Index(
                fields=["used_name_key", "birth_date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                include=["birth_name_key", "first_names_key", "is_active", "id"],
                name="patient_usedname_prefix_date",
            ),
            # The first first name typed exactly (key = 'JEAN' or LIKE 'JEAN|%').
            models.Index(
                fields=["first_names_key"],
                opclasses=["varchar_pattern_ops"],
                include=["birth_name_key", "used_name_key", "is_active", "id"],
                name="patient_firstnames_prefix",
            ),
            models.Index(fields=["status"], name="patient_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=STATUS_MATCHES_FACTS, name="patient_status_matches_facts"),
            # RNIV ST-01: RECUP or QUAL (I) needs the INS and its OID.
            models.CheckConstraint(
                condition=Q(ins_verified=False) | (Q(ins_matricule__isnull=False) & Q(ins_oid__isnull=False)),
                name="patient_ins_present_when_verified",
            ),
            # RNIV ST-02: DOUT and FICT cannot both be set.
            models.CheckConstraint(condition=~Q(doubtful=True, fictitious=True), name="patient_not_dout_and_fict"),
            # RNIV ST-03: DOUT or FICT imply PROV.
            models.CheckConstraint(
                condition=Q(doubtful=False, fictitious=False) | Q(status=Status.PROV),
                name="patient_dout_fict_provisional",
            ),
            # RNIV TR-01: sex U only for a provisional identity.
            models.CheckConstraint(condition=~Q(sex=Sex.U) | Q(status=Status.PROV), name="patient_sex_u_provisional"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="patient_sex_valid"),
            # RNIV AUD-05: only an inactive identity can point to the identity it was merged into.
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(is_active=False), name="patient_merged_is_inactive"
            ),
            # RNIV ST-11: two active identities never carry the same INS.
            models.UniqueConstraint(
                fields=["ins_matricule", "ins_oid"],
                condition=Q(is_active=True, ins_matricule__isnull=False),
                name="patient_unique_active_ins",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.birth_name} {self.first_name} ({self.birth_date:%d/%m/%Y}) · IPP {self.ipp} · {self.status}"

    @property
    def attributes(self) -> set[Attribute]:
        flags = {
            Attribute.DOUT: self.doubtful,
            Attribute.FICT: self.fictitious,
            Attribute.HOMD: self.homonym_detected,
            Attribute.HOMA: self.homonym_confirmed,
        }
        return {attr for attr, on in flags.items() if on}

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def strict_traits_locked(self) -> bool:
        """RNIV ST-05: once the INS is retrieved, the strict traits are INSi's and locked."""
        return self.ins_verified


class IdentityDocument(models.Model):
    """The evidence that an agent checked an identity document (RNIV ID-01 to ID-08)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="documents")
    document_type = models.CharField(
        "type de justificatif", max_length=20, choices=[(k.value, v) for k, v in DOCUMENT_TYPE_LABELS.items()]
    )
    issuing_country = models.CharField("pays émetteur (ISO 3166)", max_length=2)
    is_copy = models.BooleanField("copie", default=False)
    context = models.CharField(
        "contexte",
        max_length=40,
        choices=[(k.value, v) for k, v in DOCUMENT_CONTEXT_LABELS.items()],
        default=DocumentContext.STANDARD,
    )
    # Normalised by the service: upper case, no spaces or hyphens; empty when not read.
    document_number = models.CharField(
        "numéro du justificatif", max_length=DOCUMENT_NUMBER_MAX_LENGTH, blank=True, default=""
    )
    expires_on = models.DateField("date d'expiration", null=True, blank=True)
    # The agent compared every strict trait with the document (required for a high-trust one).
    traits_confirmed = models.BooleanField("traits conformes au justificatif", null=True, blank=True)
    # The identity's version the check was made against: the same document is never recorded twice against
    # the same state of the identity (constraint below; the service applies the fuller rule).
    identity_version = models.PositiveIntegerField("version de l'identité contrôlée", null=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="contrôlé par"
    )
    checked_at = models.DateTimeField("contrôlé le")
    can_validate = models.BooleanField("permet de valider l'identité")
    rule = models.CharField("règle appliquée", max_length=10)
    refusal_reason = models.CharField("motif du refus", max_length=REASON_MAX_LENGTH, blank=True)
    # RNIV ID-09: optional scan, purged after the retention period.
    # Stored in PRIVATE_MEDIA_ROOT under a random name, never served from a public URL.
    scan = models.FileField(
        "copie numérisée", upload_to=random_scan_name, storage=scan_storage, max_length=200, blank=True
    )
    scan_purged_at = models.DateTimeField("copie purgée le", null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "justificatif d'identité"
        verbose_name_plural = "justificatifs d'identité"
        ordering = ["-checked_at"]
        constraints = [
            # RNIV ID-01: the same document is not recorded twice against the same state of the identity.
            models.UniqueConstraint(
                fields=["patient", "document_type", "issuing_country", "document_number", "identity_version"],
                name="identity_document_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} ({self.issuing_country}) du {local_date(self.checked_at)}"


class InsHistoryEntry(models.Model):
    """An earlier matricule INS of the patient, as returned by INSi (INSHISTO) or withdrawn (INSI-09)."""

    class Source(models.TextChoices):
        INSI_HISTORY = "INSHISTO", "Historique renvoyé par INSi"
        REPLACED = "REPLACED", "INS remplacée"
        WITHDRAWN = "WITHDRAWN", "INS retirée (déclassement)"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="ins_history")
    matricule = models.CharField("matricule INS", max_length=15)
    oid = models.CharField("OID", max_length=32, choices=OID_CHOICES)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    valid_from = models.DateField("début de validité", null=True, blank=True)
    valid_until = models.DateField("fin de validité", null=True, blank=True)
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    history = audited_history()

    class Meta:
        verbose_name = "INS antérieure"
        verbose_name_plural = "historique des INS"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "matricule", "oid"], name="ins_history_unique_per_patient")
        ]

    def __str__(self) -> str:
        return f"INS antérieure ({self.get_source_display()})"


from patients.api_tokens import ApiTokenState  # noqa: E402, F401
from patients.counters import Counter  # noqa: E402, F401 - registers the models
from patients.duplicates.models import DuplicateCandidate, DuplicateScan  # noqa: E402, F401
from patients.events import PatientEvent  # noqa: E402, F401
from patients.incidents.models import Incident, IncidentAlert  # noqa: E402, F401
from patients.links import ExternalIdentifier, IdentifierAuthority, MergeRecord  # noqa: E402, F401
from patients.records import DocumentDeclined, IdempotencyRecord, PatientAccess, RetentionPurge  # noqa: E402, F401
