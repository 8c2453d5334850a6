"""FHIR R4 routes, mounted at /fhir/ (identities addressed by their public UUID)."""

from django.urls import path

from fhir_api import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    path("Patient", views.PatientTypeView.as_view(), name="patient-type"),
    path("Patient/_search", views.PatientSearchPostView.as_view(), name="patient-search"),
    path("Patient/$match", views.PatientMatchView.as_view(), name="patient-match"),
    path("Patient/<str:public_id>", views.PatientReadView.as_view(), name="patient-read"),
]
