"""What each consent code brings into play, appended to its enum description in the OpenAPI schema.

The model choices keep their short labels (screens, history); the schema says which rule each value opens
or closes, so an integrator need not read ``consent/rules.py``. The bases reuse the decision's own messages.
"""

import re
from typing import Any

from consent.codes import Basis
from consent.rules import MESSAGES

_EMERGENCY = "patient hors d'état d'exprimer sa volonté, justification écrite, consultation seulement (CONS-05)"

ENUM_NOTES: dict[str, dict[str, str]] = {
    "ConsentPurposeEnum": {
        "dmp_feeding_information": "décision `informed` ; une fois dans le parcours, dans tout épisode : autorise "
        "l'alimentation du DMP (CONS-02)",
        "dmp_feeding_opposition": "décision `opposed` ; bloque l'alimentation du DMP (CONS-02, CONS-06)",
        "dmp_consultation": "décisions `informed` (condition du consentement présumé de l'équipe de soins), "
        "`given` (consentement explicite) ou `refused` (bloque tout le monde) (CONS-03)",
        "delegation": "décisions `given` ou `refused` ; nomme obligatoirement `professional`, seul concerné (CONS-03)",
    },
    "ConsentDecisionEnum": {
        "informed": "avec `dmp_feeding_information` ou `dmp_consultation` ; sans lui, pas de consentement présumé "
        "pour l'équipe de soins (CONS-03)",
        "given": "consentement explicite : compte dans son épisode seulement, pour le professionnel nommé "
        "(`professional`) ou, sans nom, pour l'équipe de soins (CONS-01, CONS-03)",
        "refused": "bloque la consultation pour tous dans l'épisode, équipe de soins comprise, jusqu'à un `given` "
        "ultérieur (CONS-03)",
        "opposed": "avec `dmp_feeding_opposition` seulement (CONS-02)",
    },
    "AccessModeEnum": {
        "normal": "hors urgence : consultation (CONS-03) ou alimentation (CONS-02)",
        "bris_de_glace": f"{_EMERGENCY} ; bloqué par une opposition `emergency_access` (CONS-06)",
        "centre_15": f"{_EMERGENCY} ; bloqué par une opposition `emergency_access` ou `centre_15_access` (CONS-06)",
    },
    "EmergencyModeEnum": {
        "bris_de_glace": f"{_EMERGENCY} ; bloqué par une opposition `emergency_access` (CONS-06)",
        "centre_15": f"{_EMERGENCY} ; bloqué par une opposition `emergency_access` ou `centre_15_access` (CONS-06)",
    },
    "OppositionKindEnum": {
        "emergency_access": "bloque les modes `bris_de_glace` et `centre_15` (CONS-06)",
        "centre_15_access": "bloque le mode `centre_15` seulement (CONS-06)",
        "feeding": "bloque l'alimentation du DMP (CONS-06)",
    },
    "EpisodeKindEnum": {
        "pre_admission": "pas encore de soins : pas de consentement présumé, consentement explicite requis (CONS-01)",
        "consultation": "consentement présumé possible pour l'équipe de soins (CONS-03)",
        "hospitalisation": "consentement présumé possible pour l'équipe de soins (CONS-03)",
        "emergency": "consentement présumé possible pour l'équipe de soins (CONS-03)",
    },
    "CardTypeEnum": {
        "CPS": "ouvre l'accès au DMP (CONS-07)",
        "CPF": "même accès au DMP que la CPS (CONS-07)",
        "CPE": "jamais d'accès au DMP (CONS-07)",
        "CDE": "jamais d'accès au DMP (CONS-07)",
    },
    "GiverCapacityEnum": {
        "patient": "patient majeur non protégé (CONS-04)",
        "legal_representative": "patient mineur (CONS-04)",
        "guardian": "majeur sous tutelle, ou mineur (CONS-04)",
        "curator": "majeur sous curatelle (CONS-04)",
    },
    "LegalProtectionEnum": {
        "none": "le patient majeur consent lui-même (CONS-04)",
        "guardianship": "le tuteur consent (`guardian`) (CONS-04)",
        "curatorship": "le curateur consent (`curator`) (CONS-04)",
    },
    "AccessPurposeEnum": {
        "consultation": "lecture du DMP (CONS-03, CONS-05)",
        "feeding": "alimentation : identité qualifiée requise (ST-04), patient informé et sans opposition (CONS-02)",
    },
    "BasisEnum": {basis.value: MESSAGES[basis] for basis in Basis},
}


def describe_consent_enums(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: append each value's note to its ``* `code` - label`` line."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, notes in ENUM_NOTES.items():
        schema = schemas.get(name)
        if not schema or "description" not in schema:
            continue
        text = schema["description"]
        for value, note in notes.items():
            text = re.sub(
                rf"^(\* `{re.escape(value)}` - .+)$", lambda m, n=note: f"{m.group(1)} — {n}", text, flags=re.M
            )
        schema["description"] = text
    return result
