"""The identity screens, in French: patient list, identity form, actions, history, evidence, access log."""

from patients.admin.access_log import PatientAccessAdmin
from patients.admin.authorities import IdentifierAuthorityAdmin
from patients.admin.evidence import IdentityDocumentAdmin, InsHistoryEntryAdmin
from patients.admin.merges import MergeRecordAdmin
from patients.admin.patient import PatientAdmin

__all__ = [
    "IdentifierAuthorityAdmin",
    "IdentityDocumentAdmin",
    "InsHistoryEntryAdmin",
    "MergeRecordAdmin",
    "PatientAccessAdmin",
    "PatientAdmin",
]
