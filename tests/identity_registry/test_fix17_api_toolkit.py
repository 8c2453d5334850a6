"""Issue 8 item 17: one API toolkit. Every API view shares one parser, one permission class and one error shape."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from identity_registry.api.parsers import SafeJSONParser, ScanUploadParser
from identity_registry.api.permissions import MethodPermission
from identity_registry.api.views import RegistryAPIView
from patients.models import Patient
from patients.selectors import patient_get
from tests.factories import PatientFactory


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
            yield route, entry.callback.view_class


API_VIEWS = sorted(_api_views())


def test_fix17_the_api_has_views_to_check():
    assert len(API_VIEWS) >= 20


@pytest.mark.parametrize(("route", "view"), API_VIEWS, ids=[route for route, _ in API_VIEWS])
def test_fix17_every_api_view_uses_the_one_parser_and_the_one_permission_class(route, view):
    assert issubclass(view, RegistryAPIView), route
    # RNIV ID-09: the scan upload is the one view that takes a file (multipart), through the project's parser.
    expected = [ScanUploadParser] if route.endswith("/scan/") else [SafeJSONParser]
    assert view.parser_classes == expected, route
    assert MethodPermission in view.permission_classes, route
    implemented = {m.upper() for m in ("get", "post", "patch", "put", "delete") if hasattr(view, m)}
    assert implemented <= set(view.required_permissions), (route, implemented)


@pytest.mark.django_db
def test_fix17_patient_get_finds_by_public_id_and_leaves_out_deactivated_identities_on_request():
    patient = PatientFactory()
    assert patient_get(patient.public_id, active_only=True) == patient
    assert patient_get(str(patient.public_id), active_only=False) == patient
    Patient.objects.filter(pk=patient.pk).update(is_active=False)
    assert patient_get(patient.public_id, active_only=True) is None
    assert patient_get(patient.public_id, active_only=False) == patient


@pytest.mark.django_db
@pytest.mark.parametrize("public_id", ["not-a-uuid", "", None, "x" * 3000, uuid.uuid4()])
def test_fix17_patient_get_answers_none_for_a_malformed_or_unknown_id(public_id):
    PatientFactory()
    assert patient_get(public_id, active_only=False) is None
