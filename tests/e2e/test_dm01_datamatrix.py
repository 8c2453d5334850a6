"""RNIV DM-01 in a real browser: a scanned Datamatrix fills the creation form; a QUAL label's symbol decodes."""

import pytest

from patients import roles
from patients.models import Patient
from tests.e2e.test_admission_desk import log_in
from tests.factories import qualified_patient
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCAN = (
    "IS010000000000000000000000S1255081416802538S21.2.250.1.213.1.4.10S3MARIE-ANNE JEANNE\x1d"
    "S4D'ARTAGNAN-TEST\x1dS5FS614-08-1955S714118"
)


def test_dm01_pasting_a_datamatrix_fills_the_creation_form(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.scan")
    log_in(page, live_server, "agent.scan")
    page.goto(f"{live_server.url}/admin/patients/patient/add/")
    scan = page.get_by_label("Datamatrix INS scanné")
    scan.focus()
    # What a keyboard-wedge scanner does: the whole text at once, then Enter.
    page.evaluate(
        """(text) => {
            const field = document.querySelector('input[data-datamatrix-read]');
            const data = new DataTransfer();
            data.setData('text/plain', text);
            field.value = text;
            field.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
        }""",
        SCAN,
    )
    expect(page.locator("#id_birth_name")).to_have_value("D'ARTAGNAN-TEST")
    expect(page.locator("#id_first_name")).to_have_value("MARIE-ANNE")
    expect(page.locator("#id_first_names")).to_have_value("MARIE-ANNE JEANNE")
    expect(page.locator("#id_birth_date")).to_have_value("14/08/1955")
    expect(page.locator("#id_birthplace_cog")).to_have_value("14118")
    expect(page.locator("#datamatrix-scan-result")).to_contain_text("ne comptera qu'après vérification")
    screenshot(page, "dm01-scan-filled-form")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    patient = Patient.objects.get(birth_name="D'ARTAGNAN-TEST")
    assert patient.collection_method == "CB"
    assert patient.get_sex_display() == "Féminin"


def test_dm01_label_of_a_qualified_identity_shows_a_datamatrix_that_decodes_back(page, live_server, screenshot):
    import io

    import numpy as np
    import zxingcpp
    from PIL import Image

    staff_member(roles.AGENT, username="agent.label")
    patient = qualified_patient(birth_name="DUPONT", first_name="JEANNE", first_names="JEANNE MARIE", sex="F")
    log_in(page, live_server, "agent.label")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/etiquette/")
    screenshot(page, "dm01-label-qual")
    shot = page.locator(".label-datamatrix svg").screenshot()
    image = np.array(Image.open(io.BytesIO(shot)).convert("L"))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.DataMatrix)
    assert len(found) == 1
    assert found[0].bytes == (
        b"IS01"
        + b"0" * 22
        + b"S1275126322074974S21.2.250.1.213.1.4.8\x1dS3JEANNE MARIE\x1dS4DUPONT\x1d"
        + f"S5FS6{patient.birth_date:%d-%m-%Y}".encode()
        + (f"S7{patient.birthplace_cog}".encode() if patient.birthplace_cog else b"")
    )
    # On paper: the label alone, no menu, no button.
    page.emulate_media(media="print")
    from playwright.sync_api import expect

    expect(page.locator("#header")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer l'étiquette")).to_be_hidden()
    screenshot(page, "dm01-label-print")
