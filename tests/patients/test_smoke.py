import pytest

from tests.factories import qualified_patient


@pytest.mark.django_db
def test_st01_qualified_identity_has_qual_status():
    patient = qualified_patient()
    assert patient.status == "QUAL"
    assert patient.history.count() == 3
