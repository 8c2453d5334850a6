from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from identity_registry import health
from patients.admin.labels import patient_label_view, patient_wristband_view
from patients.admin.referent_desk import referent_desk_view
from patients.admin.timeline_view import patient_timeline_view

admin.site.site_header = "Référentiel d'identités patient"
admin.site.site_title = "Référentiel d'identités"
admin.site.index_title = "Identitovigilance"
admin.site.site_url = None

# An unmatched /api/ path (a malformed id) answers in the API's error shape, not with an HTML page.
handler404 = "identity_registry.exceptions.page_not_found"

urlpatterns = [
    # RNIV AUD-02: before the admin's catch-all, which would read "chronologie" as an object id.
    path(
        "admin/patients/patient/<int:patient_id>/chronologie/",
        admin.site.admin_view(patient_timeline_view),
        name="patient-timeline",
    ),
    # RNIV DM-01: the printed label (with the Datamatrix INS of a QUAL identity) and the wristband.
    path(
        "admin/patients/patient/<int:patient_id>/etiquette/",
        admin.site.admin_view(patient_label_view),
        name="patient-label",
    ),
    path(
        "admin/patients/patient/<int:patient_id>/bracelet/",
        admin.site.admin_view(patient_wristband_view),
        name="patient-wristband",
    ),
    # Issue 12: the referent's desk, linked first from the admin index.
    path("admin/bureau-referent/", admin.site.admin_view(referent_desk_view), name="referent-desk"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("patients.api.urls")),
    path("api/v1/", include("insi.api.urls")),
    path("api/v1/", include("consent.api.urls")),
    path("insi-simulator/", include("insi.simulator_urls")),
    # Issue 13: FHIR R4 (FR Core Patient, IHE PDQm); FHIR paths carry no trailing slash.
    path("fhir/", include("fhir_api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script, so the CSP holds (issue 11).
    # Swagger UI injects one <style> element: inline styles (never scripts) are allowed on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Issue 11: load-balancer probes (unauthenticated, cheap).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
