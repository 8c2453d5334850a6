"""Consent permissions granted to the role groups of patients/roles.py (seeded by a data migration)."""

from patients.roles import AGENT, AUDITOR, DPI, REFERENT

READ = [
    "consent.view_professional",
    "consent.view_careepisode",
    "consent.view_careteammember",
    "consent.view_consentrecord",
    "consent.view_patientopposition",
    "consent.view_emergencyaccess",
]
AGENT_PERMISSIONS = [
    *READ,
    "consent.add_careepisode",
    "consent.change_careepisode",
    "consent.add_careteammember",
    "consent.change_careteammember",
    "consent.record_consent",
]
REFERENT_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "consent.add_professional",
    "consent.change_professional",
    "consent.declare_emergency_access",
    "consent.view_consent_history",
    "consent.view_accessdecisionlog",
]
# RULES AUD-02: auditors read everything, the decision log and the history included, and change nothing.
AUDITOR_PERMISSIONS = [*READ, "consent.view_accessdecisionlog", "consent.view_consent_history"]
DPI_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "consent.add_professional",
    "consent.change_professional",
    "consent.declare_emergency_access",
    "consent.request_access_decision",
]

ROLE_PERMISSIONS = {
    AGENT: AGENT_PERMISSIONS,
    REFERENT: REFERENT_PERMISSIONS,
    AUDITOR: AUDITOR_PERMISSIONS,
    DPI: DPI_PERMISSIONS,
}
