"""The DMP access decision (RULES CONS-01 to CONS-08, PRO-02, ST-04). Pure: no queries, no I/O.

The service gathers the facts (card, care team, consents, oppositions, declared emergency accesses) and
this module decides. Every branch returns the rule ID behind it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from consent.codes import (
    ALLOWED_DECISIONS,
    EMERGENCY_MODES,
    AccessMode,
    AccessPurpose,
    Basis,
    CardType,
    ConsentDecision,
    ConsentPurpose,
    EpisodeKind,
    GiverCapacity,
    LegalProtection,
    OppositionKind,
)

# RULES CONS-05 sets no duration: the declaration certifies the patient's state when it is made, so it is
# bounded (a policy choice, kept from the first version); the opposition and the episode are re-checked each time.
EMERGENCY_ACCESS_VALIDITY = timedelta(hours=24)
ADULT_AGE = 18


@dataclass(frozen=True)
class ConsentFact:
    purpose: str
    decision: str
    capacity: str
    recorded_at: datetime
    withdrawn_at: datetime | None = None
    same_episode: bool = True
    # None: valid for any professional; True: names this professional; False: names another one.
    for_professional: bool | None = None


@dataclass(frozen=True)
class OppositionFact:
    kind: str
    recorded_at: datetime
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class EmergencyFact:
    """An emergency access declared by this professional for this episode."""

    mode: str
    justification: str
    patient_cannot_express: bool
    declared_at: datetime


@dataclass(frozen=True)
class AccessRequest:
    purpose: str
    mode: str
    at: datetime
    card_type: str | None
    in_care_team: bool
    episode_kind: str
    episode_in_progress: bool
    patient_is_minor: bool
    legal_protection: str
    identity_qualified: bool
    consents: tuple[ConsentFact, ...] = ()
    oppositions: tuple[OppositionFact, ...] = ()
    emergencies: tuple[EmergencyFact, ...] = ()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: Basis
    rule: str
    message: str


MESSAGES: dict[Basis, str] = {
    Basis.CARE_TEAM_PRESUMED: "Accès autorisé : membre de l'équipe de soins, consentement présumé (CONS-03).",
    Basis.EXPLICIT_CONSENT: "Accès autorisé : consentement explicite du patient pour cet épisode (CONS-03).",
    Basis.EMERGENCY_BRIS_DE_GLACE: "Accès en urgence autorisé : risque immédiat pour la santé (CONS-05).",
    Basis.EMERGENCY_CENTRE_15: "Accès en urgence autorisé : régulation SAMU/Centre 15 (CONS-05).",
    Basis.FEEDING_INFORMED: "Alimentation autorisée : patient informé et sans opposition (CONS-02).",
    Basis.NO_CARD: "Accès refusé : le professionnel n'a pas de carte CPx enregistrée (CONS-07).",
    Basis.CARD_NOT_ALLOWED: "Accès refusé : l'accès au DMP exige une carte CPS, e-CPS ou CPF (CONS-07).",
    Basis.EPISODE_CLOSED: "Accès refusé : l'épisode de soins n'est pas en cours à cette date (CONS-01).",
    Basis.PATIENT_NOT_INFORMED: "Accès refusé : le patient n'a pas été informé pour cet épisode de soins.",
    Basis.CONSENT_REFUSED: "Accès refusé : le patient a refusé la consultation de son DMP (CONS-03).",
    Basis.CONSENT_WITHDRAWN: "Accès refusé : le consentement du patient a été retiré (CONS-03).",
    Basis.NO_EXPLICIT_CONSENT: "Accès refusé : hors équipe de soins, un consentement explicite du patient, "
    "recueilli pour ce professionnel et cet épisode, est requis (CONS-03).",
    Basis.MINOR_NEEDS_REPRESENTATIVE: "Accès refusé : pour un mineur, le consentement doit venir de son "
    "représentant légal (CONS-04).",
    Basis.PROTECTED_ADULT_NEEDS_GUARDIAN: "Accès refusé : pour un majeur protégé, le consentement doit venir "
    "du tuteur (tutelle) ou du curateur (curatelle) (CONS-04).",
    Basis.CONSENT_NOT_FROM_PATIENT: "Accès refusé : un patient majeur non protégé consent lui-même (CONS-04).",
    Basis.EMERGENCY_OPPOSED: "Accès en urgence refusé : le patient s'y est opposé (CONS-06).",
    Basis.EMERGENCY_NOT_DECLARED: "Accès en urgence refusé : aucun accès en urgence justifié n'a été déclaré "
    "par ce professionnel pour cet épisode (CONS-05).",
    Basis.EMERGENCY_CONSULTATION_ONLY: "Accès refusé : le mode urgence ne vaut que pour la consultation (CONS-05).",
    Basis.IDENTITY_NOT_QUALIFIED: "Alimentation refusée : l'identité du patient n'est pas qualifiée (ST-04).",
    Basis.FEEDING_OPPOSED: "Alimentation refusée : le patient s'est opposé à l'alimentation de son DMP (CONS-06).",
}


def _decide(allowed: bool, basis: Basis, rule: str) -> Decision:
    return Decision(allowed=allowed, basis=basis, rule=rule, message=MESSAGES[basis])


def in_force(recorded_at: datetime, withdrawn_at: datetime | None, at: datetime) -> bool:
    """A record counts from its date until its withdrawal (CONS-06)."""
    return recorded_at <= at and (withdrawn_at is None or withdrawn_at > at)


def is_minor(birth_date: date, on: date) -> bool:
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age < ADULT_AGE


def consent_input_error(*, purpose: str, decision: str, names_professional: bool) -> str | None:
    """Return a French message when a consent record's purpose and decision do not fit together."""
    if purpose not in ALLOWED_DECISIONS:
        return "Objet du consentement inconnu."
    if decision not in ALLOWED_DECISIONS[purpose]:
        return "Cette décision ne correspond pas à l'objet du recueil (règles CONS-02, CONS-03)."
    if purpose == ConsentPurpose.DELEGATION and not names_professional:
        return "Une délégation désigne le professionnel autorisé à consulter le DMP."
    return None


# RULES CONS-04: under tutelle the guardian acts, under curatelle the curator; never the other one.
PROTECTION_ACTOR: dict[str, str] = {
    LegalProtection.GUARDIANSHIP: GiverCapacity.GUARDIAN,
    LegalProtection.CURATORSHIP: GiverCapacity.CURATOR,
}


def capacity_refusal(capacity: str, *, minor: bool, legal_protection: str) -> Basis | None:
    """RULES CONS-04: who may consent for this patient; None when the capacity fits."""
    if minor:
        ok = capacity in (GiverCapacity.LEGAL_REPRESENTATIVE, GiverCapacity.GUARDIAN)
        return None if ok else Basis.MINOR_NEEDS_REPRESENTATIVE
    if legal_protection in PROTECTION_ACTOR:
        return None if capacity == PROTECTION_ACTOR[legal_protection] else Basis.PROTECTED_ADULT_NEEDS_GUARDIAN
    return None if capacity == GiverCapacity.PATIENT else Basis.CONSENT_NOT_FROM_PATIENT


def opposes(kind: str, mode: str) -> bool:
    """RULES CONS-05, CONS-06: an emergency opposition blocks both modes; a Centre 15 one blocks Centre 15."""
    if kind == OppositionKind.EMERGENCY_ACCESS:
        return mode in EMERGENCY_MODES
    return kind == OppositionKind.CENTRE_15_ACCESS and mode == AccessMode.CENTRE_15


def decide(request: AccessRequest) -> Decision:
    """Decide whether this DMP access is allowed, and on which basis (CONS-08)."""
    # RULES CONS-07, PRO-02: CPS (or e-CPS) and CPF open the DMP; CPE and CDE never do.
    if not request.card_type:
        return _decide(False, Basis.NO_CARD, "CONS-07")
    if request.card_type not in (CardType.CPS, CardType.CPF):
        return _decide(False, Basis.CARD_NOT_ALLOWED, "CONS-07")
    if request.mode in EMERGENCY_MODES:
        return _decide_emergency(request)
    if request.purpose == AccessPurpose.FEEDING:
        return _decide_feeding(request)
    return _decide_consultation(request)


def _decide_emergency(request: AccessRequest) -> Decision:
    if request.purpose != AccessPurpose.CONSULTATION:
        return _decide(False, Basis.EMERGENCY_CONSULTATION_ONLY, "CONS-05")
    # RULES CONS-06: an opposition in force always wins over an emergency.
    for opposition in request.oppositions:
        if opposes(opposition.kind, request.mode) and in_force(
            opposition.recorded_at, opposition.withdrawn_at, request.at
        ):
            return _decide(False, Basis.EMERGENCY_OPPOSED, "CONS-06")
    # RULES CONS-01: an emergency access is declared within an episode and lasts no longer than it.
    if not request.episode_in_progress:
        return _decide(False, Basis.EPISODE_CLOSED, "CONS-01")
    # RULES CONS-05: the patient cannot express their will and a written justification was given.
    for emergency in request.emergencies:
        if (
            emergency.mode == request.mode
            and emergency.justification.strip()
            and emergency.patient_cannot_express
            and emergency.declared_at <= request.at < emergency.declared_at + EMERGENCY_ACCESS_VALIDITY
        ):
            basis = Basis.EMERGENCY_CENTRE_15 if request.mode == AccessMode.CENTRE_15 else Basis.EMERGENCY_BRIS_DE_GLACE
            return _decide(True, basis, "CONS-05")
    return _decide(False, Basis.EMERGENCY_NOT_DECLARED, "CONS-05")


def _decide_feeding(request: AccessRequest) -> Decision:
    # RULES ST-04: only a qualified identity feeds the DMP.
    if not request.identity_qualified:
        return _decide(False, Basis.IDENTITY_NOT_QUALIFIED, "ST-04")
    at = request.at
    if any(
        o.kind == OppositionKind.FEEDING and in_force(o.recorded_at, o.withdrawn_at, at) for o in request.oppositions
    ):
        return _decide(False, Basis.FEEDING_OPPOSED, "CONS-06")
    live = [c for c in request.consents if in_force(c.recorded_at, c.withdrawn_at, at)]
    # RULES CONS-02: the information is given once in the follow-up, in any episode; an opposition wins.
    if any(c.purpose == ConsentPurpose.FEEDING_OPPOSITION for c in live):
        return _decide(False, Basis.FEEDING_OPPOSED, "CONS-02")
    if any(c.purpose == ConsentPurpose.FEEDING_INFORMATION for c in live):
        return _decide(True, Basis.FEEDING_INFORMED, "CONS-02")
    return _decide(False, Basis.PATIENT_NOT_INFORMED, "CONS-02")


def _consultation_records(request: AccessRequest) -> list[ConsentFact]:
    # RULES CONS-01: a consent counts for its own episode only.
    return [
        c
        for c in request.consents
        if c.same_episode
        and c.purpose in (ConsentPurpose.CONSULTATION, ConsentPurpose.DELEGATION)
        and c.for_professional is not False
    ]


def _decide_consultation(request: AccessRequest) -> Decision:
    at = request.at
    if not request.episode_in_progress:
        return _decide(False, Basis.EPISODE_CLOSED, "CONS-01")
    records = _consultation_records(request)
    live = sorted((c for c in records if in_force(c.recorded_at, c.withdrawn_at, at)), key=lambda c: c.recorded_at)
    decisions = [c for c in live if c.decision in (ConsentDecision.GIVEN, ConsentDecision.REFUSED)]
    # A refusal of the patient stops everyone, the care team included.
    if decisions and decisions[-1].decision == ConsentDecision.REFUSED:
        return _decide(False, Basis.CONSENT_REFUSED, "CONS-03")
    # RULES CONS-01: in pre-admission there is no care yet, so no presumed consent.
    presumed_possible = request.in_care_team and request.episode_kind != EpisodeKind.PRE_ADMISSION
    if presumed_possible:
        if live:
            return _decide(True, Basis.CARE_TEAM_PRESUMED, "CONS-03")
        return _decide(False, Basis.PATIENT_NOT_INFORMED, "CONS-03")
    rule = "CONS-01" if request.episode_kind == EpisodeKind.PRE_ADMISSION else "CONS-03"
    # RULES CONS-01, CONS-03: a consent is given for one episode and its care team; a professional outside
    # the team needs a consent collected for them by name, not the one given to the team.
    own = [c for c in records if request.in_care_team or c.for_professional]
    given = [c for c in decisions if c in own and c.decision == ConsentDecision.GIVEN]
    if given:
        refusal = capacity_refusal(
            given[-1].capacity, minor=request.patient_is_minor, legal_protection=request.legal_protection
        )
        if refusal is not None:
            return _decide(False, refusal, "CONS-04")
        return _decide(True, Basis.EXPLICIT_CONSENT, rule)
    if any(c.decision == ConsentDecision.GIVEN and c.withdrawn_at is not None and c.withdrawn_at <= at for c in own):
        return _decide(False, Basis.CONSENT_WITHDRAWN, "CONS-03")
    return _decide(False, Basis.NO_EXPLICIT_CONSENT, rule)
