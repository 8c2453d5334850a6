"""Issue 8, items 12 and 13: birth dates typed at the desk, their range, and RNIV TR-07 at its edges."""

from datetime import date

import pytest
from django.utils import timezone

from identity_registry.exceptions import InvalidInput
from patients.admin.dates import TypedDateError, parse_typed_date
from patients.models import Patient
from patients.services import patient_create, patient_update_traits
from patients.traits import TraitError, check_birth_date, check_estimated_birth_date
from tests.factories import PatientFactory, retrieve_ins

# ----- typed dates (pure) ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("25/12/1920", date(1920, 12, 25)),
        ("25121920", date(1920, 12, 25)),
        ("5/1/2001", date(2001, 1, 5)),
        ("25.12.1920", date(1920, 12, 25)),
        ("25-12-1920", date(1920, 12, 25)),
        (" 29/02/2000 ", date(2000, 2, 29)),
    ],
)
def test_fix12_a_date_is_read_in_french_order_with_a_four_digit_year(typed, read):
    assert parse_typed_date(typed) == read


@pytest.mark.parametrize("typed", ["01/01/20", "010120", "1/1/20", "01/01/920", "01/01/19200"])
def test_fix12_a_year_not_written_with_four_digits_is_never_guessed(typed):
    with pytest.raises(TypedDateError) as excinfo:
        parse_typed_date(typed)
    assert excinfo.value.message == (
        "L'année se saisit sur 4 chiffres (par exemple 1920 ou 2020). Format attendu : JJ/MM/AAAA."
    )


@pytest.mark.parametrize(
    "typed",
    ["", "1920-12-25", "25/12", "2512192", "251219200", "29/02/1900", "32/01/2000", "٢٥/١٢/١٩٢٠", "25 12 1920x"],
)
def test_fix12_anything_else_is_refused_with_the_expected_format(typed):
    with pytest.raises(TypedDateError, match="Format attendu : JJ/MM/AAAA"):
        parse_typed_date(typed)


# ----- range (pure) ------------------------------------------------------------------------------------------

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("value", [date(1900, 1, 1), date(1920, 1, 1), TODAY])
def test_fix12_birth_dates_from_1900_to_today_are_accepted(value):
    assert check_birth_date(value, today=TODAY) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (date(1899, 12, 31), "antérieure au 01/01/1900"),
        (date(20, 1, 1), "antérieure au 01/01/1900"),
        (date(1, 1, 1), "antérieure au 01/01/1900"),
        (date(2026, 12, 1), "dans le futur"),
        (date(9999, 12, 31), "dans le futur"),
    ],
)
def test_fix12_absurd_birth_dates_are_refused(value, message):
    with pytest.raises(TraitError, match=message):
        check_birth_date(value, today=TODAY)


# ----- TR-07 (pure), at its edges ----------------------------------------------------------------------------

FLAGS = ("day", "month", "year")


def estimated(*parts: str) -> dict[str, bool]:
    return {f"{part}_estimated": part in parts for part in FLAGS}


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        (date(1980, 3, 14), ()),
        (date(1980, 3, 1), ("day",)),
        (date(1980, 1, 14), ("month",)),
        (date(1980, 1, 1), ("day", "month")),
        (date(1980, 3, 14), ("year",)),
        (date(1980, 3, 1), ("day", "year")),
        (date(1980, 1, 14), ("month", "year")),
        (date(1950, 12, 31), ("day", "month", "year")),
    ],
)
def test_tr07_dates_holding_the_recorded_values_are_accepted(value, parts):
    assert check_estimated_birth_date(value, **estimated(*parts)) == value


@pytest.mark.parametrize(
    ("value", "parts", "expected"),
    [
        (date(1980, 3, 2), ("day",), "01/03/1980"),
        (date(1980, 3, 14), ("day",), "01/03/1980"),
        (date(1980, 3, 31), ("day",), "01/03/1980"),
        (date(1980, 2, 14), ("month",), "14/01/1980"),
        (date(1980, 12, 14), ("month",), "14/01/1980"),
        (date(1980, 1, 2), ("day", "month"), "01/01/1980"),
        (date(1980, 12, 31), ("day", "month"), "01/01/1980"),
        (date(1980, 2, 1), ("day", "month"), "01/01/1980"),
        (date(1980, 3, 14), ("day", "year"), "01/03/1980"),
        (date(1950, 12, 30), ("day", "month", "year"), "31/12/1950"),
        (date(1950, 11, 30), ("day", "month", "year"), "31/12/1950"),
        (date(1950, 1, 1), ("day", "month", "year"), "31/12/1950"),
    ],
)
def test_tr07_an_estimated_part_that_is_not_the_recorded_value_is_refused_naming_the_date(value, parts, expected):
    with pytest.raises(TraitError) as excinfo:
        check_estimated_birth_date(value, **estimated(*parts))
    assert f"soit le {expected}." in excinfo.value.message
    assert "règle TR-07" in excinfo.value.message


# ----- the service: what both the API and the screen call -----------------------------------------------------


def create(actor, **overrides):
    values = {"birth_name": "DUPONT", "first_name": "MARIE", "sex": "F", "birth_date": date(1980, 3, 14)}
    return patient_create(actor=actor, **{**values, **overrides})


@pytest.mark.django_db
def test_tr07_the_service_refuses_day_estimated_with_day_14(agent):
    with pytest.raises(InvalidInput) as excinfo:
        create(agent, birth_day_estimated=True)

    assert excinfo.value.details == {
        "birth_date": [
            "Jour estimé : la règle TR-07 enregistre le 1er du mois, soit le 01/03/1980. Corrigez la date, "
            "ou ne marquez pas comme estimée une partie connue."
        ]
    }
    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_tr07_the_service_stores_the_recorded_values_with_their_flags(agent):
    patient = create(agent, birth_date=date(1980, 1, 1), birth_day_estimated=True, birth_month_estimated=True).patient

    patient.refresh_from_db()
    assert (patient.birth_date, patient.birth_day_estimated, patient.birth_month_estimated) == (
        date(1980, 1, 1),
        True,
        True,
    )


@pytest.mark.django_db
def test_tr07_an_update_of_the_flag_alone_is_judged_on_the_stored_date(agent):
    patient = PatientFactory(birth_date=date(1980, 3, 14))

    with pytest.raises(InvalidInput, match="soit le 01/03/1980"):
        patient_update_traits(actor=agent, patient=patient.pk, changes={"birth_day_estimated": True})
    with pytest.raises(InvalidInput, match="soit le 14/01/1980"):
        patient_update_traits(actor=agent, patient=patient.pk, changes={"birth_month_estimated": True})
    assert Patient.objects.get(pk=patient.pk).version == patient.version


@pytest.mark.django_db
def test_tr07_an_update_of_the_date_alone_is_judged_on_the_stored_flags(agent):
    patient = PatientFactory(birth_date=date(1980, 3, 1), birth_day_estimated=True)

    with pytest.raises(InvalidInput, match="soit le 01/04/1980"):
        patient_update_traits(actor=agent, patient=patient.pk, changes={"birth_date": date(1980, 4, 2)})
    result = patient_update_traits(actor=agent, patient=patient.pk, changes={"birth_date": date(1980, 4, 1)})
    assert result.changed_fields == ["birth_date"]


@pytest.mark.django_db
def test_tr07_an_unrelated_change_is_not_blocked(agent):
    patient = PatientFactory(birth_date=date(1980, 3, 1), birth_day_estimated=True)

    result = patient_update_traits(actor=agent, patient=patient.pk, changes={"phone": "0102030405"})

    assert result.changed_fields == ["phone"]


@pytest.mark.django_db
def test_tr07_the_date_returned_by_insi_clears_the_flags(agent):
    patient = retrieve_ins(PatientFactory(birth_date=date(1980, 3, 1), birth_day_estimated=True))

    assert (patient.birth_date, patient.birth_day_estimated) == (date(1980, 3, 1), False)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [date(20, 1, 1), date(1899, 12, 31)])
def test_fix12_the_service_refuses_a_birth_date_before_1900(agent, value):
    with pytest.raises(InvalidInput, match="antérieure au 01/01/1900"):
        create(agent, birth_date=value)


@pytest.mark.django_db
def test_fix12_the_service_reports_every_field_in_error_at_once(agent):
    with pytest.raises(InvalidInput) as excinfo:
        create(
            agent,
            birth_name="ﬁLLON",
            first_names="PIERRE",
            sex="X",
            birth_date=date(timezone.localdate().year + 1, 1, 1),
            birthplace_cog="ABC",
            email="nope",
        )

    assert set(excinfo.value.details) == {"birth_name", "first_names", "sex", "birth_date", "birthplace_cog", "email"}
    assert excinfo.value.message.startswith("Plusieurs champs sont à corriger : ")
    assert "U+FB01" in excinfo.value.details["birth_name"][0]
