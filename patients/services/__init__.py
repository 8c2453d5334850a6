"""Services that write identities: each locks the row, applies the rules and writes history (AUD-01).

Callers (admin, API, insi, consent) import from here; the modules behind it may move.
"""

from patients.services.attributes import identity_clear_attribute, identity_downgrade, identity_set_attribute
from patients.services.common import (
    ADDITIONAL_TRAITS,
    ATTRIBUTE_FIELDS,
    STRICT_TRAITS,
    IdentityResult,
    lock_patient,
    refresh_derived,
)
from patients.services.documents import (
    DocumentResult,
    identity_record_document_declined,
    identity_validate_document,
)
from patients.services.identifiers import IdentifierResult, authority_save, identifier_add, identifier_remove
from patients.services.identity import TRAIT_LABELS, check_traits, patient_create, patient_update_traits
from patients.services.ins import EarlierIns, InsTraits, identity_record_ins, identity_record_ins_verification
from patients.services.merge import MergeResult, patient_merge, patient_unmerge
from patients.services.retention import document_scans_purge, idempotency_records_purge
from patients.services.scans import document_attach_scan, document_open_scan

__all__ = [
    "ADDITIONAL_TRAITS",
    "ATTRIBUTE_FIELDS",
    "STRICT_TRAITS",
    "TRAIT_LABELS",
    "DocumentResult",
    "EarlierIns",
    "IdentifierResult",
    "IdentityResult",
    "InsTraits",
    "MergeResult",
    "authority_save",
    "check_traits",
    "document_attach_scan",
    "document_open_scan",
    "document_scans_purge",
    "idempotency_records_purge",
    "identifier_add",
    "identifier_remove",
    "identity_clear_attribute",
    "identity_downgrade",
    "identity_record_document_declined",
    "identity_record_ins",
    "identity_record_ins_verification",
    "identity_set_attribute",
    "identity_validate_document",
    "lock_patient",
    "patient_create",
    "patient_merge",
    "patient_unmerge",
    "patient_update_traits",
    "refresh_derived",
]
