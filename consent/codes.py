"""Codes of the consent domain (RULES CONS, PRO; access modes from INTEROP TRE_R248). Pure: no queries."""

from django.db import models


class CardType(models.TextChoices):
    """RULES PRO-02: the four CPx card types."""

    CPS = "CPS", "CPS · professionnel de santé"
    CPF = "CPF", "CPF · professionnel en formation"
    CPE = "CPE", "CPE · personnel d'établissement"
    CDE = "CDE", "CDE · directeur d'établissement"


class IdentifierKind(models.TextChoices):
    """RULES PRO-01: the national identifier is an RPPS (prefix 8) or an ADELI (prefix 0)."""

    RPPS = "RPPS", "RPPS"
    ADELI = "ADELI", "ADELI"


class EpisodeKind(models.TextChoices):
    PRE_ADMISSION = "pre_admission", "Préadmission"
    CONSULTATION = "consultation", "Consultation"
    HOSPITALISATION = "hospitalisation", "Hospitalisation"
    EMERGENCY = "emergency", "Urgences"


class ConsentPurpose(models.TextChoices):
    """RULES CONS-02, CONS-03: what a consent record is about."""

    FEEDING_INFORMATION = "dmp_feeding_information", "Information sur l'alimentation du DMP"
    FEEDING_OPPOSITION = "dmp_feeding_opposition", "Opposition à l'alimentation du DMP"
    CONSULTATION = "dmp_consultation", "Consentement à la consultation du DMP"
    DELEGATION = "delegation", "Consultation par un autre professionnel désigné"


class ConsentDecision(models.TextChoices):
    INFORMED = "informed", "Informé"
    GIVEN = "given", "Consentement donné"
    REFUSED = "refused", "Refus"
    OPPOSED = "opposed", "Opposition"


# Which decisions make sense for which purpose; anything else is refused as input.
ALLOWED_DECISIONS: dict[str, tuple[str, ...]] = {
    ConsentPurpose.FEEDING_INFORMATION: (ConsentDecision.INFORMED,),
    ConsentPurpose.FEEDING_OPPOSITION: (ConsentDecision.OPPOSED,),
    ConsentPurpose.CONSULTATION: (ConsentDecision.INFORMED, ConsentDecision.GIVEN, ConsentDecision.REFUSED),
    ConsentPurpose.DELEGATION: (ConsentDecision.GIVEN, ConsentDecision.REFUSED),
}


class GiverCapacity(models.TextChoices):
    """RULES CONS-04: in which capacity the person gave the consent."""

    PATIENT = "patient", "Le patient lui-même"
    LEGAL_REPRESENTATIVE = "legal_representative", "Représentant légal (mineur)"
    GUARDIAN = "guardian", "Tuteur"
    CURATOR = "curator", "Curateur"


class LegalProtection(models.TextChoices):
    """RULES CONS-04: the adult patient's legal protection during the episode."""

    NONE = "none", "Aucune"
    GUARDIANSHIP = "guardianship", "Tutelle"
    CURATORSHIP = "curatorship", "Curatelle"


class Channel(models.TextChoices):
    ORAL = "oral", "Oral, en présence du patient"
    WRITTEN = "written", "Écrit signé"
    PHONE = "phone", "Téléphone"
    PORTAL = "portal", "Portail patient"


class OppositionKind(models.TextChoices):
    """RULES CONS-06: the standing oppositions a patient may express."""

    # RULES CONS-05, FAQ « Comment accéder en urgence au DMP » : this opposition closes both emergency modes.
    EMERGENCY_ACCESS = "emergency_access", "Opposition à tout accès en urgence (bris de glace et Centre 15)"
    CENTRE_15_ACCESS = "centre_15_access", "Opposition à l'accès par la régulation SAMU/Centre 15"
    FEEDING = "feeding", "Opposition à l'alimentation du DMP"


class AccessPurpose(models.TextChoices):
    CONSULTATION = "consultation", "Consultation du DMP"
    FEEDING = "feeding", "Alimentation du DMP"


class AccessMode(models.TextChoices):
    """DMP access modes, ANS TRE_R248 (OID 1.2.250.1.213.1.1.4.248)."""

    NORMAL = "normal", "Accès normal"
    BRIS_DE_GLACE = "bris_de_glace", "Risque immédiat pour la santé du patient"
    CENTRE_15 = "centre_15", "Régulation SAMU/Centre 15"


class EmergencyMode(models.TextChoices):
    """RULES CONS-05: the two emergency modes, codes from TRE_R248."""

    BRIS_DE_GLACE = AccessMode.BRIS_DE_GLACE.value, AccessMode.BRIS_DE_GLACE.label
    CENTRE_15 = AccessMode.CENTRE_15.value, AccessMode.CENTRE_15.label


EMERGENCY_MODES = (AccessMode.BRIS_DE_GLACE, AccessMode.CENTRE_15)


class Basis(models.TextChoices):
    """The ground of an allowed access, or the reason of a refusal (RULES CONS-08)."""

    CARE_TEAM_PRESUMED = "care_team_presumed", "Consentement présumé (équipe de soins)"
    EXPLICIT_CONSENT = "explicit_consent", "Consentement explicite"
    EMERGENCY_BRIS_DE_GLACE = "emergency_bris_de_glace", "Accès en urgence : risque immédiat"
    EMERGENCY_CENTRE_15 = "emergency_centre_15", "Accès en urgence : régulation Centre 15"
    FEEDING_INFORMED = "feeding_informed", "Patient informé, sans opposition"
    CARD_NOT_ALLOWED = "card_not_allowed", "Carte ne permettant pas l'accès au DMP"
    NO_CARD = "no_card", "Professionnel sans carte"
    EPISODE_CLOSED = "episode_closed", "Épisode de soins non en cours"
    PATIENT_NOT_INFORMED = "patient_not_informed", "Patient non informé"
    CONSENT_REFUSED = "consent_refused", "Refus du patient"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consentement retiré"
    NO_EXPLICIT_CONSENT = "no_explicit_consent", "Pas de consentement explicite"
    MINOR_NEEDS_REPRESENTATIVE = "minor_needs_representative", "Mineur : consentement du représentant légal requis"
    PROTECTED_ADULT_NEEDS_GUARDIAN = "protected_adult_needs_guardian", "Majeur protégé : tuteur ou curateur requis"
    CONSENT_NOT_FROM_PATIENT = "consent_not_from_patient", "Consentement non donné par le patient"
    EMERGENCY_OPPOSED = "emergency_opposed", "Opposition du patient à l'accès en urgence"
    EMERGENCY_NOT_DECLARED = "emergency_not_declared", "Accès en urgence non déclaré ou non justifié"
    EMERGENCY_CONSULTATION_ONLY = "emergency_consultation_only", "L'urgence ne vaut que pour la consultation"
    IDENTITY_NOT_QUALIFIED = "identity_not_qualified", "Identité non qualifiée"
    FEEDING_OPPOSED = "feeding_opposed", "Opposition à l'alimentation"
