"""Reason codes written on history rows (AUD-01). Stable strings: auditors filter on them."""

from patients.status import Attribute

CREATE = "CREATE"
TRAITS_UPDATE = "TRAITS_UPDATE"
DOCUMENT_WITHDRAWN_BY_EDIT = "ST-07_DOCUMENT_WITHDRAWN"
DOCUMENT_CHECK = "DOCUMENT_CHECK"
DOWNGRADE = "ST-06_DOWNGRADE"
INS_RETRIEVED = "INSI-09_INS_RETRIEVED"
INS_VERIFIED = "ST-08_INS_VERIFIED"
IMPORT = "IMPORT"
# RNIV ID-09, ST-10: document scans and a refusal to show a document.
SCAN_ATTACHED = "ID-09_SCAN_ATTACHED"
SCAN_PURGED = "ID-09_SCAN_PURGED"
DOCUMENT_DECLINED = "ST-10_DOCUMENT_DECLINED"

LABELS = {
    CREATE: "Création de l'identité",
    TRAITS_UPDATE: "Modification des traits",
    DOCUMENT_WITHDRAWN_BY_EDIT: "Trait strict modifié : validation retirée (ST-07)",
    DOCUMENT_CHECK: "Contrôle d'un justificatif d'identité",
    DOWNGRADE: "Déclassement de l'identité (ST-06)",
    INS_RETRIEVED: "Récupération de l'INS (INSI-09)",
    INS_VERIFIED: "Vérification de l'INS (ST-08)",
    IMPORT: "Création par import d'un fichier (ancien système)",
    SCAN_ATTACHED: "Copie numérisée du justificatif jointe (ID-09)",
    SCAN_PURGED: "Copie numérisée purgée, durée de conservation dépassée (ID-09)",
    DOCUMENT_DECLINED: "Refus de présenter un justificatif d'identité (ST-10)",
}


def attribute_set(attribute: Attribute | str) -> str:
    return f"ATTRIBUTE_SET_{attribute}"


def attribute_clear(attribute: Attribute | str) -> str:
    return f"ATTRIBUTE_CLEAR_{attribute}"


for _attr in Attribute:
    LABELS[attribute_set(_attr)] = f"Attribut {_attr.value} posé"
    LABELS[attribute_clear(_attr)] = f"Attribut {_attr.value} retiré"

# RNIV AUD-05: merges, unmerges and identifiers of other systems.
MERGE_ABSORB = "AUD-05_MERGE_ABSORB"
MERGED = "AUD-05_MERGED"
UNMERGED = "AUD-05_UNMERGED"
UNMERGE_RELEASE = "AUD-05_UNMERGE_RELEASE"
MOVED_BY_MERGE = "AUD-05_MOVED_BY_MERGE"
MOVED_BY_UNMERGE = "AUD-05_MOVED_BY_UNMERGE"
IDENTIFIER_ADDED = "IDENTIFIER_ADDED"
IDENTIFIER_REMOVED = "IDENTIFIER_REMOVED"
AUTHORITY_CREATE = "AUTHORITY_CREATE"
AUTHORITY_EDIT = "AUTHORITY_EDIT"

LABELS.update(
    {
        MERGE_ABSORB: "Fusion : identité conservée, absorbe un doublon (AUD-05)",
        MERGED: "Fusion : identité fusionnée dans une autre (AUD-05)",
        UNMERGED: "Défusion : identité rétablie (AUD-05)",
        UNMERGE_RELEASE: "Défusion : identité absorbée rendue (AUD-05)",
        MOVED_BY_MERGE: "Déplacé par une fusion (AUD-05)",
        MOVED_BY_UNMERGE: "Rendu par une défusion (AUD-05)",
        IDENTIFIER_ADDED: "Identifiant externe ajouté",
        IDENTIFIER_REMOVED: "Identifiant externe retiré",
        AUTHORITY_CREATE: "Autorité d'affectation créée",
        AUTHORITY_EDIT: "Autorité d'affectation modifiée",
    }
)

# RNIV AUD-04: identity incidents, and the downgrade an incident brings.
INCIDENT_OPENED = "AUD-04_INCIDENT_OPENED"
INCIDENT_CLOSED = "AUD-04_INCIDENT_CLOSED"
INCIDENT_DOWNGRADE = "AUD-04_INCIDENT_DOWNGRADE"

LABELS.update(
    {
        INCIDENT_OPENED: "Incident d'identité ouvert (AUD-04)",
        INCIDENT_CLOSED: "Incident d'identité clôturé (AUD-04)",
        INCIDENT_DOWNGRADE: "Déclassement : incident d'identité (AUD-04, ST-06)",
    }
)
