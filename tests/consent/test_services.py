"""Services: history on every change (AUD-01), withdrawals change the decision at once, decisions logged."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consent import reasons
from consent.codes import (
    AccessMode,
    AccessPurpose,
    Basis,
    CardType,
    ConsentDecision,
    ConsentPurpose,
    GiverCapacity,
    OppositionKind,
)
from consent.models import AccessDecisionLog, EmergencyAccess
from consent.services import (
    care_episode_create,
    care_episode_delete,
    care_team_add_member,
    consent_withdraw,
    dmp_access_decision,
    emergency_access_declare,
    opposition_record,
    opposition_withdraw,
    professional_create,
    professional_deactivate,
)
from identity_registry.exceptions import InvalidInput, RuleViolation
from tests.consent.conftest import give_consent, join_team
from tests.factories import PatientFactory, qualified_patient

pytestmark = pytest.mark.django_db


def decide(actor, patient, professional, episode, **kwargs):
    return dmp_access_decision(
        actor=actor,
        patient=patient,
        professional=professional,
        episode=episode,
        purpose=kwargs.pop("purpose", AccessPurpose.CONSULTATION),
        **kwargs,
    )


def test_pro01_professional_with_a_bad_rpps_is_refused_naming_the_field(referent):
    with pytest.raises(InvalidInput) as exc:
        professional_create(
            actor=referent,
            national_id="10001234567",
            last_name="X",
            first_name="Y",
            profession="Médecin",
            card_type=CardType.CPS,
        )
    assert "national_id" in exc.value.details


def test_pro01_professional_stores_identifier_kind_and_history(make_professional):
    professional = make_professional(national_id="0751234567")
    assert professional.id_kind == "ADELI"
    row = professional.history.get()
    assert (row.history_user.username, row.history_reason_code) == ("referent", reasons.PROFESSIONAL_CREATE)


def test_cons03_withdrawing_a_consent_keeps_history_and_refuses_at_once(referent, patient, episode, make_professional):
    outsider = make_professional()
    record = give_consent(referent, episode, professional=outsider)
    assert decide(referent, patient, outsider, episode).basis == Basis.EXPLICIT_CONSENT

    consent_withdraw(actor=referent, consent=record, reason="Le patient retire son accord")

    after = decide(referent, patient, outsider, episode)
    assert (after.allowed, after.basis) == (False, Basis.CONSENT_WITHDRAWN)
    first, latest = record.history.order_by("history_date")
    assert first.withdrawn_at is None and first.decision == ConsentDecision.GIVEN
    assert latest.withdrawn_at is not None
    assert latest.history_reason_code == reasons.CONSENT_WITHDRAW
    assert latest.history_change_reason == "Le patient retire son accord"


def test_cons06_withdrawing_an_opposition_keeps_history_and_opens_emergency_access_at_once(
    referent, patient, episode, make_professional
):
    urgentist = make_professional()
    opposition = opposition_record(
        actor=referent,
        patient=patient,
        kind=OppositionKind.EMERGENCY_ACCESS,
        expressed_by_capacity=GiverCapacity.PATIENT,
        expressed_by_name="Le patient",
    )
    result = emergency_access_declare(
        actor=referent,
        professional=urgentist,
        episode=episode,
        mode=AccessMode.BRIS_DE_GLACE,
        justification="Patient inconscient, traitements inconnus",
        patient_cannot_express=True,
    )
    assert (result.decision.allowed, result.decision.basis) == (False, Basis.EMERGENCY_OPPOSED)

    opposition_withdraw(actor=referent, opposition=opposition)

    after = decide(referent, patient, urgentist, episode, mode=AccessMode.BRIS_DE_GLACE)
    assert (after.allowed, after.basis) == (True, Basis.EMERGENCY_BRIS_DE_GLACE)
    states = [row.withdrawn_at is None for row in opposition.history.order_by("history_date")]
    assert states == [True, False]


def test_cons06_the_same_opposition_cannot_stand_twice(referent, patient):
    values = {
        "actor": referent,
        "patient": patient,
        "kind": OppositionKind.FEEDING,
        "expressed_by_capacity": GiverCapacity.PATIENT,
        "expressed_by_name": "Le patient",
    }
    opposition_record(**values)
    with pytest.raises(RuleViolation) as exc:
        opposition_record(**values)
    assert exc.value.code == "CONS-06"


def test_cons05_emergency_access_without_justification_is_refused_and_not_recorded(
    referent, episode, make_professional
):
    with pytest.raises(InvalidInput) as exc:
        emergency_access_declare(
            actor=referent,
            professional=make_professional(),
            episode=episode,
            mode=AccessMode.CENTRE_15,
            justification="   ",
            patient_cannot_express=True,
        )
    assert exc.value.details == {
        "justification": ["La justification de l'accès en urgence est obligatoire (règle CONS-05)."]
    }
    assert not EmergencyAccess.objects.exists()


def test_cons05_emergency_access_needs_the_patient_unable_to_express(referent, episode, make_professional):
    with pytest.raises(InvalidInput) as exc:
        emergency_access_declare(
            actor=referent,
            professional=make_professional(),
            episode=episode,
            mode=AccessMode.BRIS_DE_GLACE,
            justification="Détresse respiratoire",
            patient_cannot_express=False,
        )
    assert "patient_cannot_express" in exc.value.details


def test_cons08_every_decision_is_logged_with_inputs_and_result(referent, patient, episode, make_professional):
    secretary = make_professional(card_type=CardType.CPE, profession="Secrétaire médicale")
    join_team(referent, episode, secretary)
    log = decide(referent, patient, secretary, episode)
    stored = AccessDecisionLog.objects.get()
    assert stored == log
    assert (stored.allowed, stored.basis, stored.rule) == (False, Basis.CARD_NOT_ALLOWED, "CONS-07")
    assert stored.inputs["card_type"] == "CPE"
    assert stored.inputs["in_care_team"] is True
    assert stored.requested_by == referent


def test_cons08_decision_log_rows_cannot_be_changed_or_deleted(referent, patient, episode, make_professional):
    log = decide(referent, patient, make_professional(), episode)
    log.allowed = True
    with pytest.raises(RuntimeError):
        log.save()
    with pytest.raises(RuntimeError):
        log.delete()
    assert AccessDecisionLog.objects.get().allowed is False


def test_cons03_team_member_is_presumed_once_patient_informed(referent, patient, episode, make_professional):
    intern = make_professional(card_type=CardType.CPF, profession="Interne")
    join_team(referent, episode, intern, role="Interne")
    assert decide(referent, patient, intern, episode).basis == Basis.PATIENT_NOT_INFORMED
    give_consent(referent, episode, decision=ConsentDecision.INFORMED)
    assert decide(referent, patient, intern, episode).basis == Basis.CARE_TEAM_PRESUMED


def test_cons03_team_member_who_left_needs_explicit_consent(referent, patient, episode, make_professional):
    from consent.services import care_team_end_membership

    physician = make_professional()
    member = join_team(referent, episode, physician)
    give_consent(referent, episode, decision=ConsentDecision.INFORMED)
    care_team_end_membership(actor=referent, member=member)
    assert decide(referent, patient, physician, episode).basis == Basis.NO_EXPLICIT_CONSENT


def test_cons04_minor_consent_from_patient_refused_and_from_representative_allowed(referent, make_professional):
    today = timezone.localdate()
    minor = PatientFactory(actor=referent, birth_date=date(today.year - 12, 1, 1))
    episode = care_episode_create(actor=referent, patient=minor, unit="Pédiatrie", kind="consultation")
    physician = make_professional()
    record = give_consent(referent, episode, professional=physician)
    assert decide(referent, minor, physician, episode).basis == Basis.MINOR_NEEDS_REPRESENTATIVE
    consent_withdraw(actor=referent, consent=record)
    give_consent(
        referent,
        episode,
        capacity=GiverCapacity.LEGAL_REPRESENTATIVE,
        given_by_name="La mère",
        professional=physician,
    )
    assert decide(referent, minor, physician, episode).basis == Basis.EXPLICIT_CONSENT


def test_st04_cons02_feeding_needs_a_qualified_identity(referent, patient, episode, make_professional):
    physician = make_professional()
    give_consent(referent, episode, purpose=ConsentPurpose.FEEDING_INFORMATION, decision=ConsentDecision.INFORMED)
    assert decide(referent, patient, physician, episode, purpose="feeding").basis == Basis.IDENTITY_NOT_QUALIFIED
    qualified = qualified_patient()
    other = care_episode_create(actor=referent, patient=qualified, unit="Cardiologie", kind="consultation")
    give_consent(referent, other, purpose=ConsentPurpose.FEEDING_INFORMATION, decision=ConsentDecision.INFORMED)
    assert decide(referent, qualified, physician, other, purpose="feeding").basis == Basis.FEEDING_INFORMED


def test_cons01_episode_of_another_patient_is_refused_naming_the_field(referent, episode, make_professional):
    stranger = PatientFactory(actor=referent)
    with pytest.raises(InvalidInput) as exc:
        decide(referent, stranger, make_professional(), episode)
    assert "episode" in exc.value.details


def test_cons01_episode_in_use_cannot_be_deleted(referent, episode):
    give_consent(referent, episode)
    with pytest.raises(RuleViolation) as exc:
        care_episode_delete(actor=referent, episode=episode)
    assert exc.value.code == "CONS-01"


def test_cons01_episode_end_cannot_precede_start(referent, patient):
    now = timezone.now()
    with pytest.raises(InvalidInput) as exc:
        care_episode_create(
            actor=referent, patient=patient, unit="X", kind="consultation", started_at=now, ended_at=now - timedelta(1)
        )
    assert "ended_at" in exc.value.details


def test_cons08_the_decision_log_refuses_bulk_updates_and_deletes(referent, patient, episode, make_professional):
    decide(referent, patient, make_professional(), episode)
    with pytest.raises(RuntimeError):
        AccessDecisionLog.objects.update(allowed=True)
    with pytest.raises(RuntimeError):
        AccessDecisionLog.objects.all().delete()
    assert AccessDecisionLog.objects.get().allowed is False


def test_cons08_the_logged_inputs_hold_no_trait_no_ins_and_no_justification_text(referent, make_professional):
    patient = qualified_patient(actor=referent)
    episode = care_episode_create(actor=referent, patient=patient, unit="Urgences", kind="emergency")
    justification = f"Coma, patient {patient.birth_name} retrouvé seul"
    emergency_access_declare(
        actor=referent,
        professional=make_professional(),
        episode=episode,
        mode=AccessMode.BRIS_DE_GLACE,
        justification=justification,
        patient_cannot_express=True,
    )
    logged = str(AccessDecisionLog.objects.get().inputs)
    assert AccessDecisionLog.objects.get().inputs["emergencies"][0]["justified"] is True
    for private in (
        patient.birth_name,
        patient.first_name,
        patient.ins_matricule,
        str(patient.birth_date),
        justification,
    ):
        assert private not in logged


def test_cons05_a_deactivated_professional_cannot_declare_an_emergency_access(referent, episode, make_professional):
    professional = make_professional()
    professional_deactivate(actor=referent, professional=professional)
    with pytest.raises(InvalidInput) as exc:
        emergency_access_declare(
            actor=referent,
            professional=professional,
            episode=episode,
            mode=AccessMode.BRIS_DE_GLACE,
            justification="Détresse respiratoire",
            patient_cannot_express=True,
        )
    assert "professional" in exc.value.details
    assert not EmergencyAccess.objects.exists()


def test_cons03_nobody_joins_the_care_team_before_the_episode_starts(referent, episode, make_professional):
    with pytest.raises(InvalidInput) as exc:
        care_team_add_member(
            actor=referent,
            episode=episode,
            professional=make_professional(),
            role="Interne",
            joined_at=episode.started_at - timedelta(days=30),
        )
    assert "joined_at" in exc.value.details
