"""The identity screens, in French: patient list, identity form, actions, history, evidence, access log."""

from patients.admin.access_log import PatientAccessAdmin
from patients.admin.authorities import IdentifierAuthorityAdmin
from patients.admin.duplicates import DuplicateCandidateAdmin
from patients.admin.evidence import IdentityDocumentAdmin, InsHistoryEntryAdmin
from patients.admin.incidents import IncidentAdmin, IncidentAlertAdmin
from patients.admin.login_audit import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from patients.admin.merges import MergeRecordAdmin
from patients.admin.patient import PatientAdmin
from patients.admin.retention import ApiTokenStateAdmin, RetentionPurgeAdmin

__all__ = [
    "AccessAttemptAdmin",
    "AccessFailureLogAdmin",
    "AccessLogAdmin",
    "ApiTokenStateAdmin",
    "DuplicateCandidateAdmin",
    "IdentifierAuthorityAdmin",
    "IdentityDocumentAdmin",
    "IncidentAdmin",
    "IncidentAlertAdmin",
    "InsHistoryEntryAdmin",
    "MergeRecordAdmin",
    "PatientAccessAdmin",
    "PatientAdmin",
    "RetentionPurgeAdmin",
]
