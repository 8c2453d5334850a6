"""Record the INS returned by INSi and its re-verification (RNIV TR-10 to TR-12, INSI-09, ST-05, ST-08).

Only the INSi services call these: the INS is never typed by hand (TR-11).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidTransition, RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.models import InsHistoryEntry, Patient, Sex
from patients.services.common import IdentityResult, checked_ins, lock_patient, save_identity
from patients.services.identity import clean_traits
from patients.status import blocks_qualification

INS_READ_DIFFERS = (
    "L'INS renvoyée par INSi diffère de celle lue sur le Datamatrix à l'accueil : vérifiez que le document "
    "présenté est bien celui du patient (règles DM-01, ST-11)."
)


@dataclass(frozen=True)
class InsTraits:
    """The five INS traits returned by INSi, already in TR-03 form."""

    birth_name: str
    first_name: str
    first_names: str
    sex: str
    birth_date: date
    birthplace_cog: str = ""

    @classmethod
    def of(cls, patient: Patient) -> "InsTraits":
        """The local strict traits of a patient, in the shape INSi returns them."""
        return cls(
            patient.birth_name,
            patient.first_name,
            patient.first_names,
            patient.sex,
            patient.birth_date,
            patient.birthplace_cog,
        )


@dataclass(frozen=True)
class EarlierIns:
    matricule: str
    oid: str
    valid_from: date | None = None
    valid_until: date | None = None


def remember_ins(
    patient: Patient,
    *,
    actor: Any,
    matricule: str,
    oid: str,
    source: str,
    reason_code: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> None:
    """Keep an earlier matricule in the INS history, once per patient (INSI-09)."""
    if InsHistoryEntry.objects.filter(patient=patient, matricule=matricule, oid=oid).exists():
        return
    entry = InsHistoryEntry(
        patient=patient, matricule=matricule, oid=oid, source=source, valid_from=valid_from, valid_until=valid_until
    )
    stamp_history(entry, actor=actor, reason_code=reason_code)
    entry.save()


def withdraw_ins(patient: Patient, *, actor: Any, reason_code: str = reasons.DOWNGRADE) -> None:
    """Withdraw I and the INS, keeping the matricule in the INS history (ST-03, ST-06)."""
    if patient.ins_matricule and patient.ins_oid:
        remember_ins(
            patient,
            actor=actor,
            matricule=patient.ins_matricule,
            oid=patient.ins_oid,
            source=InsHistoryEntry.Source.WITHDRAWN,
            reason_code=reason_code,
        )
    patient.ins_matricule = None
    patient.ins_oid = None
    patient.ins_verified = False
    patient.ins_verified_at = None


def _returned_traits(traits: InsTraits) -> dict[str, Any]:
    # RNIV TR-01: INSi always returns the sex; a U identity can never hold an INS.
    if traits.sex not in (Sex.M, Sex.F):
        raise RuleViolation("INSi n'a pas renvoyé un sexe M ou F : l'INS ne peut pas être récupérée.", code="TR-01")
    clean, _ = clean_traits(
        {
            "birth_name": traits.birth_name,
            "first_name": traits.first_name,
            "first_names": traits.first_names,
            "sex": traits.sex,
            "birth_date": traits.birth_date,
            # RNIV TR-13: a COG returned by INSi is accepted as is, even unknown locally.
            "birthplace_cog": traits.birthplace_cog,
        },
        # INSI-09: INSi's traits are the reference, stored as returned (its date is exact: TR-07 flags cleared).
        across_fields=False,
    )
    return clean


@transaction.atomic
def identity_record_ins(
    *,
    actor: Any,
    patient: Patient | int,
    matricule: str,
    oid: str,
    traits: InsTraits,
    earlier: list[EarlierIns] | tuple[EarlierIns, ...] = (),
    reason: str,
    reason_code: str = "",
    expected_version: int | None = None,
    already_locked: bool = False,
) -> IdentityResult:
    """Retrieve an INS returned by INSi: its traits replace and lock the strict traits (INSI-09, ST-05).

    Only the INSi services call this: the INS is never typed by hand (TR-11). ``expected_version`` is the
    version INSi was called with: a change since then is refused (412). ``already_locked`` says that the
    caller holds the row lock on ``patient`` (a Patient) in this transaction: it is not taken twice.
    """
    checked_ins(matricule, oid)
    for item in earlier:
        checked_ins(item.matricule, item.oid)
    clean = _returned_traits(traits)
    locked = patient if already_locked and isinstance(patient, Patient) else lock_patient(patient, expected_version)
    if blocks_qualification(locked.attributes):
        raise InvalidTransition(
            "Une identité douteuse ou fictive ne peut pas être qualifiée (règle ST-03).", code="ST-03"
        )
    strict_changed = [name for name, value in clean.items() if getattr(locked, name) != value]
    code = reason_code or reasons.INS_RETRIEVED
    if locked.ins_matricule and (locked.ins_matricule, locked.ins_oid) != (matricule, oid):
        remember_ins(
            locked,
            actor=actor,
            matricule=locked.ins_matricule,
            oid=locked.ins_oid,
            source=InsHistoryEntry.Source.REPLACED,
            reason_code=code,
        )
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.birth_day_estimated = locked.birth_month_estimated = locked.birth_year_estimated = False
    locked.ins_matricule = matricule
    locked.ins_oid = oid
    locked.ins_verified = True
    locked.ins_verified_at = timezone.now()
    for item in earlier:
        remember_ins(
            locked,
            actor=actor,
            matricule=item.matricule,
            oid=item.oid,
            source=InsHistoryEntry.Source.INSI_HISTORY,
            reason_code=code,
            valid_from=item.valid_from,
            valid_until=item.valid_until,
        )
    warnings = []
    if locked.ins_read_matricule:
        # RNIV DM-01: the INS read on a Datamatrix at the desk only ever served to check what INSi returns.
        if (locked.ins_read_matricule, locked.ins_read_oid) != (matricule, oid):
            warnings.append(INS_READ_DIFFERS)
        locked.ins_read_matricule = locked.ins_read_oid = ""
    save_identity(locked, actor=actor, reason_code=code, reason=reason)
    return IdentityResult(locked, warnings, strict_changed)


@transaction.atomic
def identity_record_ins_verification(
    *, actor: Any, patient: Patient | int, reason: str = "", expected_version: int | None = None
) -> IdentityResult:
    """Record a successful re-verification of the stored INS through INSi (ST-08)."""
    locked = lock_patient(patient, expected_version)
    if not locked.ins_verified:
        raise InvalidTransition("Aucune INS récupérée à vérifier.", code="ST-08")
    locked.ins_verified_at = timezone.now()
    save_identity(locked, actor=actor, reason_code=reasons.INS_VERIFIED, reason=reason)
    return IdentityResult(locked, [], ["ins_verified_at"])
