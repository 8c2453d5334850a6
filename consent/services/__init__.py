"""Services that write consent data: each locks, checks, changes and writes history (AUD-01)."""

from consent.services.access import EmergencyResult, dmp_access_decision, emergency_access_declare
from consent.services.consents import consent_record, consent_withdraw, opposition_record, opposition_withdraw
from consent.services.episodes import (
    care_episode_create,
    care_episode_delete,
    care_episode_update,
    care_team_add_member,
    care_team_end_membership,
)
from consent.services.professionals import professional_create, professional_deactivate, professional_update

__all__ = [
    "EmergencyResult",
    "care_episode_create",
    "care_episode_delete",
    "care_episode_update",
    "care_team_add_member",
    "care_team_end_membership",
    "consent_record",
    "consent_withdraw",
    "dmp_access_decision",
    "emergency_access_declare",
    "opposition_record",
    "opposition_withdraw",
    "professional_create",
    "professional_deactivate",
    "professional_update",
]
