"""The history page: who changed what, when and why, side by side, read-only for everyone (AUD-01, AUD-02)."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from patients.models import IdentityDocument, InsHistoryEntry, Patient
from patients.services import identity_downgrade, patient_update_traits
from tests.factories import PatientFactory, check_passport, qualified_patient

pytestmark = pytest.mark.django_db


def history_url(patient: Patient) -> str:
    return reverse("admin:patients_patient_history", args=[patient.pk])


def test_aud01_history_shows_who_what_when_and_why_side_by_side(referent_client, desk_agent):
    patient = PatientFactory(birth_name="MARTIN", actor=desk_agent)
    patient_update_traits(actor=desk_agent, patient=patient, changes={"used_name": "Durand"}, reason="Mariage")

    response = referent_client.get(history_url(patient))

    assert response.status_code == 200
    events = response.context["events"]
    latest = events[0]
    assert (latest.who, latest.reason_code, latest.reason_label, latest.reason_text) == (
        "agent.accueil",
        "TRAITS_UPDATE",
        "Modification des traits",
        "Mariage",
    )
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("nom utilisé", "—", "DURAND")]
    html = response.content.decode()
    assert '<td class="old-value">—</td>' in html
    assert '<td class="new-value">DURAND</td>' in html
    assert "Création de l&#x27;identité" in html


def test_aud01_status_changes_and_document_checks_appear_with_their_rule(referent_client, desk_agent):
    patient = check_passport(PatientFactory(birth_name="MARTIN"), actor=desk_agent)

    events = referent_client.get(history_url(patient)).context["events"]

    check = next(e for e in events if e.subject == "Identité" and e.reason_code == "DOCUMENT_CHECK")
    changes = {c.label: (c.old, c.new) for c in check.changes}
    assert changes["statut"] == ("PROV · Identité provisoire", "VALI · Identité validée")
    document = next(e for e in events if e.subject == "Justificatif")
    assert ("type de justificatif", "—", "Passeport") in [(c.label, c.old, c.new) for c in document.changes]


def test_aud01_downgrade_reason_is_shown_with_its_label_not_its_code(referent_client, referent):
    patient = qualified_patient()
    identity_downgrade(
        actor=referent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="INS d'un homonyme"
    )

    html = referent_client.get(history_url(patient)).content.decode()

    # Issue 12: a person reads the label; the code stays for the API and the auditors' filters.
    assert "ST-06_DOWNGRADE" not in html
    assert "Déclassement de l&#x27;identité (ST-06)" in html
    assert "INS d&#x27;un homonyme" in html
    assert '<td class="old-value">275126322074974</td>' in html


def test_aud02_auditor_reads_the_history_without_any_button_to_change_it(auditor_client):
    patient = qualified_patient()

    response = auditor_client.get(history_url(patient))

    html = response.content.decode()
    assert response.status_code == 200
    assert "lecture seule" in html
    for forbidden in ('name="_save"', "Restaurer", "revert", 'type="submit" class="default"'):
        assert forbidden not in html


def test_staff_without_the_history_permission_get_403_and_no_link(client):
    # Issue 12: agents now read the history; a staff account holding only patients.view_patient does not.
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    reader = UserFactory(username="lecteur.seul", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(content_type__app_label="patients", codename="view_patient"))
    client.force_login(reader)
    patient = PatientFactory()

    assert client.get(history_url(patient)).status_code == 403
    page = client.get(reverse("admin:patients_patient_change", args=[patient.pk])).content.decode()
    assert history_url(patient) not in page


def test_aud01_no_historical_row_is_editable_even_by_a_superuser(admin_client):
    patient = qualified_patient()

    for model in (Patient, IdentityDocument, InsHistoryEntry):
        assert not admin.site.is_registered(model.history.model)
    with pytest.raises(NoReverseMatch):
        reverse("admin:patients_patient_revert", args=[patient.pk, 1])
    assert "Restaurer" not in admin_client.get(history_url(patient)).content.decode()


def test_aud01_documents_and_earlier_ins_are_read_only_even_for_a_superuser(admin_client):
    patient = qualified_patient()
    document = patient.documents.get()

    assert admin_client.get(reverse("admin:patients_identitydocument_add")).status_code == 403
    assert admin_client.get(reverse("admin:patients_identitydocument_delete", args=[document.pk])).status_code == 403
    page = admin_client.get(reverse("admin:patients_identitydocument_change", args=[document.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:patients_identitydocument_change", args=[document.pk]), {"issuing_country": "DE"}
    )
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:patients_inshistoryentry_add")).status_code == 403


def test_evidence_lists_do_not_query_per_row(agent_client, django_assert_max_num_queries):
    for _ in range(5):
        check_passport(PatientFactory())

    with django_assert_max_num_queries(12):
        response = agent_client.get(reverse("admin:patients_identitydocument_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5
