"""The DMP access decision table (RULES CONS-01 to CONS-08, PRO-02, ST-04) and its properties."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent.codes import (
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
    AccessRequest,
    ConsentFact,
    EmergencyFact,
    OppositionFact,
    consent_input_error,
    decide,
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


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC))
consent_facts = st.builds(
    ConsentFact,
    purpose=st.sampled_from(ConsentPurpose.values),
    decision=st.sampled_from(ConsentDecision.values),
    capacity=st.sampled_from(GiverCapacity.values),
    recorded_at=instants,
    withdrawn_at=st.none() | instants,
    same_episode=st.booleans(),
    for_professional=st.sampled_from([None, True, False]),
)
emergency_facts = st.builds(
    EmergencyFact,
    mode=st.sampled_from([AccessMode.BRIS_DE_GLACE, AccessMode.CENTRE_15]),
    justification=st.text(max_size=20),
    patient_cannot_express=st.booleans(),
    declared_at=instants,
)
requests = st.builds(
    AccessRequest,
    purpose=st.sampled_from(AccessPurpose.values),
    mode=st.sampled_from([AccessMode.BRIS_DE_GLACE, AccessMode.CENTRE_15]),
    at=instants,
    card_type=st.none() | st.sampled_from(CardType.values),
    in_care_team=st.booleans(),
    episode_kind=st.sampled_from(EpisodeKind.values),
    episode_in_progress=st.booleans(),
    patient_is_minor=st.booleans(),
    legal_protection=st.sampled_from(LegalProtection.values),
    identity_qualified=st.booleans(),
    consents=st.lists(consent_facts, max_size=4).map(tuple),
    emergencies=st.lists(emergency_facts, max_size=3).map(tuple),
)


@given(request_=requests, recorded_before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)))
def test_cons06_an_opposition_in_force_always_refuses_emergency_access(request_, recorded_before):
    standing = OppositionFact(kind=OppositionKind.EMERGENCY_ACCESS, recorded_at=request_.at - recorded_before)
    decision = decide(replace(request_, oppositions=(*request_.oppositions, standing)))
    assert not decision.allowed


@given(request_=requests)
def test_cons06_a_centre_15_opposition_in_force_always_refuses_centre_15_access(request_):
    standing = OppositionFact(kind=OppositionKind.CENTRE_15_ACCESS, recorded_at=request_.at)
    decision = decide(replace(request_, mode=AccessMode.CENTRE_15, oppositions=(standing,)))
    assert not decision.allowed


@given(request_=requests)
def test_cons07_a_cpe_or_cde_card_is_never_allowed(request_):
    for card in (CardType.CPE, CardType.CDE):
        assert not decide(replace(request_, card_type=card)).allowed


@given(request_=requests)
def test_cons07_a_cpf_card_is_decided_exactly_like_a_cps(request_):
    assert decide(replace(request_, card_type=CardType.CPF)) == decide(replace(request_, card_type=CardType.CPS))


@pytest.mark.parametrize(
    ("birth", "on", "minor"),
    [(date(2008, 3, 11), date(2026, 3, 10), True), (date(2008, 3, 10), date(2026, 3, 10), False)],
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
