"""A URLconf with one extra identity-page link target, as the INSi and consent apps register theirs."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from identity_registry.urls import urlpatterns as registry_urlpatterns


def _insi_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    return HttpResponse("INSi")


urlpatterns = [
    path("test-insi/<int:patient_id>/", _insi_page, name="test-insi-query"),
    *registry_urlpatterns,
]
