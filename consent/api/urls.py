from django.urls import path

from consent.api.views.access import AccessDecisionView, EmergencyAccessListView
from consent.api.views.consents import (
    ConsentListView,
    ConsentWithdrawView,
    OppositionListView,
    OppositionWithdrawView,
)
from consent.api.views.episodes import EpisodeDetailView, EpisodeListView, TeamMemberEndView, TeamMemberListView
from consent.api.views.professionals import ProfessionalDetailView, ProfessionalListView

urlpatterns = [
    path("professionals/", ProfessionalListView.as_view(), name="consent-professionals"),
    path("professionals/<int:pk>/", ProfessionalDetailView.as_view(), name="consent-professional"),
    path("care-episodes/", EpisodeListView.as_view(), name="consent-episodes"),
    path("care-episodes/<int:pk>/", EpisodeDetailView.as_view(), name="consent-episode"),
    path("care-episodes/<int:pk>/team-members/", TeamMemberListView.as_view(), name="consent-team-members"),
    path("care-team-members/<int:pk>/end/", TeamMemberEndView.as_view(), name="consent-team-member-end"),
    path("consents/", ConsentListView.as_view(), name="consent-consents"),
    path("consents/<int:pk>/withdraw/", ConsentWithdrawView.as_view(), name="consent-consent-withdraw"),
    path("oppositions/", OppositionListView.as_view(), name="consent-oppositions"),
    path("oppositions/<int:pk>/withdraw/", OppositionWithdrawView.as_view(), name="consent-opposition-withdraw"),
    path("emergency-accesses/", EmergencyAccessListView.as_view(), name="consent-emergency-accesses"),
    path("dmp-access-decisions/", AccessDecisionView.as_view(), name="consent-dmp-access-decisions"),
]
