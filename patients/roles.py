"""The four roles (RNIV ST-09, AUD-02): group names and the permissions each one holds.

Code checks permissions, never group names; this mapping only seeds the groups.
"""

AGENT = "Agent d'accueil"
REFERENT = "Référent identitovigilance"
AUDITOR = "Auditeur"
DPI = "Intégration DPI"

AGENT_PERMISSIONS = [
    "patients.view_patient",
    "patients.add_patient",
    "patients.change_patient",
    "patients.view_identitydocument",
    "patients.add_identitydocument",
    "patients.view_inshistoryentry",
]
REFERENT_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "patients.set_attribute",
    "patients.downgrade_identity",
    "patients.view_identity_history",
]
AUDITOR_PERMISSIONS = [
    "patients.view_patient",
    "patients.view_identitydocument",
    "patients.view_inshistoryentry",
    "patients.view_identity_history",
]
DPI_PERMISSIONS = [
    "patients.view_patient",
    "patients.add_patient",
    "patients.change_patient",
]

ROLE_PERMISSIONS = {
    AGENT: AGENT_PERMISSIONS,
    REFERENT: REFERENT_PERMISSIONS,
    AUDITOR: AUDITOR_PERMISSIONS,
    DPI: DPI_PERMISSIONS,
}

# Issue 12: the referent's desk opens to who holds the referent's own powers (ST-02 attributes; only referents).
REFERENT_DESK_PERMISSION = "patients.set_attribute"

# Granted later by migration 0005 (AUD-02: auditors read the access log of AUD-03). Kept out of the lists
# above: migration 0003 seeds from them, before the access-log model and its permission exist.
ACCESS_LOG_READERS = [REFERENT, AUDITOR]
ACCESS_LOG_PERMISSION = "patients.view_patientaccess"
# RNIV ST-11, AUD-05: the referent works the duplicates list and decides on each pair.
# Deciding a pair is what "changing" it means: the comparison page's forms need both (admin sweep, AUD-02).
DUPLICATE_PERMISSIONS = {
    REFERENT: ["patients.view_duplicatecandidate", "patients.change_duplicatecandidate", "patients.decide_duplicate"]
}


# Granted later by migration 0010 (RNIV AUD-05: only referents merge; identifiers of other systems; the feed).
_IDENTIFIER_READ = ["patients.view_externalidentifier", "patients.view_identifierauthority"]
MERGE_PERMISSION = "patients.merge_identity"
LATER_GRANTS = {
    REFERENT: [
        MERGE_PERMISSION,
        "patients.view_mergerecord",
        *_IDENTIFIER_READ,
        "patients.add_identifierauthority",
        "patients.change_identifierauthority",
        "patients.view_patientevent",
    ],
    AGENT: list(_IDENTIFIER_READ),
    AUDITOR: ["patients.view_mergerecord", *_IDENTIFIER_READ, "patients.view_patientevent"],
    DPI: [*_IDENTIFIER_READ, "patients.view_patientevent"],
}

# RNIV AUD-02: the per-patient timeline (screen, exports, API), for referents and auditors.
TIMELINE_PERMISSION = "patients.view_timeline"
TIMELINE_READERS = [REFERENT, AUDITOR]

# Log-in attempts, failures and lockouts (django-axes) and the retention purges: read by auditors (AUD-02).
LOGIN_AUDIT_PERMISSIONS = [
    "axes.view_accessattempt",
    "axes.view_accessfailurelog",
    "axes.view_accesslog",
    "patients.view_retentionpurge",
]


# RNIV AUD-04: referents open and close identity incidents; auditors read them and their alerts.
INCIDENT_OPEN_PERMISSION = "patients.open_incident"
INCIDENT_CLOSE_PERMISSION = "patients.close_incident"
INCIDENT_VIEW_PERMISSION = "patients.view_incident"
INCIDENT_GRANTS = {
    REFERENT: [
        INCIDENT_VIEW_PERMISSION,
        INCIDENT_OPEN_PERMISSION,
        INCIDENT_CLOSE_PERMISSION,
        "patients.view_incidentalert",
    ],
    AUDITOR: [INCIDENT_VIEW_PERMISSION, "patients.view_incidentalert"],
}
# Issue 12 (AUD-01): agents read an identity's history too (who changed what, when, why), read-only.
HISTORY_READERS = [AGENT]
HISTORY_PERMISSION = "patients.view_identity_history"
# RNIV ST-10: the refusals to show a document are read where the documents are (ID-09 issue).
DOCUMENT_DECLINED_READERS = [AGENT, REFERENT, AUDITOR]
DOCUMENT_DECLINED_PERMISSION = "patients.view_documentdeclined"


def current_role_permissions() -> dict[str, list[str]]:
    """Every patients permission of each role, as the code wants it now (synced after each migrate)."""
    current = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for role in ACCESS_LOG_READERS:
        current[role].append(ACCESS_LOG_PERMISSION)
    for role, perms in [*LATER_GRANTS.items(), *DUPLICATE_PERMISSIONS.items()]:
        current[role].extend(perms)
    for role in TIMELINE_READERS:
        current[role].append(TIMELINE_PERMISSION)
    for role in HISTORY_READERS:
        current[role].append(HISTORY_PERMISSION)
    for role in DOCUMENT_DECLINED_READERS:
        current[role].append(DOCUMENT_DECLINED_PERMISSION)
    # Issue 11 (AUD-02): auditors also read the log-in audit (django-axes) and the retention purges.
    current[AUDITOR].extend(LOGIN_AUDIT_PERMISSIONS)
    for role, perms in INCIDENT_GRANTS.items():
        current[role].extend(perms)
    return current
