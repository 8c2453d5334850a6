"""Identity documents: which can validate an identity, and why not (pure): RNIV ID-01 to ID-08."""

from dataclasses import dataclass
from enum import StrEnum

import pycountry

from identity_registry.inputs import DOCUMENT_NUMBER_MAX_LENGTH


class DocumentType(StrEnum):
    # FR Core validation-mode codes (fr-core-cs-mode-validation-identity).
    CN = "CN"
    PA = "PA"
    CS = "CS"
    ECN = "eCN"
    IN = "IN"
    AV = "AV"
    LECV = "LECV"
    AN = "AN"
    LEP = "LEP"
    CC = "CC"
    ANCV = "ANCV"
    # Documents that are never high-trust (RNIV ID-02).
    DRIVING_LICENCE = "PERMIS"
    ASYLUM_SEEKER = "DEMANDEUR_ASILE"
    OTHER = "AUTRE"


DOCUMENT_TYPE_LABELS = {
    DocumentType.CN: "Carte nationale d'identité",
    DocumentType.PA: "Passeport",
    DocumentType.CS: "Titre de séjour",
    DocumentType.ECN: "Carte d'identité électronique (France Identité)",
    DocumentType.IN: "Identité Numérique La Poste",
    DocumentType.AV: "Application carte Vitale",
    DocumentType.LECV: "Livret de famille avec carte Vitale à photo",
    DocumentType.AN: "Extrait d'acte de naissance",
    DocumentType.LEP: "Livret de famille des parents",
    DocumentType.CC: "Document de circulation pour mineur étranger",
    DocumentType.ANCV: "Extrait d'acte de naissance avec carte Vitale à photo",
    DocumentType.DRIVING_LICENCE: "Permis de conduire",
    DocumentType.ASYLUM_SEEKER: "Document de demandeur d'asile",
    DocumentType.OTHER: "Autre document",
}


class DocumentContext(StrEnum):
    STANDARD = "standard"
    MINOR_WITH_PARENT_DOCUMENT = "minor_parent_document"
    EHPAD_DIRECT_ADMISSION = "ehpad_direct_admission"
    ASE_MINOR = "ase_minor"
    MEDICO_SOCIAL_RESIDENT_COPY = "medico_social_resident_copy"


DOCUMENT_CONTEXT_LABELS = {
    DocumentContext.STANDARD: "Présentation standard",
    DocumentContext.MINOR_WITH_PARENT_DOCUMENT: "Mineur, avec la pièce d'identité d'un parent ou tuteur",
    DocumentContext.EHPAD_DIRECT_ADMISSION: "Admission directe en EHPAD",
    DocumentContext.ASE_MINOR: "Mineur pris en charge par l'aide sociale à l'enfance (ASE)",
    DocumentContext.MEDICO_SOCIAL_RESIDENT_COPY: "Résident d'un établissement médico-social, copie faite par "
    "l'établissement",
}

# RNIV ID-01: nationals of these countries may also validate with their national identity card.
ID_CARD_COUNTRIES = frozenset(
    "FR AT BE BG CY HR CZ DK EE FI DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "CH LI NO IS VA MC AD SM GB".split()
)
# Kosovo's user-assigned code, printed on its passports and identity cards.
EXTRA_COUNTRY_CODES = frozenset({"XK"})


def is_country_code(code: str) -> bool:
    """Tell whether ``code`` is an existing ISO 3166-1 alpha-2 country (upper case)."""
    if len(code) != 2 or not code.isascii() or not code.isupper():
        return False
    return code in EXTRA_COUNTRY_CODES or pycountry.countries.get(alpha_2=code) is not None


ELECTRONIC_IDENTITIES = {DocumentType.ECN, DocumentType.IN, DocumentType.AV}
NEVER_HIGH_TRUST = {
    DocumentType.DRIVING_LICENCE,
    DocumentType.ASYLUM_SEEKER,
    DocumentType.OTHER,
}
# Documents that stand alone for anybody: passport and residence permit (ID-01), any country.
UNIVERSAL = {DocumentType.PA, DocumentType.CS}


@dataclass(frozen=True)
class DocumentVerdict:
    can_validate: bool
    rule: str
    reason: str = ""


def _refuse(rule: str, reason: str) -> DocumentVerdict:
    return DocumentVerdict(False, rule, reason)


def document_verdict(
    *,
    document_type: DocumentType,
    issuing_country: str,
    is_copy: bool,
    context: DocumentContext,
    holder_is_minor: bool,
) -> DocumentVerdict:
    """Decide whether a checked document can validate the identity, and why not (ID-01 to ID-06).

    Expiry is not an input: an expired high-trust document still validates (RNIV ID-03).
    """
    country = (issuing_country or "").upper()
    if document_type == DocumentType.DRIVING_LICENCE:
        return _refuse(
            "ID-02",
            "Le permis de conduire n'est pas un justificatif à haut niveau de confiance : "
            "il ne mentionne pas le sexe (règle ID-02).",
        )
    if document_type == DocumentType.ASYLUM_SEEKER:
        return _refuse(
            "ID-02",
            "Le document de demandeur d'asile n'est pas un justificatif à haut niveau de confiance (règle ID-02).",
        )
    if document_type == DocumentType.OTHER:
        return _refuse(
            "ID-02",
            "Ce document n'est pas un justificatif à haut niveau de confiance (règle ID-02).",
        )
    # RNIV ID-04: the original must be seen, except a copy made by a medico-social establishment.
    if is_copy and context != DocumentContext.MEDICO_SOCIAL_RESIDENT_COPY:
        return _refuse(
            "ID-04",
            "Une copie ne permet pas de valider l'identité : l'original doit être présenté, "
            "sauf pour un résident d'établissement médico-social dont l'établissement a fait la "
            "copie (règle ID-04).",
        )
    if document_type == DocumentType.CN and country not in ID_CARD_COUNTRIES:
        return _refuse(
            "ID-02",
            "La carte d'identité de ce pays n'est pas un justificatif à haut niveau de "
            "confiance : présentez un passeport ou un titre de séjour (règle ID-02).",
        )
    if document_type in UNIVERSAL or document_type == DocumentType.CN or document_type in ELECTRONIC_IDENTITIES:
        return DocumentVerdict(True, "ID-01")
    return _minor_or_elderly_verdict(document_type, context, holder_is_minor)


def _minor_or_elderly_verdict(
    document_type: DocumentType, context: DocumentContext, holder_is_minor: bool
) -> DocumentVerdict:
    if document_type in {DocumentType.LECV, DocumentType.ANCV} and context == DocumentContext.EHPAD_DIRECT_ADMISSION:
        return DocumentVerdict(True, "ID-06")
    if document_type == DocumentType.ANCV and context == DocumentContext.ASE_MINOR and holder_is_minor:
        return DocumentVerdict(True, "ID-05")
    if not holder_is_minor:
        if document_type in {DocumentType.LECV, DocumentType.ANCV}:
            return _refuse(
                "ID-06",
                "Le livret de famille ou l'extrait d'acte de naissance avec carte Vitale n'est "
                "valable que pour une admission directe en EHPAD (règle ID-06).",
            )
        return _refuse(
            "ID-05",
            "Ce document ne permet de valider que l'identité d'un mineur (règle ID-05).",
        )
    if document_type == DocumentType.CC:
        return DocumentVerdict(True, "ID-05")
    if document_type in {DocumentType.AN, DocumentType.LEP}:
        if context == DocumentContext.MINOR_WITH_PARENT_DOCUMENT:
            return DocumentVerdict(True, "ID-05")
        return _refuse(
            "ID-05",
            "Pour un mineur, l'extrait d'acte de naissance ou le livret de famille doit être "
            "accompagné de la pièce d'identité d'un parent ou du tuteur (règle ID-05).",
        )
    return _refuse(
        "ID-05",
        "Ce document ne permet pas de valider l'identité d'un mineur dans ce contexte : "
        "l'extrait d'acte de naissance avec carte Vitale à photo est réservé aux mineurs de l'ASE "
        "(règle ID-05).",
    )


_NUMBER_SEPARATORS = str.maketrans("", "", " -")


def normalise_document_number(raw: str) -> str:
    """The document's number as stored: upper case, without spaces or hyphens; "" when none was read.

    Raises ValueError (French message) for a number that is too long or holds anything but letters and digits.
    """
    number = raw.strip().upper().translate(_NUMBER_SEPARATORS)
    if len(number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise ValueError(f"Le numéro du justificatif fait au plus {DOCUMENT_NUMBER_MAX_LENGTH} caractères.")
    if number and not (number.isascii() and number.isalnum()):
        raise ValueError("Le numéro du justificatif ne contient que des lettres (sans accent) et des chiffres.")
    return number
