"""The identity screens, in French: patient list, identity form, actions, history, evidence, access log."""

from patients.admin.access_log import PatientAccessAdmin
from patients.admin.evidence import IdentityDocumentAdmin, InsHistoryEntryAdmin
from patients.admin.patient import PatientAdmin
from patients.admin.retention import ApiTokenStateAdmin, RetentionPurgeAdmin

__all__ = [
    "ApiTokenStateAdmin",
    "IdentityDocumentAdmin",
    "InsHistoryEntryAdmin",
    "PatientAccessAdmin",
    "PatientAdmin",
    "RetentionPurgeAdmin",
]
