"""Edge cases found in review: input that once reached the database unchecked, and facts left unsaid."""

from datetime import date

import pytest

from identity_registry.exceptions import InvalidInput, RuleViolation
from patients import reasons
from patients.models import InsHistoryEntry, Patient
from patients.services import (
    EarlierIns,
    InsTraits,
    identity_record_ins,
    identity_set_attribute,
    identity_validate_document,
    patient_create,
)
from tests.factories import PatientFactory, qualified_patient

pytestmark = pytest.mark.django_db
NIR_OID = "1.2.250.1.213.1.4.8"


def test_tr03_a_name_lengthened_past_its_column_by_transliteration_is_refused_with_the_field_named(agent):
    # 60 typed characters, 120 once each Œ becomes OE: over the 100 the column holds.
    with pytest.raises(InvalidInput) as excinfo:
        patient_create(actor=agent, birth_name="Œ" * 60, first_name="Anne", sex="F", birth_date=date(1980, 1, 1))
    assert "100 caractères" in excinfo.value.details["birth_name"][0]
    assert not Patient.objects.exists()


def test_tr03_a_name_that_fits_after_transliteration_is_stored(agent):
    patient = patient_create(
        actor=agent, birth_name="Œ" * 50, first_name="Anne", sex="F", birth_date=date(1980, 1, 1)
    ).patient
    assert patient.birth_name == "OE" * 50


def test_tr01_insi_traits_without_a_sex_m_or_f_are_refused_and_nothing_is_stored(agent):
    patient = PatientFactory(sex="U")
    traits = InsTraits(patient.birth_name, patient.first_name, patient.first_names, "U", patient.birth_date)
    with pytest.raises(RuleViolation) as excinfo:
        identity_record_ins(
            actor=agent, patient=patient, matricule="275126322074974", oid=NIR_OID, traits=traits, reason="x"
        )
    assert excinfo.value.code == "TR-01"
    patient.refresh_from_db()
    assert (patient.ins_matricule, patient.status) == (None, "PROV")


def test_tr10_an_earlier_matricule_with_a_bad_key_is_refused_and_nothing_is_stored(agent):
    patient = PatientFactory()
    with pytest.raises(RuleViolation) as excinfo:
        identity_record_ins(
            actor=agent,
            patient=patient,
            matricule="275126322074974",
            oid=NIR_OID,
            traits=InsTraits.of(patient),
            earlier=[EarlierIns("275126322074975", NIR_OID)],
            reason="x",
        )
    assert excinfo.value.code == "TR-10"
    patient.refresh_from_db()
    assert patient.ins_matricule is None
    assert not InsHistoryEntry.objects.exists()


def test_st03_doubtful_qualified_identity_reports_what_was_withdrawn_and_why(agent):
    patient = qualified_patient()
    result = identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="Papiers douteux")
    assert result.changed_fields == ["doubtful", "ins_verified", "document_checked"]
    entry = InsHistoryEntry.objects.get(patient=patient)
    assert entry.source == InsHistoryEntry.Source.WITHDRAWN
    row = entry.history.get()
    assert (row.history_user, row.history_reason_code) == (agent, reasons.attribute_set("DOUT"))


def test_st02_confirming_a_detected_homonym_reports_both_flags(agent):
    patient = PatientFactory()
    identity_set_attribute(actor=agent, patient=patient, attribute="HOMD", reason="Même nom, même date")
    result = identity_set_attribute(actor=agent, patient=patient, attribute="HOMA", reason="Confirmé")
    assert result.changed_fields == ["homonym_confirmed", "homonym_detected"]
    assert result.patient.attributes == {"HOMA"}


def test_id_a_refused_document_reports_no_change_and_an_accepted_one_reports_c(agent):
    patient = PatientFactory()
    refused = identity_validate_document(actor=agent, patient=patient, document_type="PERMIS", issuing_country="FR")
    assert refused.changed_fields == []
    accepted = identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="FR")
    assert accepted.changed_fields == ["document_checked"]
    assert accepted.patient.status == "VALI"


def test_id_an_expiry_that_is_not_a_date_is_refused_with_the_field_named(agent):
    patient = PatientFactory()
    with pytest.raises(InvalidInput) as excinfo:
        identity_validate_document(
            actor=agent, patient=patient, document_type="PA", issuing_country="FR", expires_on="2030-13-01"
        )
    assert "expires_on" in excinfo.value.details
    assert not patient.documents.exists()
