"""The INSi client contract: typed requests and results, and one technical error (no settings, no I/O).

A backend is picked by the dotted path ``settings.INSI_CLIENT``, the way Django picks ``EMAIL_BACKEND``;
the loader, ``insi.backends.get_client``, lives beside the backends.
``01`` (not found) and ``02`` (several identities) are results; only technical failures raise (INSI-02).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

CR_FOUND = "00"
CR_NOT_FOUND = "01"
CR_MULTIPLE = "02"
CR_LABELS = {
    CR_FOUND: "OK",
    CR_NOT_FOUND: "Aucune identite trouvee",
    CR_MULTIPLE: "Plusieurs identites trouvees",
}

OPERATION_SEARCH_TRAITS = "SEARCH_TRAITS"
OPERATION_SEARCH_VITALE = "SEARCH_VITALE"
OPERATION_VERIFY = "VERIFY"

TECHNICAL_ERROR_MESSAGE = "Une erreur technique est survenue durant le traitement de l'appel au téléservice"


@dataclass(frozen=True)
class TraitsQuery:
    """A search by traits (RECSANSVITALE). ``birth_date`` is ISO text: a lunar date may occur."""

    birth_name: str
    first_name: str
    sex: str
    birth_date: str
    birthplace_cog: str = ""


@dataclass(frozen=True)
class Matricule:
    """A social-security matricule read from a carte Vitale: 13 characters and a 2-digit key."""

    number: str
    key: str
    kind: str = ""


@dataclass(frozen=True)
class VitaleQuery:
    """A search keyed by one beneficiary of a carte Vitale (RECVITALE, TR-11: the card is not the INS)."""

    individual: Matricule | None
    holder: Matricule | None
    birth_name: str
    birth_date: str
    birth_rank: int = 1
    # Read from the card for ContexteBAM/COUVERTURE (INSI.md): grand régime, caisse and centre codes.
    regime: str = ""
    fund: str = ""
    centre: str = ""


@dataclass(frozen=True)
class VerifyQuery:
    """Verify a stored INS (ST-08): INSi is searched with the stored INS traits."""

    matricule: str
    oid: str
    traits: TraitsQuery


@dataclass(frozen=True)
class ReturnedIns:
    matricule: str
    oid: str
    valid_from: str = ""
    valid_until: str = ""


@dataclass(frozen=True)
class ReturnedTraits:
    """The INS traits (TIQ) as returned; any of them may be missing (empty)."""

    birth_name: str
    first_name: str
    first_names: str
    sex: str
    birth_date: str
    birthplace_cog: str = ""


@dataclass(frozen=True)
class ReturnedIdentity:
    ins: ReturnedIns
    traits: ReturnedTraits
    history: tuple[ReturnedIns, ...] = ()


@dataclass(frozen=True)
class InsiResult:
    """The answer of INSi: the CR code, and with ``00`` the identity. ``raw`` stays in memory only."""

    cr: str
    label: str = ""
    identity: ReturnedIdentity | None = None
    raw: bytes = field(default=b"", repr=False, compare=False)

    @property
    def found(self) -> bool:
        return self.cr == CR_FOUND


class InsiTechnicalError(Exception):
    """A fault, timeout or malformed answer (INSI-02). ``permanent`` says whether retrying can help."""

    def __init__(self, detail: str, *, permanent: bool, code: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent
        self.code = code
        self.message = TECHNICAL_ERROR_MESSAGE


class InsiClient(ABC):
    """What every backend offers: the two INSi operations, and verification built on the first."""

    @abstractmethod
    def search_by_traits(self, query: TraitsQuery) -> InsiResult:
        """Search INSi with the traits (rechercherInsAvecTraitsIdentite)."""

    @abstractmethod
    def search_with_vitale(self, query: VitaleQuery) -> InsiResult:
        """Search INSi with a carte Vitale beneficiary (rechercherInsAvecCarteVitale)."""

    def verify(self, query: VerifyQuery) -> InsiResult:
        """Search with the stored INS traits; the caller compares the INS that comes back (ST-08)."""
        return self.search_by_traits(query.traits)
