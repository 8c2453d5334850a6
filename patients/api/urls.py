"""Patients API v1: identities addressed by their public UUID, never by traits."""

from django.urls import path

from patients.api import datamatrix, document_views, duplicates, link_views, timeline, views
from patients.incidents import api as incidents

app_name = "patients-api"

urlpatterns = [
    path("patients/", views.PatientCreateView.as_view(), name="patient-create"),
    path("patients/search/", views.PatientSearchView.as_view(), name="patient-search"),
    path("patients/match/", duplicates.PatientMatchView.as_view(), name="patient-match"),
    path("patients/<str:public_id>/", views.PatientDetailView.as_view(), name="patient-detail"),
    path(
        "patients/<str:public_id>/datamatrix.svg",
        datamatrix.PatientDatamatrixSvgView.as_view(),
        name="patient-datamatrix-svg",
    ),
    path(
        "patients/<str:public_id>/datamatrix.png",
        datamatrix.PatientDatamatrixPngView.as_view(),
        name="patient-datamatrix-png",
    ),
    path(
        "patients/<str:public_id>/validate-document/",
        views.PatientValidateDocumentView.as_view(),
        name="patient-validate-document",
    ),
    path(
        "patients/<str:public_id>/document-declined/",
        document_views.PatientDocumentDeclinedView.as_view(),
        name="patient-document-declined",
    ),
    path(
        "patients/<str:public_id>/documents/<int:document_id>/scan/",
        document_views.DocumentScanView.as_view(),
        name="patient-document-scan",
    ),
    path("patients/<str:public_id>/attributes/", views.PatientAttributesView.as_view(), name="patient-attributes"),
    path("patients/<str:public_id>/downgrade/", views.PatientDowngradeView.as_view(), name="patient-downgrade"),
    path("patients/<str:public_id>/history/", views.PatientHistoryView.as_view(), name="patient-history"),
    path("patients/<str:public_id>/timeline/", timeline.PatientTimelineView.as_view(), name="patient-timeline"),
    path(
        "patients/<str:public_id>/identifiers/",
        link_views.PatientIdentifiersView.as_view(),
        name="patient-identifiers",
    ),
    path(
        "patients/<str:public_id>/identifiers/<int:identifier_id>/remove/",
        link_views.PatientIdentifierRemoveView.as_view(),
        name="patient-identifier-remove",
    ),
    path("patients/<str:public_id>/merge/", link_views.PatientMergeView.as_view(), name="patient-merge"),
    path("patients/<str:public_id>/unmerge/", link_views.PatientUnmergeView.as_view(), name="patient-unmerge"),
    # RNIV AUD-04: identity incidents.
    path("patients/<str:public_id>/incidents/", incidents.PatientIncidentsView.as_view(), name="patient-incidents"),
    path("incidents/<int:incident_id>/", incidents.IncidentDetailView.as_view(), name="incident-detail"),
    path("incidents/<int:incident_id>/close/", incidents.IncidentCloseView.as_view(), name="incident-close"),
    path("identifier-authorities/", link_views.AuthorityListView.as_view(), name="identifier-authorities"),
    path("events/", link_views.EventFeedView.as_view(), name="events"),
]
