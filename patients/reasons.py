"""Reason codes written on history rows (AUD-01). Stable strings: auditors filter on them."""

from patients.status import Attribute

CREATE = "CREATE"
TRAITS_UPDATE = "TRAITS_UPDATE"
DOCUMENT_WITHDRAWN_BY_EDIT = "ST-07_DOCUMENT_WITHDRAWN"
DOCUMENT_CHECK = "DOCUMENT_CHECK"
DOWNGRADE = "ST-06_DOWNGRADE"
INS_RETRIEVED = "INSI-09_INS_RETRIEVED"
INS_VERIFIED = "ST-08_INS_VERIFIED"

LABELS = {
    CREATE: "Création de l'identité",
    TRAITS_UPDATE: "Modification des traits",
    DOCUMENT_WITHDRAWN_BY_EDIT: "Trait strict modifié : validation retirée (ST-07)",
    DOCUMENT_CHECK: "Contrôle d'un justificatif d'identité",
    DOWNGRADE: "Déclassement de l'identité (ST-06)",
    INS_RETRIEVED: "Récupération de l'INS (INSI-09)",
    INS_VERIFIED: "Vérification de l'INS (ST-08)",
}


def attribute_set(attribute: Attribute | str) -> str:
    return f"ATTRIBUTE_SET_{attribute}"


def attribute_clear(attribute: Attribute | str) -> str:
    return f"ATTRIBUTE_CLEAR_{attribute}"


for _attr in Attribute:
    LABELS[attribute_set(_attr)] = f"Attribut {_attr.value} posé"
    LABELS[attribute_clear(_attr)] = f"Attribut {_attr.value} retiré"
