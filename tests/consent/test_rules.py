"""The DMP access decision table (RULES CONS-01 to CONS-08, PRO-02, ST-04) and its properties."""

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from consent.codes import (
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
from consent.rules import (
    EMERGENCY_ACCESS_VALIDITY,
    MESSAGES,
    AccessRequest,
    ConsentFact,
    EmergencyFact,
    OppositionFact,
    consent_input_error,
    decide,
    in_force,
    is_minor,
)

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(hours=2)
LATER = NOW + timedelta(hours=1)

BASE = AccessRequest(
    purpose=AccessPurpose.CONSULTATION,
    mode=AccessMode.NORMAL,
    at=NOW,
    card_type=CardType.CPS,
    in_care_team=False,
    episode_kind=EpisodeKind.HOSPITALISATION,
    episode_in_progress=True,
    patient_is_minor=False,
    legal_protection=LegalProtection.NONE,
    identity_qualified=True,
)


def consent(decision=ConsentDecision.GIVEN, capacity=GiverCapacity.PATIENT, **kwargs) -> ConsentFact:
    values = {"purpose": ConsentPurpose.CONSULTATION, "recorded_at": EARLIER}
    values.update(kwargs)
    return ConsentFact(decision=decision, capacity=capacity, **values)


INFORMED = consent(ConsentDecision.INFORMED)
GIVEN = consent()
# A consent collected for one professional outside the care team (CONS-03).
NAMED = consent(for_professional=True)
WITHDRAWN = consent(withdrawn_at=EARLIER + timedelta(minutes=30), for_professional=True)
FEEDING_INFO = consent(ConsentDecision.INFORMED, purpose=ConsentPurpose.FEEDING_INFORMATION, same_episode=False)


def opposition(kind: str, withdrawn_at=None) -> OppositionFact:
    return OppositionFact(kind=kind, recorded_at=EARLIER, withdrawn_at=withdrawn_at)


def emergency(mode=AccessMode.BRIS_DE_GLACE, justification="Coma, allergies inconnues", cannot_express=True, at=NOW):
    return EmergencyFact(mode=mode, justification=justification, patient_cannot_express=cannot_express, declared_at=at)


def emergency_request(mode=AccessMode.BRIS_DE_GLACE, **kwargs) -> AccessRequest:
    values = {"mode": mode, "emergencies": (emergency(mode),)}
    values.update(kwargs)
    return replace(BASE, **values)


CASES = {
    # PRO-02, CONS-07: card types.
    "pro02_cons07_intern_with_cpf_allowed_as_cps": (
        replace(BASE, card_type=CardType.CPF, in_care_team=True, consents=(INFORMED,)),
        True,
        Basis.CARE_TEAM_PRESUMED,
        "CONS-03",
    ),
    "pro02_cons07_physician_with_cps_in_team_allowed": (
        replace(BASE, in_care_team=True, consents=(INFORMED,)),
        True,
        Basis.CARE_TEAM_PRESUMED,
        "CONS-03",
    ),
    "pro02_cons07_secretary_with_cpe_refused": (
        replace(BASE, card_type=CardType.CPE, in_care_team=True, consents=(GIVEN,)),
        False,
        Basis.CARD_NOT_ALLOWED,
        "CONS-07",
    ),
    "pro02_cons07_director_with_cde_refused": (
        replace(BASE, card_type=CardType.CDE, in_care_team=True, consents=(GIVEN,)),
        False,
        Basis.CARD_NOT_ALLOWED,
        "CONS-07",
    ),
    "cons07_cpe_refused_even_in_emergency": (
        emergency_request(card_type=CardType.CPE),
        False,
        Basis.CARD_NOT_ALLOWED,
        "CONS-07",
    ),
    "cons07_no_card_refused": (replace(BASE, card_type=None), False, Basis.NO_CARD, "CONS-07"),
    # CONS-01: one episode, pre-admission, episode in progress.
    "cons01_consent_from_another_episode_does_not_count": (
        replace(BASE, consents=(consent(same_episode=False),)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons01_pre_admission_team_member_needs_explicit_consent": (
        replace(BASE, in_care_team=True, episode_kind=EpisodeKind.PRE_ADMISSION, consents=(INFORMED,)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-01",
    ),
    "cons01_pre_admission_team_member_with_explicit_consent_allowed": (
        replace(BASE, in_care_team=True, episode_kind=EpisodeKind.PRE_ADMISSION, consents=(GIVEN,)),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-01",
    ),
    "cons01_closed_episode_refused": (
        replace(BASE, in_care_team=True, episode_in_progress=False, consents=(GIVEN,)),
        False,
        Basis.EPISODE_CLOSED,
        "CONS-01",
    ),
    # CONS-02: feeding.
    "cons02_feeding_allowed_once_informed_in_any_episode": (
        replace(BASE, purpose=AccessPurpose.FEEDING, consents=(FEEDING_INFO,)),
        True,
        Basis.FEEDING_INFORMED,
        "CONS-02",
    ),
    "cons02_feeding_refused_when_not_informed": (
        replace(BASE, purpose=AccessPurpose.FEEDING),
        False,
        Basis.PATIENT_NOT_INFORMED,
        "CONS-02",
    ),
    "cons02_feeding_refused_after_opposition_recorded_in_episode": (
        replace(
            BASE,
            purpose=AccessPurpose.FEEDING,
            consents=(FEEDING_INFO, consent(ConsentDecision.OPPOSED, purpose=ConsentPurpose.FEEDING_OPPOSITION)),
        ),
        False,
        Basis.FEEDING_OPPOSED,
        "CONS-02",
    ),
    "cons02_feeding_refused_once_the_information_record_is_withdrawn": (
        replace(BASE, purpose=AccessPurpose.FEEDING, consents=(replace(FEEDING_INFO, withdrawn_at=EARLIER),)),
        False,
        Basis.PATIENT_NOT_INFORMED,
        "CONS-02",
    ),
    "cons02_feeding_allowed_again_once_the_opposition_record_is_withdrawn": (
        replace(
            BASE,
            purpose=AccessPurpose.FEEDING,
            consents=(
                FEEDING_INFO,
                consent(
                    ConsentDecision.OPPOSED,
                    purpose=ConsentPurpose.FEEDING_OPPOSITION,
                    withdrawn_at=EARLIER + timedelta(minutes=1),
                ),
            ),
        ),
        True,
        Basis.FEEDING_INFORMED,
        "CONS-02",
    ),
    "cons03_the_feeding_information_does_not_inform_for_consultation": (
        replace(BASE, in_care_team=True, consents=(FEEDING_INFO, replace(FEEDING_INFO, same_episode=True))),
        False,
        Basis.PATIENT_NOT_INFORMED,
        "CONS-03",
    ),
    "cons01_team_member_informed_in_another_episode_only_is_refused": (
        replace(BASE, in_care_team=True, consents=(replace(INFORMED, same_episode=False),)),
        False,
        Basis.PATIENT_NOT_INFORMED,
        "CONS-03",
    ),
    "st04_feeding_refused_without_qual_identity": (
        replace(BASE, purpose=AccessPurpose.FEEDING, identity_qualified=False, consents=(FEEDING_INFO,)),
        False,
        Basis.IDENTITY_NOT_QUALIFIED,
        "ST-04",
    ),
    # CONS-03: care team and explicit consent.
    "cons03_team_member_refused_when_patient_not_informed": (
        replace(BASE, in_care_team=True),
        False,
        Basis.PATIENT_NOT_INFORMED,
        "CONS-03",
    ),
    "cons03_team_member_refused_when_patient_refused": (
        replace(BASE, in_care_team=True, consents=(INFORMED, consent(ConsentDecision.REFUSED))),
        False,
        Basis.CONSENT_REFUSED,
        "CONS-03",
    ),
    "cons03_non_team_physician_with_consent_collected_for_them_allowed": (
        replace(BASE, consents=(NAMED,)),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons03_consent_given_to_the_care_team_does_not_open_the_dmp_to_an_outsider": (
        replace(BASE, consents=(GIVEN,)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons03_patient_refusal_stops_an_outsider_holding_an_earlier_consent": (
        replace(BASE, consents=(NAMED, consent(ConsentDecision.REFUSED, recorded_at=EARLIER + timedelta(minutes=5)))),
        False,
        Basis.CONSENT_REFUSED,
        "CONS-03",
    ),
    "cons03_non_team_physician_without_consent_refused": (
        replace(BASE, consents=(INFORMED,)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons03_non_team_physician_with_withdrawn_consent_refused": (
        replace(BASE, consents=(WITHDRAWN,)),
        False,
        Basis.CONSENT_WITHDRAWN,
        "CONS-03",
    ),
    "cons03_consent_naming_another_professional_does_not_count": (
        replace(BASE, consents=(consent(for_professional=False),)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons03_delegation_naming_this_professional_allowed": (
        replace(BASE, consents=(consent(purpose=ConsentPurpose.DELEGATION, for_professional=True),)),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons03_later_refusal_overrides_earlier_consent": (
        replace(BASE, consents=(GIVEN, consent(ConsentDecision.REFUSED, recorded_at=EARLIER + timedelta(minutes=5)))),
        False,
        Basis.CONSENT_REFUSED,
        "CONS-03",
    ),
    "cons03_consent_recorded_after_the_access_time_does_not_count": (
        replace(BASE, consents=(consent(recorded_at=LATER),)),
        False,
        Basis.NO_EXPLICIT_CONSENT,
        "CONS-03",
    ),
    # CONS-04: minors and protected adults.
    "cons04_minor_consent_from_patient_refused": (
        replace(BASE, patient_is_minor=True, consents=(NAMED,)),
        False,
        Basis.MINOR_NEEDS_REPRESENTATIVE,
        "CONS-04",
    ),
    "cons04_minor_consent_from_legal_representative_allowed": (
        replace(
            BASE,
            patient_is_minor=True,
            consents=(consent(capacity=GiverCapacity.LEGAL_REPRESENTATIVE, for_professional=True),),
        ),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons04_adult_under_guardianship_consent_from_patient_refused": (
        replace(BASE, legal_protection=LegalProtection.GUARDIANSHIP, consents=(NAMED,)),
        False,
        Basis.PROTECTED_ADULT_NEEDS_GUARDIAN,
        "CONS-04",
    ),
    "cons04_adult_under_curatorship_consent_from_curator_allowed": (
        replace(
            BASE,
            legal_protection=LegalProtection.CURATORSHIP,
            consents=(consent(capacity=GiverCapacity.CURATOR, for_professional=True),),
        ),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons04_adult_under_guardianship_consent_from_guardian_allowed": (
        replace(
            BASE,
            legal_protection=LegalProtection.GUARDIANSHIP,
            consents=(consent(capacity=GiverCapacity.GUARDIAN, for_professional=True),),
        ),
        True,
        Basis.EXPLICIT_CONSENT,
        "CONS-03",
    ),
    "cons04_curator_cannot_consent_for_an_adult_under_guardianship": (
        replace(
            BASE,
            legal_protection=LegalProtection.GUARDIANSHIP,
            consents=(consent(capacity=GiverCapacity.CURATOR, for_professional=True),),
        ),
        False,
        Basis.PROTECTED_ADULT_NEEDS_GUARDIAN,
        "CONS-04",
    ),
    "cons04_capable_adult_consent_from_someone_else_refused": (
        replace(BASE, consents=(consent(capacity=GiverCapacity.LEGAL_REPRESENTATIVE, for_professional=True),)),
        False,
        Basis.CONSENT_NOT_FROM_PATIENT,
        "CONS-04",
    ),
    # CONS-05, CONS-06: emergency access.
    "cons05_bris_de_glace_declared_and_justified_allowed": (
        emergency_request(),
        True,
        Basis.EMERGENCY_BRIS_DE_GLACE,
        "CONS-05",
    ),
    "cons05_centre_15_declared_and_justified_allowed": (
        emergency_request(AccessMode.CENTRE_15),
        True,
        Basis.EMERGENCY_CENTRE_15,
        "CONS-05",
    ),
    "cons05_bris_de_glace_without_declaration_refused": (
        emergency_request(emergencies=()),
        False,
        Basis.EMERGENCY_NOT_DECLARED,
        "CONS-05",
    ),
    "cons05_bris_de_glace_with_blank_justification_refused": (
        emergency_request(emergencies=(emergency(justification="  "),)),
        False,
        Basis.EMERGENCY_NOT_DECLARED,
        "CONS-05",
    ),
    "cons05_bris_de_glace_when_patient_can_express_refused": (
        emergency_request(emergencies=(emergency(cannot_express=False),)),
        False,
        Basis.EMERGENCY_NOT_DECLARED,
        "CONS-05",
    ),
    "cons05_declaration_for_the_other_mode_does_not_count": (
        emergency_request(AccessMode.CENTRE_15, emergencies=(emergency(AccessMode.BRIS_DE_GLACE),)),
        False,
        Basis.EMERGENCY_NOT_DECLARED,
        "CONS-05",
    ),
    "cons05_expired_declaration_refused": (
        emergency_request(emergencies=(emergency(at=NOW - EMERGENCY_ACCESS_VALIDITY),)),
        False,
        Basis.EMERGENCY_NOT_DECLARED,
        "CONS-05",
    ),
    "cons01_emergency_access_after_the_episode_ended_refused": (
        emergency_request(episode_in_progress=False),
        False,
        Basis.EPISODE_CLOSED,
        "CONS-01",
    ),
    "cons05_emergency_mode_is_for_consultation_only": (
        emergency_request(purpose=AccessPurpose.FEEDING),
        False,
        Basis.EMERGENCY_CONSULTATION_ONLY,
        "CONS-05",
    ),
    "cons06_bris_de_glace_with_standing_opposition_refused": (
        emergency_request(oppositions=(opposition(OppositionKind.EMERGENCY_ACCESS),)),
        False,
        Basis.EMERGENCY_OPPOSED,
        "CONS-06",
    ),
    "cons06_centre_15_with_centre_15_opposition_refused": (
        emergency_request(AccessMode.CENTRE_15, oppositions=(opposition(OppositionKind.CENTRE_15_ACCESS),)),
        False,
        Basis.EMERGENCY_OPPOSED,
        "CONS-06",
    ),
    "cons06_centre_15_opposition_leaves_bris_de_glace_open": (
        emergency_request(oppositions=(opposition(OppositionKind.CENTRE_15_ACCESS),)),
        True,
        Basis.EMERGENCY_BRIS_DE_GLACE,
        "CONS-05",
    ),
    "cons06_withdrawn_opposition_no_longer_refuses": (
        emergency_request(oppositions=(opposition(OppositionKind.EMERGENCY_ACCESS, withdrawn_at=EARLIER),)),
        True,
        Basis.EMERGENCY_BRIS_DE_GLACE,
        "CONS-05",
    ),
    "cons06_standing_feeding_opposition_refuses_feeding": (
        replace(
            BASE,
            purpose=AccessPurpose.FEEDING,
            consents=(FEEDING_INFO,),
            oppositions=(opposition(OppositionKind.FEEDING),),
        ),
        False,
        Basis.FEEDING_OPPOSED,
        "CONS-06",
    ),
}


@pytest.mark.parametrize(("request_", "allowed", "basis", "rule"), CASES.values(), ids=CASES.keys())
def test_cons08_decision_table(request_, allowed, basis, rule):
    decision = decide(request_)
    assert (decision.allowed, decision.basis, decision.rule) == (allowed, basis, rule)
    assert decision.message


def test_decision_table_cites_every_cons_and_pro_rule():
    cited = {name.split("_")[0] for name in CASES}
    expected = {f"cons0{n}" for n in range(1, 8)} | {"pro02", "st04"}
    assert expected <= cited
    # CONS-08: every basis and refusal reason the decision can give is reached by at least one named case.
    assert {basis for _, _, basis, _ in CASES.values()} == set(Basis)


FEEDING_REQUEST = replace(BASE, purpose=AccessPurpose.FEEDING, consents=(FEEDING_INFO,))
MICRO = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("kind", "request_", "opposed"),
    [
        (OppositionKind.EMERGENCY_ACCESS, emergency_request(), Basis.EMERGENCY_OPPOSED),
        (OppositionKind.EMERGENCY_ACCESS, emergency_request(AccessMode.CENTRE_15), Basis.EMERGENCY_OPPOSED),
        (OppositionKind.CENTRE_15_ACCESS, emergency_request(AccessMode.CENTRE_15), Basis.EMERGENCY_OPPOSED),
        (OppositionKind.FEEDING, FEEDING_REQUEST, Basis.FEEDING_OPPOSED),
    ],
)
def test_cons06_an_opposition_counts_from_the_instant_it_is_recorded_until_the_instant_it_is_withdrawn(
    kind, request_, opposed
):
    def basis(recorded_at, withdrawn_at=None):
        fact = OppositionFact(kind=kind, recorded_at=recorded_at, withdrawn_at=withdrawn_at)
        return decide(replace(request_, oppositions=(fact,))).basis

    allowed = decide(request_).basis
    assert allowed in (Basis.EMERGENCY_BRIS_DE_GLACE, Basis.EMERGENCY_CENTRE_15, Basis.FEEDING_INFORMED)
    assert basis(recorded_at=NOW) == opposed
    assert basis(recorded_at=NOW - MICRO) == opposed
    assert basis(recorded_at=NOW + MICRO) == allowed
    assert basis(recorded_at=EARLIER, withdrawn_at=NOW + MICRO) == opposed
    assert basis(recorded_at=EARLIER, withdrawn_at=NOW) == allowed


@pytest.mark.parametrize(
    ("recorded_at", "withdrawn_at", "in_force_now"),
    [
        (NOW, None, True),
        (NOW + MICRO, None, False),
        (NOW - MICRO, NOW, False),
        (NOW - MICRO, NOW + MICRO, True),
        (EARLIER, EARLIER, False),
    ],
)
def test_cons06_a_record_is_in_force_from_its_instant_until_its_withdrawal(recorded_at, withdrawn_at, in_force_now):
    assert in_force(recorded_at, withdrawn_at, NOW) is in_force_now


@pytest.mark.parametrize(
    ("recorded_at", "withdrawn_at", "basis"),
    [
        (NOW, None, Basis.EXPLICIT_CONSENT),
        (NOW + MICRO, None, Basis.NO_EXPLICIT_CONSENT),
        (EARLIER, NOW + MICRO, Basis.EXPLICIT_CONSENT),
        (EARLIER, NOW, Basis.CONSENT_WITHDRAWN),
    ],
)
def test_cons03_a_consent_counts_from_the_instant_it_is_recorded_until_it_is_withdrawn(
    recorded_at, withdrawn_at, basis
):
    named = consent(recorded_at=recorded_at, withdrawn_at=withdrawn_at, for_professional=True)
    assert decide(replace(BASE, consents=(named,))).basis == basis


@pytest.mark.parametrize(
    ("declared_at", "allowed"),
    [
        (NOW, True),
        (NOW + MICRO, False),
        (NOW - EMERGENCY_ACCESS_VALIDITY + MICRO, True),
        (NOW - EMERGENCY_ACCESS_VALIDITY, False),
    ],
)
def test_cons05_an_emergency_declaration_counts_from_its_instant_for_its_validity(declared_at, allowed):
    decision = decide(emergency_request(emergencies=(emergency(at=declared_at),)))
    assert (decision.allowed, decision.basis) == (
        (True, Basis.EMERGENCY_BRIS_DE_GLACE) if allowed else (False, Basis.EMERGENCY_NOT_DECLARED)
    )


def test_cons05_the_emergency_validity_is_24_hours():
    assert timedelta(hours=24) == EMERGENCY_ACCESS_VALIDITY


# RULES CONS-08: the generator below must reach every basis, or the properties decide nothing (issue 8, item 20).
# Every instant is drawn near the access time, the exact instant included, so that "recorded at the very moment of
# the access" and "declared 24 hours before" are drawn too.
ALLOWED_BASES = {basis for _, allowed, basis, _ in CASES.values() if allowed}


def weighted(*choices: tuple[object, int]) -> st.SearchStrategy:
    """Draw each value with the given weight (``sampled_from`` alone picks uniformly)."""
    return st.sampled_from([value for value, weight in choices for _ in range(weight)])


# Instants are drawn near the access time, mostly before it, with the exact instant and the CONS-05 validity edges.
PAST = st.timedeltas(min_value=-2 * EMERGENCY_ACCESS_VALIDITY, max_value=timedelta(0))
OFFSETS = st.one_of(
    weighted((timedelta(0), 2), (-EMERGENCY_ACCESS_VALIDITY, 1), (timedelta(microseconds=-1), 1)),
    weighted((timedelta(microseconds=1), 1), (timedelta(hours=1), 1)),
    PAST,
    PAST,
)
# CONS-05: a declaration counts from its instant for EMERGENCY_ACCESS_VALIDITY; its edges are drawn on purpose.
DECLARED = st.one_of(
    weighted(
        (timedelta(0), 1),
        (timedelta(microseconds=-1), 1),
        (-EMERGENCY_ACCESS_VALIDITY, 1),
        (timedelta(microseconds=1) - EMERGENCY_ACCESS_VALIDITY, 1),
        (timedelta(microseconds=1), 1),
    ),
    st.timedeltas(min_value=-EMERGENCY_ACCESS_VALIDITY, max_value=timedelta(0)),
    st.timedeltas(min_value=-EMERGENCY_ACCESS_VALIDITY, max_value=timedelta(0)),
)
# Mostly a card that opens the DMP, so that the decision goes past CONS-07, and mostly a consultation, the
# purpose with the most branches; records mostly in force, of this episode, for this professional.
CARDS = weighted((CardType.CPS, 5), (CardType.CPF, 5), (None, 1), (CardType.CPE, 1), (CardType.CDE, 1))
PURPOSES = weighted((AccessPurpose.CONSULTATION, 3), (AccessPurpose.FEEDING, 1))
ALL_MODES = weighted((AccessMode.NORMAL, 3), (AccessMode.BRIS_DE_GLACE, 1), (AccessMode.CENTRE_15, 1))
# Every (purpose, decision) pair a consent record may hold (consent_input_error), weighted by the access purpose.
C, D = ConsentPurpose.CONSULTATION, ConsentPurpose.DELEGATION
FI, FO = ConsentPurpose.FEEDING_INFORMATION, ConsentPurpose.FEEDING_OPPOSITION
GIVEN_, REFUSED_, INFORMED_ = ConsentDecision.GIVEN, ConsentDecision.REFUSED, ConsentDecision.INFORMED
RECORDS_FOR = {
    AccessPurpose.CONSULTATION: weighted(
        ((C, GIVEN_), 4),
        ((D, GIVEN_), 2),
        ((C, REFUSED_), 1),
        ((D, REFUSED_), 1),
        ((C, INFORMED_), 2),
        ((FI, INFORMED_), 1),
        ((FO, ConsentDecision.OPPOSED), 1),
    ),
    AccessPurpose.FEEDING: weighted(
        ((FI, INFORMED_), 3), ((FO, ConsentDecision.OPPOSED), 1), ((C, GIVEN_), 1), ((C, INFORMED_), 1)
    ),
}
# RULES CONS-04: who may consent depends on the patient; each profile is drawn as often as the others.
PROFILES = st.sampled_from(
    [
        (False, LegalProtection.NONE),
        (False, LegalProtection.GUARDIANSHIP),
        (False, LegalProtection.CURATORSHIP),
        (True, LegalProtection.NONE),
    ]
)
MOSTLY_TRUE = weighted((True, 3), (False, 1))
MOSTLY_FALSE = weighted((False, 3), (True, 1))


@st.composite
def requests(draw, modes=ALL_MODES) -> AccessRequest:
    at = draw(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)))

    def near() -> datetime:
        return at + draw(OFFSETS)

    def withdrawal() -> datetime | None:
        return near() if draw(weighted((False, 2), (True, 1))) else None

    mode = draw(modes)
    purpose = draw(PURPOSES)
    minor, protection = draw(PROFILES)

    def consent_fact() -> ConsentFact:
        record_purpose, decision = draw(RECORDS_FOR[purpose])
        return ConsentFact(
            purpose=record_purpose,
            decision=decision,
            capacity=draw(st.sampled_from(GiverCapacity.values)),
            recorded_at=near(),
            withdrawn_at=withdrawal(),
            same_episode=draw(MOSTLY_TRUE),
            for_professional=draw(weighted((True, 3), (None, 1), (False, 1))),
        )

    def emergency_fact() -> EmergencyFact:
        other_mode = AccessMode.CENTRE_15 if mode == AccessMode.BRIS_DE_GLACE else AccessMode.BRIS_DE_GLACE
        return EmergencyFact(
            mode=draw(weighted((mode if mode in EMERGENCY_MODES else other_mode, 3), (other_mode, 1))),
            justification=draw(weighted(("Coma, allergies inconnues", 3), ("", 1), ("  ", 1))),
            patient_cannot_express=draw(MOSTLY_TRUE),
            declared_at=at + draw(DECLARED),
        )

    def opposition_fact() -> OppositionFact:
        return OppositionFact(
            kind=draw(st.sampled_from(OppositionKind.values)), recorded_at=near(), withdrawn_at=withdrawal()
        )

    return AccessRequest(
        purpose=purpose,
        mode=mode,
        at=at,
        card_type=draw(CARDS),
        in_care_team=draw(weighted((False, 2), (True, 1))),
        episode_kind=draw(st.sampled_from(EpisodeKind.values)),
        episode_in_progress=draw(MOSTLY_TRUE),
        patient_is_minor=minor,
        legal_protection=protection,
        identity_qualified=draw(MOSTLY_TRUE),
        consents=tuple(consent_fact() for _ in range(draw(weighted((1, 3), (2, 2), (0, 1), (3, 1))))),
        oppositions=tuple(opposition_fact() for _ in range(draw(weighted((0, 1), (1, 1))))),
        emergencies=tuple(emergency_fact() for _ in range(draw(weighted((1, 3), (0, 1), (2, 1))))),
    )


emergency_requests = requests(modes=st.sampled_from(EMERGENCY_MODES))


REACH_EXAMPLES = 2000


def test_cons08_the_request_generator_reaches_every_basis():
    # Derandomized, so the reach is the same on every run: a change to the generator that loses a basis fails here.
    reached: Counter = Counter()

    @settings(max_examples=REACH_EXAMPLES, derandomize=True, database=None)
    @given(request_=requests())
    def draw_decisions(request_):
        reached[decide(request_).basis] += 1

    draw_decisions()
    assert set(reached) == set(Basis), f"never reached: {set(Basis) - set(reached)}"
    # An allowed access is a common draw (one in twenty at least), not a rarity, so the "always refused"
    # properties below can fail. The exact share moves with hypothesis' version (9.5 % with 6.170).
    allowed = sum(n for basis, n in reached.items() if basis in ALLOWED_BASES)
    assert allowed >= REACH_EXAMPLES // 20, reached


@given(
    request_=emergency_requests, recorded_before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000))
)
@example(request_=emergency_request(), recorded_before=timedelta(0))
def test_cons06_an_opposition_in_force_always_refuses_emergency_access(request_, recorded_before):
    standing = OppositionFact(kind=OppositionKind.EMERGENCY_ACCESS, recorded_at=request_.at - recorded_before)
    decision = decide(replace(request_, oppositions=(*request_.oppositions, standing)))
    assert not decision.allowed
    # RULES CONS-06: past the card check (CONS-07) and on a consultation, the opposition is the reason given.
    if request_.card_type in (CardType.CPS, CardType.CPF) and request_.purpose == AccessPurpose.CONSULTATION:
        assert (decision.basis, decision.rule) == (Basis.EMERGENCY_OPPOSED, "CONS-06")


@given(request_=requests(), recorded_before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)))
@example(request_=emergency_request(AccessMode.CENTRE_15), recorded_before=timedelta(0))
def test_cons06_a_centre_15_opposition_in_force_always_refuses_centre_15_access(request_, recorded_before):
    standing = OppositionFact(kind=OppositionKind.CENTRE_15_ACCESS, recorded_at=request_.at - recorded_before)
    decision = decide(replace(request_, mode=AccessMode.CENTRE_15, oppositions=(standing,)))
    assert not decision.allowed
    if request_.card_type in (CardType.CPS, CardType.CPF) and request_.purpose == AccessPurpose.CONSULTATION:
        assert decision.basis == Basis.EMERGENCY_OPPOSED


@given(request_=emergency_requests)
def test_cons06_a_centre_15_opposition_never_changes_a_bris_de_glace_decision(request_):
    bris = replace(request_, mode=AccessMode.BRIS_DE_GLACE)
    c15 = OppositionFact(kind=OppositionKind.CENTRE_15_ACCESS, recorded_at=request_.at - timedelta(days=1))
    assert decide(replace(bris, oppositions=(*bris.oppositions, c15))) == decide(bris)


@given(request_=requests(), recorded_before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)))
@example(request_=replace(BASE, purpose=AccessPurpose.FEEDING, consents=(FEEDING_INFO,)), recorded_before=timedelta(0))
def test_cons06_a_feeding_opposition_in_force_always_refuses_feeding(request_, recorded_before):
    standing = OppositionFact(kind=OppositionKind.FEEDING, recorded_at=request_.at - recorded_before)
    feeding = replace(request_, purpose=AccessPurpose.FEEDING, mode=AccessMode.NORMAL)
    decision = decide(replace(feeding, oppositions=(*feeding.oppositions, standing)))
    assert not decision.allowed
    if request_.card_type in (CardType.CPS, CardType.CPF) and request_.identity_qualified:
        assert decision.basis == Basis.FEEDING_OPPOSED


@given(request_=requests())
def test_cons06_an_opposition_recorded_after_the_access_changes_nothing(request_):
    later = tuple(
        OppositionFact(kind=kind, recorded_at=request_.at + timedelta(microseconds=1)) for kind in OppositionKind.values
    )
    assert decide(replace(request_, oppositions=later)) == decide(replace(request_, oppositions=()))


@given(request_=requests())
def test_cons07_a_cpe_or_cde_card_is_never_allowed(request_):
    for card in (CardType.CPE, CardType.CDE):
        decision = decide(replace(request_, card_type=card))
        assert (decision.allowed, decision.basis, decision.rule) == (False, Basis.CARD_NOT_ALLOWED, "CONS-07")


@given(request_=requests())
def test_cons07_a_cpf_card_is_decided_exactly_like_a_cps(request_):
    assert decide(replace(request_, card_type=CardType.CPF)) == decide(replace(request_, card_type=CardType.CPS))


@given(request_=requests())
def test_cons08_every_decision_is_explained(request_):
    decision = decide(request_)
    assert decision.allowed is (decision.basis in ALLOWED_BASES)
    assert decision.message == MESSAGES[decision.basis]


@pytest.mark.parametrize(
    ("birth", "on", "minor"),
    [
        (date(2009, 3, 10), date(2026, 3, 10), True),  # 17 today
        (date(2008, 3, 11), date(2026, 3, 10), True),  # 18 tomorrow
        (date(2008, 3, 10), date(2026, 3, 10), False),  # 18 today
        (date(2007, 3, 10), date(2026, 3, 10), False),  # 19 today
        (date(2008, 2, 29), date(2026, 2, 28), True),
        (date(2008, 2, 29), date(2026, 3, 1), False),
    ],
)
def test_cons04_a_patient_is_minor_until_their_eighteenth_birthday(birth, on, minor):
    assert is_minor(birth, on) is minor


@pytest.mark.parametrize(
    ("purpose", "decision", "names_professional", "ok"),
    [
        (ConsentPurpose.FEEDING_INFORMATION, ConsentDecision.INFORMED, False, True),
        (ConsentPurpose.FEEDING_INFORMATION, ConsentDecision.GIVEN, False, False),
        (ConsentPurpose.FEEDING_OPPOSITION, ConsentDecision.OPPOSED, False, True),
        (ConsentPurpose.CONSULTATION, ConsentDecision.OPPOSED, False, False),
        (ConsentPurpose.DELEGATION, ConsentDecision.GIVEN, False, False),
        (ConsentPurpose.DELEGATION, ConsentDecision.GIVEN, True, True),
        ("unknown", ConsentDecision.GIVEN, False, False),
    ],
)
def test_cons02_cons03_consent_purpose_and_decision_must_fit(purpose, decision, names_professional, ok):
    error = consent_input_error(purpose=purpose, decision=decision, names_professional=names_professional)
    assert (error is None) is ok


@pytest.mark.parametrize(
    ("purpose", "decision", "names_professional", "message"),
    [
        ("unknown", ConsentDecision.GIVEN, False, "Objet du consentement inconnu."),
        (
            ConsentPurpose.FEEDING_INFORMATION,
            ConsentDecision.GIVEN,
            False,
            "Cette décision ne correspond pas à l'objet du recueil (règles CONS-02, CONS-03).",
        ),
        (
            ConsentPurpose.DELEGATION,
            ConsentDecision.GIVEN,
            False,
            "Une délégation désigne le professionnel autorisé à consulter le DMP.",
        ),
    ],
)
def test_cons02_cons03_a_consent_that_does_not_fit_is_refused_in_french(purpose, decision, names_professional, message):
    assert consent_input_error(purpose=purpose, decision=decision, names_professional=names_professional) == message
