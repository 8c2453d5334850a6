"""FHIR R4 endpoint of the identities (FR Core Patient): read, search (IHE PDQm), $match, metadata.

Thin views: parse, fetch, log the access (AUD-03), render. Same tokens, roles and throttling as the REST API.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from fhir_api.bundles import match_search, searchset
from fhir_api.capability import capability_statement
from fhir_api.http import FhirFormView, FhirView
from fhir_api.mapping import patient_resource
from fhir_api.match import parse_match, patient_match
from fhir_api.search import SearchRequest, parse_search, patient_fhir_search
from fhir_api.selectors import patient_facts
from patients import selectors
from patients.audit import patient_record_access
from patients.models import Patient
from patients.records import PatientAccess

HIDDEN = extend_schema(exclude=True)  # FHIR is described by its CapabilityStatement, not by OpenAPI


def ipp_system() -> str:
    return settings.FHIR_IPP_SYSTEM


def _resources(patients: list[Patient]) -> list[dict]:
    return [patient_resource(facts, ipp_system=ipp_system()) for facts in patient_facts(patients)]


def _full_url(request: Request):
    base = request.build_absolute_uri(reverse("fhir:patient-type"))
    return lambda public_id: f"{base}/{public_id}"


class MetadataView(FhirView):
    # The CapabilityStatement holds no health data: readable before authenticating, as FHIR clients expect.
    permission_classes = [AllowAny]

    @HIDDEN
    def get(self, request: Request) -> Response:
        base = request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata").rstrip("/")
        today = timezone.localdate().isoformat()
        return Response(capability_statement(base_url=base, software_version="1.0", date=today))


class PatientReadView(FhirView):
    @HIDDEN
    def get(self, request: Request, public_id: str) -> Response:
        patient = selectors.patient_get(public_id, active_only=False)
        if patient is None:
            raise drf_exceptions.NotFound("Identité introuvable.")
        # RNIV AUD-03: every identity read is logged; a merged one answers with its replaced-by link (AUD-05).
        patient_record_access(actor=request.user, patients=[patient], action=PatientAccess.Action.RETRIEVE)
        response = Response(_resources([patient])[0])
        response["ETag"] = f'W/"{patient.version}"'
        return response


def _search(request: Request, params: list[tuple[str, str]], *, url_params: list[tuple[str, str]]) -> Response:
    parsed = parse_search(params)
    queryset = patient_fhir_search(parsed, ipp_system=ipp_system())
    total = queryset.count()
    page = list(queryset[parsed.offset : parsed.offset + parsed.count])
    # RNIV AUD-03: a search result shows the identity, so it is a read.
    patient_record_access(actor=request.user, patients=page, action=PatientAccess.Action.SEARCH)
    links = _page_links(request, parsed, total, url_params)
    entries = [(resource, {"mode": "match"}) for resource in _resources(page)]
    return Response(searchset(entries, total=total, links=links, full_url=_full_url(request)))


def _page_links(
    request: Request, parsed: SearchRequest, total: int, url_params: list[tuple[str, str]]
) -> dict[str, str]:
    base = request.build_absolute_uri(request.path)
    kept = [(k, v) for k, v in url_params if k not in ("_count", "_offset")]

    def url(offset: int) -> str:
        return f"{base}?{urlencode([*kept, ('_count', parsed.count), ('_offset', offset)])}"

    links = {"self": url(parsed.offset)}
    if parsed.count and parsed.offset + parsed.count < total:
        links["next"] = url(parsed.offset + parsed.count)
    if parsed.offset > 0:
        links["previous"] = url(max(parsed.offset - parsed.count, 0))
    return links


class PatientTypeView(FhirView):
    @HIDDEN
    def get(self, request: Request) -> Response:
        params = list(request.query_params.lists())
        flat = [(name, value) for name, values in params for value in values]
        return _search(request, flat, url_params=flat)


class PatientSearchPostView(FhirFormView):
    @HIDDEN
    def post(self, request: Request) -> Response:
        # FHIR: the criteria of POST _search come in the form body (and may also be in the query string).
        query = [(name, value) for name, values in request.query_params.lists() for value in values]
        # An empty body without a content type parses to a plain dict: no criteria there.
        form = request.data if hasattr(request.data, "lists") else None
        body = [(name, value) for name, values in form.lists() for value in values] if form is not None else []
        # The links keep only the paging: the client posts the same body to them (no traits in URLs).
        paging = [(k, v) for k, v in query if k in ("_count", "_offset", "_format")]
        return _search(request, [*query, *body], url_params=paging)


class PatientMatchView(FhirView):
    @HIDDEN
    def post(self, request: Request) -> Response:
        parsed = parse_match(request.data)
        results = patient_match(parsed)
        patients = [r.patient for r in results]
        patient_record_access(actor=request.user, patients=patients, action=PatientAccess.Action.SEARCH)
        resources = _resources(patients)
        paired = zip(resources, results, strict=True)
        entries = [(resource, match_search(r.match.score, r.grade)) for resource, r in paired]
        self_link = {"self": request.build_absolute_uri(request.path)}
        return Response(searchset(entries, total=len(entries), links=self_link, full_url=_full_url(request)))
