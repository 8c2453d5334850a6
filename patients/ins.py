"""The matricule INS and its OID: key, AME and OID rules (pure, no I/O)."""

from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import nir

OID_NIR = "1.2.250.1.213.1.4.8"
OID_NIA = "1.2.250.1.213.1.4.9"
OID_NIR_TEST = "1.2.250.1.213.1.4.10"
OID_NIR_DEMO = "1.2.250.1.213.1.4.11"
OID_INS_C = "1.2.250.1.213.1.4.2"  # RNIV TR-14: obsolete, never an identifier

INS_OIDS = {
    OID_NIR: "INS-NIR",
    OID_NIA: "INS-NIA",
    OID_NIR_TEST: "INS-NIR-TEST",
    OID_NIR_DEMO: "INS-NIR-DEMO",
}
NIR_OIDS = {OID_NIR, OID_NIR_TEST, OID_NIR_DEMO}


class InsError(ValueError):
    """A matricule that can never be stored as an INS; ``rule`` names the RNIV rule."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


@dataclass(frozen=True)
class Ins:
    matricule: str
    oid: str

    @property
    def kind(self) -> str:
        """Tell NIR from NIA by the OID, never by the digits (TR-10)."""
        return INS_OIDS[self.oid]


def ins_key(body: str) -> str:
    """Return the 2-digit key of a 13-character body (TR-10: 2A counts as 19, 2B as 18)."""
    return nir.calc_check_digits(body + "00")


def validate_ins(matricule: str, oid: str) -> Ins:
    """Check a matricule INS and its OID, or raise InsError (RNIV TR-10, TR-12, TR-14).

    python-stdnum's ``fr.nir`` checks the format and key; it knows nothing of OIDs, NIA or AME, and it
    silently accepts separators and lower case, which an INS never carries: those rules are here.
    """
    if oid == OID_INS_C:
        raise InsError(
            "L'INS-C est obsolète et n'est jamais utilisé comme identifiant (règle TR-14).",
            "TR-14",
        )
    if oid not in INS_OIDS:
        raise InsError(f"OID d'INS inconnu : {oid!r} (règle TR-10).", "TR-10")
    if len(matricule) != 15 or not matricule.isascii() or matricule != matricule.strip().upper():
        raise InsError(
            "Le matricule INS doit compter exactement 15 caractères (règle TR-10).",
            "TR-10",
        )
    try:
        nir.validate(matricule)
    except StdnumValidationError as exc:
        raise InsError(
            "La clé du matricule INS est invalide ou son format est incorrect (règle TR-10).",
            "TR-10",
        ) from exc
    # RNIV TR-12: an AME beneficiary's provisional NIR does not start with 1 or 2 and is no INS.
    if oid in NIR_OIDS and matricule[0] not in "12":
        raise InsError(
            "Ce numéro n'est pas un INS : un NIR ne commençant pas par 1 ou 2 (bénéficiaire de l'AME) "
            "ne peut pas être qualifié (règle TR-12).",
            "TR-12",
        )
    return Ins(matricule, oid)
