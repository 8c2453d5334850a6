"""TR-06, issue 12: the birthplace found by name (communes with their history, countries), shown by name."""

import logging
from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from insi.admin_views import _shown
from patients import roles
from patients.admin.history import patient_timeline
from patients.birthplaces import BirthplaceError, birthplace_label, birthplace_name, birthplaces
from patients.birthplaces.build import apply_edition, history_periods
from patients.birthplaces.index import SCAN_LIMIT, SHORT_KEEP, BirthplaceIndex
from patients.birthplaces.names import query_keys
from patients.models import Patient
from tests.factories import PatientFactory
from tests.staff import staff_member

LOOKUP_URL = reverse("admin:patients_patient_birthplaces")
ADD_URL = reverse("admin:patients_patient_add")
# Seynod (74268) became a commune déléguée of the commune nouvelle Annecy (74010) on 1 January 2017.
BEFORE_ANNECY_MERGER = date(1980, 5, 4)
AFTER_ANNECY_MERGER = date(2018, 5, 4)


def codes(text: str, on: date | None = None) -> list[str]:
    return [place.code for place in birthplaces().search(text, on)]


# ----- lookup by name and by code ---------------------------------------------------------------------------


def test_tr06_typing_the_start_of_a_name_offers_the_city_first():
    places = birthplaces().search("clermont")

    assert places[0].code == "63113"
    assert places[0].label == "Clermont-Ferrand (63)"
    assert places[0].value == "Clermont-Ferrand (63) — 63113"
    assert "60157" in [p.code for p in places]  # Clermont (Oise), named exactly as typed, is offered too


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("clermont-ferrand", "63113"),
        ("CLERMONT FERRAND", "63113"),
        ("ferrand", "63113"),  # a later word of the name
        ("saint-étienne", "42218"),
        ("St Etienne", "42218"),
        ("st-étienne", "42218"),
        ("l'isle-adam", "95313"),
        ("isle adam", "95313"),  # without its article
        ("puy en velay", "43157"),
        ("évry", "91228"),
    ],
)
def test_tr06_names_are_found_whatever_the_accents_hyphens_apostrophes_and_saint(typed, code):
    assert codes(typed)[0] == code


def test_tr06_saint_typed_in_full_does_not_offer_strasbourg():
    assert "67482" not in codes("saint")
    assert codes("strasb") == ["67482"]


def test_tr06_a_code_is_found_and_named():
    assert birthplace_label("63113") == "Clermont-Ferrand (63) · 63113"
    assert birthplace_label("75120") == "Paris 20e Arrondissement (75) · 75120"
    assert birthplace_label("99999") == "Lieu de naissance inconnu · 99999"
    assert birthplace_name("2B020") == "Aregno (2B)"
    assert codes("63113") == ["63113"]


def test_tr06_countries_are_found_by_name_with_their_insee_code():
    assert codes("allemagne")[0] == "99109"
    jersey = birthplaces().search("jersey")[0]
    assert (jersey.code, jersey.label) == ("99132", "JERSEY (étranger, ROYAUME-UNI)")
    assert birthplace_label("99132") == "ROYAUME-UNI (étranger) · 99132"
    assert birthplaces().resolve("Maroc") == "99350"


# ----- validity at the birth date ---------------------------------------------------------------------------


def test_tr06_a_commune_merged_since_the_birth_keeps_the_code_valid_at_birth():
    assert birthplaces().resolve("Seynod", BEFORE_ANNECY_MERGER) == "74268"
    assert birthplaces().resolve("Seynod", AFTER_ANNECY_MERGER) == "74010"
    before = birthplaces().search("seynod", BEFORE_ANNECY_MERGER)[0]
    after = birthplaces().search("seynod", AFTER_ANNECY_MERGER)[0]
    assert before.value == "Seynod (74), jusqu'au 31/12/2016 — 74268"
    assert after.value == "Seynod (74), commune déléguée d'Annecy, depuis le 01/01/2017 — 74010"


def test_tr06_a_code_is_named_as_it_was_on_the_birth_date():
    # Saint-Étienne absorbed its neighbours in 1969-1970; Corsica's codes changed département in 1976.
    assert birthplaces().resolve("Aregno", date(1960, 1, 1)) == "20020"
    assert birthplaces().resolve("Aregno", date(1990, 1, 1)) == "2B020"
    assert birthplace_label("74268", BEFORE_ANNECY_MERGER) == "Seynod (74), jusqu'au 31/12/2016 · 74268"


def test_tr06_a_merger_seen_in_a_yearly_edition_is_dated_the_first_of_january():
    periods = history_periods(
        [
            {"type": "COM", "code": "01001", "nom": "Ancienne", "id": "COM-01001@1943-01-01"},
            {"type": "COM", "code": "01002", "nom": "Pôle", "id": "COM-01002@1943-01-01"},
        ]
    )
    edition = [
        {"type": "commune-actuelle", "code": "01002", "nom": "Nouvelle"},
        {"type": "commune-deleguee", "code": "01001", "nom": "Ancienne", "chefLieu": "01002"},
    ]
    apply_edition(periods, edition, 2022)

    assert sorted(periods) == [
        ["01001", "Ancienne", "", "", "2022-01-01", "01001"],
        ["01001", "Ancienne", "D", "2022-01-01", "", "01002"],
        ["01002", "Nouvelle", "", "2022-01-01", "", "01002"],
        ["01002", "Pôle", "", "", "2022-01-01", "01002"],
    ]


# ----- unknown or ambiguous ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Zzyzxville", "« Zzyzxville » : aucune commune ni aucun pays de ce nom dans le référentiel"),
        ("12345", "Le code 12345 n'existe pas dans le référentiel des lieux de naissance"),
        ("Saint-Denis", "« Saint-Denis » désigne plusieurs lieux"),
    ],
)
def test_tr06_an_unknown_or_ambiguous_place_is_refused_in_french(typed, message):
    with pytest.raises(BirthplaceError) as refused:
        birthplaces().resolve(typed, date(1990, 1, 1))
    assert message in str(refused.value)


def test_tr06_the_department_settles_an_ambiguous_name():
    assert birthplaces().resolve("Saint-Denis (93)", date(1990, 1, 1)) == "93066"
    assert birthplaces().resolve("Saint-Denis 974", date(1990, 1, 1)) == "97411"


# ----- the index shape (the lookup reads a few names, never the whole list) ----------------------------------


class CountingList(list):
    reads = 0

    def __getitem__(self, item):
        CountingList.reads += 1
        return super().__getitem__(item)


@pytest.mark.parametrize(
    ("typed", "most"),
    [("clermont", 100), ("seynod", 20), ("allemagne", 30), ("s", 1_000), ("saint", 1_000), ("saint m", 2_000)],
)
def test_tr06_a_lookup_reads_only_the_names_that_start_with_the_text(typed, most):
    # The shape that keeps a lookup under a millisecond: a few names read out of 45,000, never a scan.
    index = birthplaces()
    counted = BirthplaceIndex.__new__(BirthplaceIndex)
    counted.__dict__.update(index.__dict__)
    counted.places = CountingList(index.places)
    CountingList.reads = 0

    assert counted.search(typed) == index.search(typed)
    assert len(index.places) > 45_000
    assert CountingList.reads <= most
    # Short prefixes read their ranked bucket, longer ones at most SCAN_LIMIT keys per table and key.
    assert CountingList.reads <= 2 * (2 * SHORT_KEEP + 2 * SCAN_LIMIT)


def test_tr06_query_keys_read_sai_as_the_start_of_saint():
    assert query_keys("sai") == ["SAI", "ST "]
    assert query_keys("Sainte") == ["STE "]
    assert query_keys("Saint-Flour") == ["ST FLOUR"]


# ----- the screens ------------------------------------------------------------------------------------------


@pytest.fixture
def agent(db) -> Client:
    client = Client()
    client.force_login(staff_member(roles.AGENT, username="agent.accueil"))
    return client


def identity_post(**overrides) -> dict:
    data = {
        "birth_name": "MARTIN",
        "first_name": "LOUIS",
        "first_names": "LOUIS",
        "sex": "M",
        "birth_date": "02/03/1980",
        "birthplace_cog": "",
        "used_name": "",
        "used_first_name": "",
        "address": "",
        "phone": "",
        "email": "",
        "reason": "",
        "_save": "Enregistrer",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("typed", "born", "code"),
    [
        ("Clermont-Ferrand (63) — 63113", "02/03/1980", "63113"),  # picked in the list
        ("Clermont-Ferrand", "02/03/1980", "63113"),  # typed without the script
        ("Seynod", "04/05/1980", "74268"),
        ("Seynod", "04/05/2018", "74010"),
        ("2B020", "02/03/1980", "2B020"),
    ],
)
def test_tr06_the_identity_form_stores_the_code_of_the_place_typed_by_name(agent, typed, born, code):
    response = agent.post(ADD_URL, identity_post(birthplace_cog=typed, birth_date=born))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Patient.objects.get().birthplace_cog == code


def test_tr06_the_identity_form_refuses_an_unknown_place_in_french(agent):
    response = agent.post(ADD_URL, identity_post(birthplace_cog="Zzyzxville"))

    assert response.status_code == 200
    assert "aucune commune ni aucun pays de ce nom" in response.content.decode()
    assert not Patient.objects.exists()


def test_tr06_the_identity_page_shows_the_name_beside_the_code_in_an_accessible_combobox(agent):
    patient = PatientFactory(birthplace_cog="63113")

    html = agent.get(reverse("admin:patients_patient_change", args=[patient.pk])).content.decode()

    assert 'value="Clermont-Ferrand (63) — 63113"' in html
    assert 'role="combobox"' in html
    assert 'aria-controls="id_birthplace_cog_listbox"' in html
    assert 'role="listbox"' in html
    assert "patients/birthplace.js" in html
    assert 'maxlength="5"' not in html.split('name="birthplace_cog"')[1].split(">")[0]


def test_tr06_the_auditor_reads_the_name_beside_the_code(db):
    auditor = Client()
    auditor.force_login(staff_member(roles.AUDITOR, username="auditeur"))
    patient = PatientFactory(birthplace_cog="63113")

    html = auditor.get(reverse("admin:patients_patient_change", args=[patient.pk])).content.decode()

    assert "Clermont-Ferrand (63) · 63113" in html


def test_tr06_the_lookup_answers_places_for_a_posted_text_and_birth_date(agent, caplog):
    caplog.set_level(logging.DEBUG)
    response = agent.post(LOOKUP_URL, {"q": "seynod", "birth_date": "04/05/1980"})

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {
        "code": "74268",
        "label": "Seynod (74), jusqu'au 31/12/2016",
        "value": "Seynod (74), jusqu'au 31/12/2016 — 74268",
        "valid": True,
    }
    assert "seynod" not in caplog.text.lower()  # the typed place is not logged


def test_tr06_the_lookup_is_post_only_and_for_staff(agent, db):
    assert agent.get(LOOKUP_URL, {"q": "clermont"}).status_code == 405
    assert Client().post(LOOKUP_URL, {"q": "clermont"}).status_code == 302  # to the log-in page
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(staff_member(roles.AGENT, username="agent.sans.jeton"))
    assert checked.post(LOOKUP_URL, {"q": "clermont"}).status_code == 403  # no CSRF token


def test_tr06_history_and_insi_comparison_name_the_birthplace(db):
    patient = PatientFactory(birthplace_cog="75056")
    from patients.services import patient_update_traits

    patient_update_traits(
        actor=patient.history.first().history_user, patient=patient.pk, changes={"birthplace_cog": "63113"}, reason=""
    )
    changes = [c for event in patient_timeline(patient) for c in event.changes if "naissance (COG)" in c.label]

    assert (changes[0].old, changes[0].new) == ("Paris (75) · 75056", "Clermont-Ferrand (63) · 63113")
    assert _shown("birthplace_cog", "63113") == "Clermont-Ferrand (63) · 63113"


def test_tr06_the_template_filter_names_a_code():
    rendered = Template("{% load birthplaces %}{{ code|birthplace_label }}").render(Context({"code": "99109"}))
    assert rendered == "ALLEMAGNE (étranger) · 99109"


def test_tr06_the_api_adds_the_birthplace_name_and_keeps_the_code(db):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff_member(roles.AGENT, username="agent.api"))
    patient = PatientFactory(birthplace_cog="74268", birth_date=BEFORE_ANNECY_MERGER)

    body = client.get(f"/api/v1/patients/{patient.public_id}/").json()

    assert body["birthplace_cog"] == "74268"
    assert body["birthplace_name"] == "Seynod (74), jusqu'au 31/12/2016"
