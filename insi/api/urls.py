from django.urls import path

from insi.api.views import PatientInsiCallsApi, PatientInsiDecisionApi, PatientInsiSearchApi, PatientInsiVerifyApi

urlpatterns = [
    path("patients/<uuid:public_id>/insi/search/", PatientInsiSearchApi.as_view(), name="patient-insi-search"),
    path("patients/<uuid:public_id>/insi/verify/", PatientInsiVerifyApi.as_view(), name="patient-insi-verify"),
    path("patients/<uuid:public_id>/insi/decision/", PatientInsiDecisionApi.as_view(), name="patient-insi-decision"),
    path("patients/<uuid:public_id>/insi/calls/", PatientInsiCallsApi.as_view(), name="patient-insi-calls"),
]
