"""The French words a person reads for the codes the registry stores (issue 12: words and accessibility).

Reason codes (AUD-01), simple-history's change types and the keys of stored JSON are stable strings for the
API and the auditors' filters; on a screen a person reads their French label, never the code. Each app keeps
its codes beside its services (patients/reasons.py, insi/reasons.py, consent/reasons.py); this module is the
one place the screens ask for a label.
"""

from collections.abc import Mapping
from typing import Any

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
NOBODY = "Système"
EMPTY = "—"

# Keys found in the JSON the registry stores (differences, explanations, merge journals, decision inputs).
KEYS = {
    "birth_name": "nom de naissance",
    "used_name": "nom utilisé",
    "first_name": "prénom",
    "first_names": "prénoms",
    "first_names_list": "liste des prénoms",
    "sex": "sexe",
    "birth_date": "date de naissance",
    "birth_place": "lieu de naissance",
    "birthplace": "lieu de naissance",
    "matricule": "matricule INS",
    "oid": "OID",
    "ins_matricule": "matricule INS",
    "ins_oid": "OID de l'INS",
    "status": "statut",
    "field": "trait",
    "local": "valeur locale",
    "insi": "valeur INSi",
    "score": "score",
    "reasons": "raisons",
    "identifiers": "identifiants",
    "documents": "justificatifs",
    "attributes": "attributs",
    "patient": "patient",
    "episode": "épisode",
    "professional": "professionnel",
    "purpose": "finalité",
    "consent": "consentement",
    "opposition": "opposition",
    "emergency": "accès en urgence",
    "team_member": "membre de l'équipe",
}


def reason_labels() -> dict[str, str]:
    """Every reason code of every app with its French label."""
    from consent import reasons as consent_reasons
    from insi import reasons as insi_reasons
    from patients import reasons as patient_reasons

    return {**patient_reasons.LABELS, **insi_reasons.LABELS, **consent_reasons.LABELS}


def reason_label(code: str | None) -> str:
    """The French label of a reason code; an unknown code is shown as a plain change, never raw."""
    if not code:
        return EMPTY
    return reason_labels().get(code, "Modification")


def reason_text(text: str | None, code: str | None = None) -> str:
    """The justification typed by a person, or the label of the code when the service wrote only the code."""
    if not text or text == code or text in reason_labels():
        return reason_label(code or text)
    return text


def history_type_label(history_type: str | None) -> str:
    return HISTORY_TYPES.get(history_type or "", EMPTY)


def key_label(key: str) -> str:
    return KEYS.get(key, key.replace("_", " "))


def readable(value: Any) -> str:
    """Stored JSON as a sentence a person reads: « trait : valeur ; … », lists joined by commas."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, Mapping):
        return " ; ".join(f"{key_label(str(key))} : {readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(f"({readable(item)})" if isinstance(item, Mapping) else readable(item) for item in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)
