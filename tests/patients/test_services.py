"""Identity services: rules applied on write and history rows with user and reason (AUD-01)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from identity_registry.exceptions import InvalidInput, InvalidTransition, PreconditionFailed, RuleViolation
from patients import reasons
from patients.models import IdentityDocument, InsHistoryEntry, Patient
from patients.services import (
    EarlierIns,
    InsTraits,
    identity_clear_attribute,
    identity_downgrade,
    identity_record_ins,
    identity_record_ins_verification,
    identity_set_attribute,
    identity_validate_document,
    patient_create,
    patient_update_traits,
)
from tests.factories import PatientFactory, UserFactory, check_passport, qualified_patient, retrieve_ins

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    values = {
        "birth_name": "Dupont",
        "first_name": "Ève-Marie",
        "first_names": "Ève-Marie Louise",
        "sex": "F",
        "birth_date": date(1980, 4, 12),
        "birthplace_cog": "75056",
    }
    values.update(overrides)
    return patient_create(actor=actor, **values)


def last_history(patient):
    return patient.history.order_by("-history_id").first()


def test_tr01_create_stores_normalised_strict_traits_as_a_provisional_identity(agent):
    result = create(agent, birth_name="d'Aubigné")
    patient = Patient.objects.get(pk=result.patient.pk)
    assert (patient.birth_name, patient.first_name, patient.first_names) == (
        "D'AUBIGNE",
        "EVE-MARIE",
        "EVE-MARIE LOUISE",
    )
    assert patient.status == "PROV"


def test_aud01_create_writes_history_with_user_and_reason_code(agent):
    patient = create(agent, reason="Admission aux urgences").patient
    row = last_history(patient)
    assert row.history_user == agent
    assert row.history_reason_code == reasons.CREATE
    assert row.history_change_reason == "Admission aux urgences"


def test_tr03_create_returns_the_transliteration_warning(agent):
    result = create(agent, birth_name="D’ÆION", first_name="Cœur", first_names="")
    assert result.patient.birth_name == "D'AEION"
    assert result.patient.first_name == "COEUR"
    assert any("Æ" in w for w in result.warnings)
    assert any("œ" in w for w in result.warnings)


def test_tr03_create_refuses_digits_and_names_the_field(agent):
    with pytest.raises(InvalidInput) as excinfo:
        create(agent, birth_name="Dupont2")
    assert "birth_name" in excinfo.value.details
    assert Patient.objects.count() == 0


def test_tr04_composed_first_first_name_is_accepted_whole(agent):
    patient = create(agent, first_name="Marie Christine", first_names="Marie Christine Jeanne").patient
    assert patient.first_name == "MARIE CHRISTINE"


def test_tr01_first_names_list_must_start_with_the_first_first_name(agent):
    with pytest.raises(InvalidInput) as excinfo:
        create(agent, first_name="Louise", first_names="Marie Louise")
    assert "first_names" in excinfo.value.details


def test_tr01_birth_date_in_the_future_is_refused(agent):
    with pytest.raises(InvalidInput):
        create(agent, birth_date=timezone.localdate() + timedelta(days=1))


def test_tr06_unknown_birthplace_is_recorded_as_99999_and_is_optional(agent):
    assert create(agent, birthplace_cog="99999").patient.birthplace_cog == "99999"
    assert create(agent, birthplace_cog="", birth_name="Autre").patient.birthplace_cog == ""


def test_tr07_estimated_parts_of_the_birth_date_are_stored(agent):
    patient = create(
        agent,
        birth_date=date(1950, 12, 31),
        birth_day_estimated=True,
        birth_month_estimated=True,
        birth_year_estimated=True,
    ).patient
    patient.refresh_from_db()
    assert (patient.birth_day_estimated, patient.birth_month_estimated, patient.birth_year_estimated) == (
        True,
        True,
        True,
    )


def test_tr01_unknown_sex_identity_cannot_be_validated(agent):
    patient = create(agent, sex="U").patient
    with pytest.raises(InvalidTransition) as excinfo:
        identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="FR")
    assert excinfo.value.code == "TR-01"
    patient.refresh_from_db()
    assert patient.status == "PROV"


def test_tr02_editing_an_additional_trait_keeps_the_status(agent):
    patient = qualified_patient()
    result = patient_update_traits(
        actor=agent, patient=patient, changes={"used_name": "Martin", "phone": "0601"}, reason="Mariage"
    )
    assert result.patient.status == "QUAL"
    assert result.patient.used_name == "MARTIN"
    assert last_history(result.patient).history_reason_code == reasons.TRAITS_UPDATE
    assert last_history(result.patient).history_user == agent


def test_tr11_the_ins_cannot_be_edited_as_a_trait(agent):
    patient = PatientFactory()
    with pytest.raises(InvalidInput):
        patient_update_traits(actor=agent, patient=patient, changes={"ins_matricule": "275126322074974"})
    with pytest.raises(InvalidInput):
        patient_update_traits(actor=agent, patient=patient, changes={"status": "QUAL"})
    patient.refresh_from_db()
    assert patient.ins_matricule is None and patient.status == "PROV"


def test_st05_strict_traits_of_a_retrieved_identity_are_locked(agent):
    patient = retrieve_ins(PatientFactory(birth_name="MARTIN"))
    versions = patient.history.count()
    with pytest.raises(RuleViolation) as excinfo:
        patient_update_traits(actor=agent, patient=patient, changes={"birth_name": "Martine"}, reason="typo")
    assert excinfo.value.code == "ST-05"
    patient.refresh_from_db()
    assert patient.birth_name == "MARTIN"
    assert patient.history.count() == versions


def test_st05_downgrade_then_edit_unlocks_the_strict_traits(agent):
    patient = retrieve_ins(PatientFactory(birth_name="MARTIN"))
    identity_downgrade(
        actor=agent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="Changement de nom"
    )
    result = patient_update_traits(actor=agent, patient=patient, changes={"birth_name": "Martine"}, reason="ID-08")
    assert result.patient.birth_name == "MARTINE"
    assert result.patient.status == "PROV"


def test_st07_editing_a_strict_trait_of_a_validated_identity_withdraws_c(agent):
    patient = check_passport(PatientFactory())
    assert patient.status == "VALI"
    result = patient_update_traits(
        actor=agent,
        patient=patient,
        changes={"first_name": "Louise", "first_names": "Louise"},
        reason="Erreur de saisie",
    )
    assert result.patient.status == "PROV"
    assert result.patient.document_checked is False
    assert any("ST-07" in w for w in result.warnings)
    row = last_history(result.patient)
    assert (row.history_user, row.history_reason_code) == (agent, reasons.DOCUMENT_WITHDRAWN_BY_EDIT)


def test_st07_editing_an_additional_trait_of_a_validated_identity_keeps_vali(agent):
    patient = check_passport(PatientFactory())
    assert patient_update_traits(actor=agent, patient=patient, changes={"email": "a@b.fr"}).patient.status == "VALI"


def test_update_with_a_stale_version_is_refused_and_changes_nothing(agent):
    patient = PatientFactory()
    with pytest.raises(PreconditionFailed):
        patient_update_traits(
            actor=agent, patient=patient, changes={"used_name": "X"}, expected_version=patient.version + 1
        )
    patient.refresh_from_db()
    assert patient.used_name == ""


def test_update_without_change_writes_no_history(agent):
    patient = PatientFactory(birth_name="MARTIN")
    count = patient.history.count()
    patient_update_traits(actor=agent, patient=patient, changes={"birth_name": "martin"})
    assert patient.history.count() == count


def test_id01_passport_check_validates_and_is_recorded_as_evidence(agent):
    patient = PatientFactory()
    result = identity_validate_document(
        actor=agent,
        patient=patient,
        document_type="PA",
        issuing_country="fr",
        expires_on=date(2030, 1, 1),
        reason="Admission",
    )
    assert result.patient.status == "VALI"
    document = IdentityDocument.objects.get(patient=patient)
    assert (document.checked_by, document.issuing_country, document.can_validate) == (agent, "FR", True)
    row = last_history(result.patient)
    assert (row.history_user, row.history_reason_code) == (agent, reasons.DOCUMENT_CHECK)
    doc_row = document.history.first()
    assert (doc_row.history_user, doc_row.history_reason_code) == (agent, reasons.DOCUMENT_CHECK)


def test_id01_validating_a_retrieved_identity_makes_it_qualified(agent):
    patient = retrieve_ins(PatientFactory())
    assert check_passport(patient).status == "QUAL"


def test_id02_driving_licence_is_recorded_but_does_not_validate(agent):
    patient = PatientFactory()
    result = identity_validate_document(actor=agent, patient=patient, document_type="PERMIS", issuing_country="FR")
    assert result.verdict.can_validate is False
    assert "ID-02" in result.verdict.reason
    assert result.patient.status == "PROV"
    assert IdentityDocument.objects.get(patient=patient).refusal_reason == result.verdict.reason


def test_id03_an_expired_passport_still_validates(agent):
    patient = PatientFactory()
    result = identity_validate_document(
        actor=agent, patient=patient, document_type="PA", issuing_country="FR", expires_on=date(2001, 1, 1)
    )
    assert result.patient.status == "VALI"


def test_id04_a_photocopy_does_not_validate(agent):
    result = identity_validate_document(
        actor=agent, patient=PatientFactory(), document_type="CN", issuing_country="FR", is_copy=True
    )
    assert result.patient.status == "PROV"
    assert result.verdict.rule == "ID-04"


def test_id05_minor_is_validated_with_birth_extract_and_parent_document(agent):
    child = PatientFactory(birth_date=timezone.localdate() - timedelta(days=365 * 6))
    result = identity_validate_document(
        actor=agent, patient=child, document_type="AN", issuing_country="FR", context="minor_parent_document"
    )
    assert result.patient.status == "VALI"
    adult = PatientFactory(birth_date=date(1970, 1, 1))
    result = identity_validate_document(
        actor=agent, patient=adult, document_type="AN", issuing_country="FR", context="minor_parent_document"
    )
    assert result.patient.status == "PROV"


def test_id06_ehpad_direct_admission_accepts_livret_de_famille_with_vitale(agent):
    result = identity_validate_document(
        actor=agent,
        patient=PatientFactory(birth_date=date(1935, 5, 5)),
        document_type="LECV",
        issuing_country="FR",
        context="ehpad_direct_admission",
    )
    assert result.patient.status == "VALI"


def test_id07_conflicting_documents_are_all_kept_as_evidence(agent):
    patient = PatientFactory()
    identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="FR")
    identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="IT")
    assert IdentityDocument.objects.filter(patient=patient).count() == 2


def test_id08_legal_change_downgrade_modify_and_revalidate_with_the_new_document(agent):
    patient = qualified_patient(sex="F")
    identity_downgrade(
        actor=agent,
        patient=patient,
        withdraw_ins=True,
        withdraw_document=True,
        reason="Changement de sexe à l'état civil",
    )
    patient_update_traits(actor=agent, patient=patient, changes={"sex": "M"}, reason="Jugement du 01/02/2024")
    result = identity_validate_document(actor=agent, patient=patient, document_type="CN", issuing_country="FR")
    assert (result.patient.sex, result.patient.status) == ("M", "VALI")


def test_id_invalid_document_inputs_are_refused_with_the_field_named(agent):
    patient = PatientFactory()
    for kwargs, field in [
        ({"document_type": "XX", "issuing_country": "FR"}, "document_type"),
        ({"document_type": "PA", "issuing_country": "FRA"}, "issuing_country"),
        ({"document_type": "PA", "issuing_country": "FR", "context": "nope"}, "context"),
    ]:
        with pytest.raises(InvalidInput) as excinfo:
            identity_validate_document(actor=agent, patient=patient, **kwargs)
        assert field in excinfo.value.details
    assert IdentityDocument.objects.count() == 0


def test_st10_without_a_document_the_identity_cannot_be_qualified(agent):
    patient = retrieve_ins(PatientFactory())
    identity_validate_document(actor=agent, patient=patient, document_type="AUTRE", issuing_country="FR")
    patient.refresh_from_db()
    assert patient.status == "RECUP"


def test_st02_setting_dout_on_a_fictitious_identity_is_refused(agent):
    patient = PatientFactory()
    identity_set_attribute(actor=agent, patient=patient, attribute="FICT", reason="Accouchement sous X")
    with pytest.raises(InvalidTransition) as excinfo:
        identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="doute")
    assert excinfo.value.code == "ST-02"


def test_st02_attribute_set_and_clear_write_history_with_reason(agent):
    patient = PatientFactory()
    identity_set_attribute(actor=agent, patient=patient, attribute="HOMD", reason="Deux MARTIN Zoé")
    row = last_history(patient)
    assert (row.history_user, row.history_reason_code, row.history_change_reason) == (
        agent,
        reasons.attribute_set("HOMD"),
        "Deux MARTIN Zoé",
    )
    identity_clear_attribute(actor=agent, patient=patient, attribute="HOMD", reason="Vérifié")
    row = last_history(patient)
    assert (row.history_user, row.history_reason_code) == (agent, reasons.attribute_clear("HOMD"))


def test_st02_attribute_needs_a_reason(agent):
    with pytest.raises(InvalidInput):
        identity_set_attribute(actor=agent, patient=PatientFactory(), attribute="DOUT", reason="  ")


def test_st02_ficti_alias_sets_fict(agent):
    result = identity_set_attribute(actor=agent, patient=PatientFactory(), attribute="FICTI", reason="VIP")
    assert result.patient.fictitious


def test_st03_doubtful_qualified_identity_becomes_provisional(agent):
    patient = qualified_patient()
    result = identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="Incohérence")
    assert result.patient.status == "PROV"
    assert result.patient.ins_matricule is None
    assert InsHistoryEntry.objects.filter(patient=patient, source="WITHDRAWN").exists()


def test_st03_doubtful_identity_cannot_be_validated(agent):
    patient = PatientFactory()
    identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="Incohérence")
    with pytest.raises(InvalidTransition) as excinfo:
        identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="FR")
    assert excinfo.value.code == "ST-03"
    assert IdentityDocument.objects.count() == 0


def test_st03_fictitious_identity_cannot_receive_an_ins(agent):
    patient = PatientFactory()
    identity_set_attribute(actor=agent, patient=patient, attribute="FICT", reason="Exercice")
    with pytest.raises(InvalidTransition):
        retrieve_ins(patient)


def test_st06_downgrade_needs_a_reason_and_records_it(agent):
    patient = qualified_patient()
    with pytest.raises(InvalidInput):
        identity_downgrade(actor=agent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="")
    result = identity_downgrade(
        actor=agent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="INS attribuée à un homonyme"
    )
    assert result.patient.status == "VALI"
    row = last_history(result.patient)
    assert (row.history_user, row.history_reason_code, row.history_change_reason) == (
        agent,
        reasons.DOWNGRADE,
        "INS attribuée à un homonyme",
    )


def test_st06_downgrade_of_c_only_keeps_the_ins(agent):
    patient = qualified_patient()
    result = identity_downgrade(
        actor=agent, patient=patient, withdraw_ins=False, withdraw_document=True, reason="Pièce falsifiée"
    )
    assert result.patient.status == "RECUP"
    assert result.patient.ins_matricule == "275126322074974"


def test_st06_downgrade_of_a_provisional_identity_is_refused(agent):
    with pytest.raises(InvalidTransition):
        identity_downgrade(actor=agent, patient=PatientFactory(), withdraw_ins=True, withdraw_document=True, reason="x")


def test_insi09_retrieval_replaces_strict_traits_and_keeps_the_ins_history(agent):
    patient = PatientFactory(birth_name="Ecetinsi", first_name="Pierre-Alain", sex="M", birth_date=date(2009, 7, 14))
    traits = InsTraits("ECETINSI", "PIERRE-ALAIN", "PIERRE-ALAIN MURIEL FLORIANT", "M", date(2009, 7, 14), "63220")
    result = identity_record_ins(
        actor=agent,
        patient=patient,
        matricule="109076322083489",
        oid="1.2.250.1.213.1.4.8",
        traits=traits,
        earlier=[EarlierIns("209076322083439", "1.2.250.1.213.1.4.8")],
        reason="INSi 00",
    )
    assert result.patient.status == "RECUP"
    assert result.patient.first_names == "PIERRE-ALAIN MURIEL FLORIANT"
    assert result.patient.birthplace_cog == "63220"
    assert list(patient.ins_history.values_list("matricule", flat=True)) == ["209076322083439"]
    row = last_history(result.patient)
    assert (row.history_user, row.history_reason_code) == (agent, reasons.INS_RETRIEVED)


def test_tr10_a_returned_matricule_with_a_bad_key_is_never_stored(agent):
    patient = PatientFactory()
    with pytest.raises(RuleViolation) as excinfo:
        retrieve_ins(patient, matricule="181036322045660")
    assert excinfo.value.code == "TR-10"
    patient.refresh_from_db()
    assert patient.ins_matricule is None


def test_tr12_an_ame_nir_is_refused_as_ins(agent):
    with pytest.raises(RuleViolation) as excinfo:
        retrieve_ins(PatientFactory(), matricule="375126322074958")
    assert excinfo.value.code in {"TR-10", "TR-12"}


def test_tr13_a_cog_returned_by_insi_is_accepted_even_if_unknown_locally(agent):
    patient = PatientFactory()
    traits = InsTraits(
        patient.birth_name, patient.first_name, patient.first_names, patient.sex, patient.birth_date, "99134"
    )
    result = identity_record_ins(
        actor=agent,
        patient=patient,
        matricule="275126322074974",
        oid="1.2.250.1.213.1.4.8",
        traits=traits,
        reason="INSi",
    )
    assert result.patient.birthplace_cog == "99134"


def test_tr14_an_ins_c_is_never_stored(agent):
    with pytest.raises(RuleViolation) as excinfo:
        retrieve_ins(PatientFactory(), oid="1.2.250.1.213.1.4.2")
    assert excinfo.value.code == "TR-14"


def test_st11_a_second_active_identity_with_the_same_ins_is_refused(agent):
    retrieve_ins(PatientFactory(birth_name="UN"))
    other = PatientFactory(birth_name="DEUX")
    with pytest.raises(RuleViolation) as excinfo:
        retrieve_ins(other)
    assert excinfo.value.code == "ST-11"
    other.refresh_from_db()
    assert other.ins_matricule is None


def test_st01_verification_records_the_date_of_the_last_insi_check(agent):
    patient = retrieve_ins(PatientFactory())
    before = patient.ins_verified_at
    result = identity_record_ins_verification(actor=agent, patient=patient, reason="Vérification")
    assert result.patient.ins_verified_at > before
    assert last_history(result.patient).history_reason_code == reasons.INS_VERIFIED


def test_services_accept_a_patient_id(agent):
    patient = PatientFactory()
    other = UserFactory(username="autre")
    result = identity_set_attribute(actor=other, patient=patient.pk, attribute="HOMD", reason="x")
    assert result.patient.homonym_detected


def test_aud01_a_long_justification_is_kept_whole_in_history(agent):
    patient = qualified_patient()
    justification = "Homonyme confirmé après appel de la famille. " * 30
    identity_downgrade(actor=agent, patient=patient, withdraw_ins=True, withdraw_document=True, reason=justification)
    assert last_history(patient).history_change_reason == justification.strip()


def test_id01_an_unknown_country_code_is_refused_and_nothing_is_recorded(agent):
    patient = PatientFactory()
    with pytest.raises(InvalidInput) as excinfo:
        identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="ZZ")
    assert "issuing_country" in excinfo.value.details
    assert IdentityDocument.objects.count() == 0
