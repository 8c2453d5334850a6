"""Issue 9 on screen: the tolerant search box, create-from-search, and the duplicate check before saving."""

from datetime import date

import pytest
from django.urls import reverse

from patients.duplicates.models import DuplicateCandidate
from patients.models import Patient
from tests.factories import PatientFactory
from tests.patients.admin.test_identity_form import identity_post

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:patients_patient_changelist")
SEARCH_URL = reverse("admin:patients_patient_search")
ADD_URL = reverse("admin:patients_patient_add")
BORN = date(1980, 5, 12)


def search(client, text: str):
    return client.post(SEARCH_URL, {"q": text}, follow=True)


def listed(response) -> list:
    return list(response.context["cl"].result_list)


@pytest.fixture
def helene(db):
    return PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=BORN)


def test_tr05_a_one_letter_typo_search_finds_the_identity_and_says_why(agent_client, helene):
    PatientFactory(birth_name="MARTIN", first_name="HELENE", birth_date=BORN)
    response = search(agent_client, "dube lambrt")
    assert listed(response) == [helene]
    assert "nom proche (faute ?)" in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    ["helene dube-lambert 12/05/1980", "DUBE LAMBERT 05/12/1980", "dubelambert helen", "DUBE LAMBERT HELENE"],
)
def test_tr05_search_mixes_names_first_names_and_birth_date_in_any_order(agent_client, helene, typed):
    assert listed(search(agent_client, typed)) == [helene]


def test_tr05_search_ranks_exact_matches_first(agent_client, helene):
    close = PatientFactory(birth_name="DUBE-LAMBART", first_name="HELENE", birth_date=BORN)
    assert listed(search(agent_client, "dube-lambert helene")) == [helene, close]


def test_tr05_a_swapped_day_and_month_is_said(agent_client, helene):
    html = search(agent_client, "dube lambert 05/12/1980").content.decode()
    assert "jour et mois inversés" in html


def test_issue9_the_list_shows_no_identity_before_a_search(agent_client, helene):
    response = agent_client.get(LIST_URL)
    assert listed(response) == []


def test_issue9_create_from_search_prefills_the_form_without_traits_in_the_url(agent_client):
    response = search(agent_client, "dube lambert helene 12/05/1980")
    token = response.context["cl"].search_token
    html = response.content.decode()
    assert "Créer une identité avec cette saisie" in html
    created = agent_client.post(reverse("admin:patients_patient_create_from_search"), {"recherche": token})
    assert created.status_code == 302
    assert created.url == ADD_URL  # no trait in the URL
    form = agent_client.get(created.url).context["adminform"].form
    assert form.initial["birth_name"] == "DUBE LAMBERT"
    assert form.initial["first_name"] == "HELENE"
    assert form.initial["birth_date"] == "12/05/1980"


def test_st11_creating_a_near_duplicate_shows_the_candidate_before_saving(agent_client, helene):
    post = identity_post(birth_name="DUBE LAMBERT", first_name="HELENE", first_names="HELENE", sex="F")
    post.update(birth_date="12/05/1980", birthplace_cog="75056")
    response = agent_client.post(ADD_URL, post)
    assert response.status_code == 200
    assert Patient.objects.count() == 1  # nothing saved
    html = response.content.decode()
    assert "Doublon potentiel : vérifiez avant d'enregistrer" in html
    assert reverse("admin:patients_patient_change", args=[helene.pk]) in html
    assert "Nom : identique aux tirets, espaces ou apostrophes près" in html


def test_st11_creating_anyway_needs_a_reason_which_goes_into_history(agent_client, helene):
    post = identity_post(birth_name="DUBE LAMBERT", first_name="HELENE", first_names="HELENE", sex="F")
    post.update(birth_date="12/05/1980", birthplace_cog="75056", duplicate_confirmed="on")
    response = agent_client.post(ADD_URL, post)
    assert Patient.objects.count() == 1
    assert "Indiquez le motif" in response.content.decode()

    post["reason"] = "Personne différente : vérifié sur la carte d'identité"
    response = agent_client.post(ADD_URL, post)
    assert response.status_code == 302
    created = Patient.objects.exclude(pk=helene.pk).get()
    assert created.history.last().history_change_reason == post["reason"]
    pair = DuplicateCandidate.objects.get()
    assert pair.state == DuplicateCandidate.State.SUSPECTED
    assert pair.source == DuplicateCandidate.Source.CREATE
    created.refresh_from_db()
    helene.refresh_from_db()
    assert created.homonym_detected and helene.homonym_detected


def test_st11_a_strict_trait_change_towards_another_identity_is_checked(agent_client, helene):
    other = PatientFactory(birth_name="DUPONT", first_name="HELENE", birth_date=BORN)
    post = identity_post(other, birth_name="DUBE LAMBERT")
    response = agent_client.post(reverse("admin:patients_patient_change", args=[other.pk]), post)
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.birth_name == "DUPONT"
    # An additional trait only: no check.
    post = identity_post(other, phone="0102030405")
    assert agent_client.post(reverse("admin:patients_patient_change", args=[other.pk]), post).status_code == 302


def test_st11_the_check_also_runs_when_the_list_of_first_names_is_left_empty(agent_client, helene):
    post = identity_post(birth_name="DUBE LAMBERT", first_name="HELENE", first_names="", sex="F")
    post.update(birth_date="12/05/1980", birthplace_cog="")
    response = agent_client.post(ADD_URL, post)
    assert response.status_code == 200
    assert "Doublon potentiel" in response.content.decode()
    assert Patient.objects.count() == 1
