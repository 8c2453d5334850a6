"""The INSi simulator served as a SOAP 1.2 endpoint (refused unless DEBUG or INSI_SIMULATOR_ALLOWED)."""

from django.urls import path

from insi.simulator_views import simulator_endpoint

urlpatterns = [path("", simulator_endpoint, name="insi-simulator")]
