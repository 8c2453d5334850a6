"""Professional identifiers (RULES PRO-01). Pure: no queries."""

from dataclasses import dataclass

from consent.codes import IdentifierKind


class IdentifierError(ValueError):
    """A national identifier that breaks PRO-01; ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NationalIdentifier:
    kind: IdentifierKind
    value: str


def parse_national_identifier(raw: str) -> NationalIdentifier:
    """Check an RPPS (8 + 11 digits) or ADELI (0 + 9 digits) identifier, spaces ignored (PRO-01)."""
    value = "".join((raw or "").split())
    if not value:
        raise IdentifierError("L'identifiant national est obligatoire (règle PRO-01).")
    if not (value.isascii() and value.isdigit()):
        raise IdentifierError("L'identifiant national ne contient que des chiffres (règle PRO-01).")
    # RNIV PRO-01: the check is on length and prefix only.
    if value[0] == "8":
        if len(value) != 12:
            raise IdentifierError(
                "Un identifiant RPPS se saisit préfixé de 8 et compte 12 chiffres en tout (règle PRO-01)."
            )
        return NationalIdentifier(IdentifierKind.RPPS, value)
    if value[0] == "0":
        if len(value) != 10:
            raise IdentifierError(
                "Un identifiant ADELI se saisit préfixé de 0 et compte 10 chiffres en tout (règle PRO-01)."
            )
        return NationalIdentifier(IdentifierKind.ADELI, value)
    raise IdentifierError(
        "L'identifiant national doit être préfixé de 8 (RPPS, 12 chiffres) ou de 0 (ADELI, 10 chiffres) (règle PRO-01)."
    )
