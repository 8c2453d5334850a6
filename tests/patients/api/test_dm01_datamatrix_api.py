"""RNIV DM-01 over the API: the image of a QUAL identity decodes back; any other status is a 409 DM-01."""

import pytest

from patients.models import PatientAccess
from tests.factories import PatientFactory, qualified_patient, retrieve_ins
from tests.patients.api.conftest import detail_url
from tests.patients.datamatrix_decode import decode_png, decode_svg

pytestmark = pytest.mark.django_db


@pytest.fixture
def qual():
    return qualified_patient(birth_name="D'ARTAGNAN", first_name="MARIE-ANNE", first_names="MARIE-ANNE JEANNE", sex="F")


def _expected(patient) -> bytes:
    return (
        "IS01"
        + "0" * 22
        + f"S1{patient.ins_matricule}S2{patient.ins_oid}"
        + ("\x1d" if len(patient.ins_oid) < 20 else "")
        + f"S3{patient.first_names}\x1dS4{patient.birth_name}\x1dS5{patient.sex}S6{patient.birth_date:%d-%m-%Y}"
        + (f"S7{patient.birthplace_cog}" if patient.birthplace_cog else "")
    ).encode("ascii")


def test_dm01_svg_of_a_qualified_identity_decodes_to_its_traits_and_ins(client_for, qual):
    response = client_for("dpi").get(detail_url(qual, "datamatrix.svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert decode_svg(response.content.decode()) == _expected(qual)


def test_dm01_png_of_a_qualified_identity_decodes_back(client_for, qual):
    response = client_for("agent").get(detail_url(qual, "datamatrix.png"), HTTP_ACCEPT="image/png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == _expected(qual)


def test_dm01_each_image_served_is_logged_as_a_print(client_for, qual):
    client_for("dpi").get(detail_url(qual, "datamatrix.svg"))
    assert PatientAccess.objects.filter(patient=qual, action="print").count() == 1


@pytest.mark.parametrize("make", [PatientFactory, lambda: retrieve_ins(PatientFactory())], ids=["PROV", "RECUP"])
@pytest.mark.parametrize("suffix", ["datamatrix.svg", "datamatrix.png"])
def test_dm01_other_statuses_get_409_dm01_in_json(client_for, make, suffix):
    patient = make()
    response = client_for("dpi").get(detail_url(patient, suffix), HTTP_ACCEPT="image/svg+xml")
    assert response.status_code == 409
    assert response.json()["code"] == "DM-01"
    assert "identité qualifiée" in response.json()["message"]
    assert not PatientAccess.objects.filter(patient=patient).exists()


NOBODY = "/api/v1/patients/00000000-0000-0000-0000-000000000000/datamatrix.svg"


def test_dm01_unknown_identity_is_404_and_anonymous_is_401(client, client_for):
    assert client_for("dpi").get(NOBODY).status_code == 404
    assert client.get(NOBODY).status_code == 401
