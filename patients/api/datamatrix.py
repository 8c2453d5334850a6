"""The Datamatrix INS of a qualified identity as an image (RNIV DM-01): SVG for screens and labels, PNG for print."""

from collections.abc import Callable

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from identity_registry.api.views import RegistryAPIView
from identity_registry.exceptions import RuleViolation
from patients.api import http
from patients.api.http import error_responses
from patients.audit import patient_record_access
from patients.datamatrix import DatamatrixRefused, datamatrix_text, patient_datamatrix_identity
from patients.datamatrix_render import datamatrix_png, datamatrix_svg
from patients.models import Patient
from patients.records import PatientAccess

TAG = ["patients"]
DESCRIPTION = (
    "The ECC200 Datamatrix INS of a **QUAL** identity (RNIV DM-01): the header `IS01` and the fields S1 to S7 "
    "of INTEROP.md, encoded in C40 from the first codeword (230). Any other status answers 409 with code "
    "`DM-01`. A merged identity answers 308 towards its survivor. Each image served is logged as an access "
    "(AUD-03, action `print`).\n\n409 codes: `DM-01` (the identity is not QUAL)."
)


def datamatrix_for(patient: Patient) -> str:
    """Return the text of the Datamatrix INS, or raise the API's 409 DM-01."""
    try:
        return datamatrix_text(patient_datamatrix_identity(patient))
    except DatamatrixRefused as exc:
        raise RuleViolation(str(exc), code="DM-01") from exc


class _DatamatrixImageView(RegistryAPIView):
    required_permissions = {"GET": "patients.view_patient"}
    media_type = ""
    draw: Callable[[str], bytes | str]

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The image is an HttpResponse of its own type; refusals stay JSON whatever Accept asks.
        return super().perform_content_negotiation(request, force=True)

    def _image(self, request: Request, public_id: str) -> HttpResponse:
        patient = http.patient_or_404(public_id)
        redirect = http.merged_redirect(request, patient)
        if redirect is not None:
            return redirect
        text = datamatrix_for(patient)
        patient_record_access(actor=request.user, patients=[patient], action=PatientAccess.Action.PRINT)
        return HttpResponse(type(self).draw(text), content_type=self.media_type)


class PatientDatamatrixSvgView(_DatamatrixImageView):
    media_type = "image/svg+xml"
    draw = staticmethod(datamatrix_svg)

    @extend_schema(
        tags=TAG,
        operation_id="patients_datamatrix_svg",
        summary="Datamatrix INS of a qualified identity, as SVG (DM-01)",
        description=DESCRIPTION,
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="The symbol, quiet zone included."),
            **error_responses(*http.READ_ERRORS, 409),
        },
    )
    def get(self, request: Request, public_id: str) -> HttpResponse:
        return self._image(request, public_id)


class PatientDatamatrixPngView(_DatamatrixImageView):
    media_type = "image/png"
    draw = staticmethod(datamatrix_png)

    @extend_schema(
        tags=TAG,
        operation_id="patients_datamatrix_png",
        summary="Datamatrix INS of a qualified identity, as PNG (DM-01)",
        description=DESCRIPTION,
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="The symbol, 8 pixels a module."),
            **error_responses(*http.READ_ERRORS, 409),
        },
    )
    def get(self, request: Request, public_id: str) -> HttpResponse:
        return self._image(request, public_id)
