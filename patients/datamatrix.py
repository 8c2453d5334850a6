"""The Datamatrix INS text (RNIV DM-01, INTEROP.md "Datamatrix INS"): build it from an identity, read it back.

Pure: no queries, no I/O. The symbol itself is drawn by ``patients/datamatrix_render.py``.
"""

import re
from dataclasses import dataclass
from datetime import date

from patients.status import Status

GS = "\x1d"
# The 26-character header: "IS01" then 22 zeros.
HEADER = "IS01" + "0" * 22
OID_MAX = 20
FIRST_NAMES_MAX = 100
BIRTH_NAME_MAX = 100
DM01_NOT_QUALIFIED = (
    "Le Datamatrix INS n'est produit que pour une identité qualifiée (règle DM-01) : "
    "cette identité est au statut {status}."
)
DM01_UNREADABLE = "Ce texte n'est pas un Datamatrix INS lisible (règle DM-01) : {detail}."


class DatamatrixRefused(ValueError):
    """The identity may not carry a Datamatrix INS, or a scanned text is not one."""


@dataclass(frozen=True)
class DatamatrixIdentity:
    """What a Datamatrix INS carries: the INS and the strict traits."""

    matricule: str
    oid: str
    first_names: str
    birth_name: str
    sex: str
    birth_date: date
    birthplace_cog: str = ""


def _variable(tag: str, value: str, maximum: int) -> str:
    # INTEROP.md: GS follows a variable field only when it is shorter than its maximum.
    if len(value) > maximum:
        raise DatamatrixRefused(f"le champ {tag} dépasse {maximum} caractères")
    return f"{tag}{value}" + (GS if len(value) < maximum else "")


def datamatrix_text(identity: DatamatrixIdentity) -> str:
    """Return the exact text of the Datamatrix INS (header, then S1 to S7)."""
    if len(identity.matricule) != 15:
        raise DatamatrixRefused("le matricule INS doit compter 15 caractères")
    if identity.sex not in ("M", "F"):
        raise DatamatrixRefused("le sexe doit être M ou F")
    parts = [
        HEADER,
        f"S1{identity.matricule}",
        _variable("S2", identity.oid, OID_MAX),
        _variable("S3", identity.first_names, FIRST_NAMES_MAX),
        _variable("S4", identity.birth_name, BIRTH_NAME_MAX),
        f"S5{identity.sex}",
        f"S6{identity.birth_date:%d-%m-%Y}",
    ]
    if identity.birthplace_cog:
        parts.append(f"S7{identity.birthplace_cog}")
    return "".join(parts)


def patient_datamatrix_identity(patient: object) -> DatamatrixIdentity:
    """Return what the Datamatrix of this identity carries; refuse any identity that is not QUAL (DM-01)."""
    status = getattr(patient, "status", None)
    if status != Status.QUAL or not getattr(patient, "ins_matricule", None) or not getattr(patient, "ins_oid", None):
        raise DatamatrixRefused(DM01_NOT_QUALIFIED.format(status=status))
    return DatamatrixIdentity(
        matricule=patient.ins_matricule,
        oid=patient.ins_oid,
        first_names=patient.first_names,
        birth_name=patient.birth_name,
        sex=patient.sex,
        birth_date=patient.birth_date,
        birthplace_cog=patient.birthplace_cog or "",
    )


# Names hold no digits, and an OID holds only digits and dots, so each tag S2..S7 is found even when a
# scanner drops the GS separators (many keyboard-wedge scanners do).
_SCANNED = re.compile(
    r"^IS01(?P<header>\d{22})"
    r"S1(?P<matricule>[0-9AB]{15})"
    r"S2(?P<oid>[0-9.]{1,20})\x1d?"
    r"S3(?P<first_names>[^\x1d0-9]{1,100}?)\x1d?"
    r"S4(?P<birth_name>[^\x1d0-9]{1,100}?)\x1d?"
    r"S5(?P<sex>[MF])"
    r"S6(?P<day>\d{2})-(?P<month>\d{2})-(?P<year>\d{4})"
    r"(?:S7(?P<cog>[0-9][0-9AB][0-9]{3}))?$"
)


def read_datamatrix_text(text: str) -> DatamatrixIdentity:
    """Read the text a scanner typed in; raise DatamatrixRefused with a French reason when it is not one."""
    cleaned = text.strip("\r\n\t ")
    match = _SCANNED.match(cleaned)
    if match is None:
        if not cleaned.startswith("IS01"):
            raise DatamatrixRefused(DM01_UNREADABLE.format(detail="il ne commence pas par l'en-tête IS01"))
        raise DatamatrixRefused(DM01_UNREADABLE.format(detail="un des champs S1 à S7 manque ou est mal formé"))
    try:
        born = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError as exc:
        raise DatamatrixRefused(DM01_UNREADABLE.format(detail="la date de naissance n'existe pas")) from exc
    return DatamatrixIdentity(
        matricule=match["matricule"],
        oid=match["oid"],
        first_names=match["first_names"],
        birth_name=match["birth_name"],
        sex=match["sex"],
        birth_date=born,
        birthplace_cog=match["cog"] or "",
    )
