"""Identity status and attributes (pure, no I/O): RNIV ST-01 to ST-03."""

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    PROV = "PROV"
    RECUP = "RECUP"
    VALI = "VALI"
    QUAL = "QUAL"


STATUS_LABELS = {
    Status.PROV: "Identité provisoire",
    Status.RECUP: "Identité récupérée",
    Status.VALI: "Identité validée",
    Status.QUAL: "Identité qualifiée",
}


class Attribute(StrEnum):
    DOUT = "DOUT"
    FICT = "FICT"
    HOMD = "HOMD"
    HOMA = "HOMA"


ATTRIBUTE_LABELS = {
    Attribute.DOUT: "Identité douteuse",
    Attribute.FICT: "Identité fictive",
    Attribute.HOMD: "Homonyme détecté",
    Attribute.HOMA: "Homonyme avéré",
}

# Some HL7 v2 PAM senders write FICTI for FICT: accept it on input, always emit FICT.
ATTRIBUTE_ALIASES = {"FICTI": Attribute.FICT}

# RNIV ST-01: the status follows from two facts, I (INS retrieved or verified) and C (high-trust document).
STATUS_TABLE = {
    (False, False): Status.PROV,
    (True, False): Status.RECUP,
    (False, True): Status.VALI,
    (True, True): Status.QUAL,
}


def parse_attribute(code: str) -> Attribute:
    """Read an attribute code, accepting the FICTI alias; raise ValueError on an unknown code."""
    upper = (code or "").strip().upper()
    return ATTRIBUTE_ALIASES.get(upper) or Attribute(upper)


def derive_status(*, ins_verified: bool, document_checked: bool, attributes: Iterable[Attribute]) -> Status:
    """Return the status of an identity from I, C and its attributes (RNIV ST-01, ST-03)."""
    attrs = set(attributes)
    # RNIV ST-03: a doubtful or fictitious identity is provisional whatever was checked.
    if Attribute.DOUT in attrs or Attribute.FICT in attrs:
        return Status.PROV
    return STATUS_TABLE[(ins_verified, document_checked)]


def conflicting_attribute(current: Iterable[Attribute], new: Attribute) -> Attribute | None:
    """Return the attribute that forbids adding ``new`` (RNIV ST-02: DOUT and FICT exclude each other)."""
    attrs = set(current)
    if new == Attribute.DOUT and Attribute.FICT in attrs:
        return Attribute.FICT
    if new == Attribute.FICT and Attribute.DOUT in attrs:
        return Attribute.DOUT
    return None


def blocks_qualification(attributes: Iterable[Attribute]) -> bool:
    """Tell whether INSi calls and validation are refused (RNIV ST-03)."""
    attrs = set(attributes)
    return Attribute.DOUT in attrs or Attribute.FICT in attrs


def ins_shareable(status: Status | str) -> bool:
    """Tell whether the INS may reference or exchange health data (RNIV ST-04: QUAL only)."""
    return status == Status.QUAL
