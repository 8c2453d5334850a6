"""Hooks through which other apps add links to the identity page without patients importing them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PatientPageLink:
    """A button on the identity admin page: French label, URL name taking ``patient_id``, permission."""

    label: str
    url_name: str
    permission: str
    # Issue 12: shown only when the rules allow the act on this identity (e.g. no INSi call for DOUT, ST-03).
    when: Callable[[Any], bool] | None = None


_PATIENT_PAGE_LINKS: list[PatientPageLink] = []


def register_patient_page_link(link: PatientPageLink) -> None:
    """Register a link (call from an AppConfig.ready()); registering twice is harmless."""
    if link not in _PATIENT_PAGE_LINKS:
        _PATIENT_PAGE_LINKS.append(link)


def patient_page_links(*, user: Any, patient_id: int, patient: Any = None) -> list[tuple[str, str]]:
    """Return (label, url) of the links this user may follow for this patient."""
    links = []
    for link in _PATIENT_PAGE_LINKS:
        if not user.has_perm(link.permission):
            continue
        if link.when is not None and patient is not None and not link.when(patient):
            continue
        try:
            links.append((link.label, reverse(link.url_name, kwargs={"patient_id": patient_id})))
        except NoReverseMatch:
            continue
    return links


@dataclass(frozen=True)
class PatientOwnedRelation:
    """Rows of another model that belong to an identity and move with it in a merge (RNIV AUD-05).

    ``model`` is an ``app_label.ModelName`` label; ``field`` the foreign key to the patient. ``stays`` may
    name a function ``(obj, survivor) -> bool`` telling that a row cannot move (the survivor already holds
    its equivalent): it then stays on the merged identity.
    """

    model: str
    label: str
    field: str = "patient"
    stays: Callable[[Any, Any], bool] | None = None


_PATIENT_OWNED_RELATIONS: list[PatientOwnedRelation] = []


def register_patient_owned_relation(relation: PatientOwnedRelation) -> None:
    """Register a relation that moves in a merge (call from an AppConfig.ready()); twice is harmless."""
    if all(known.model != relation.model for known in _PATIENT_OWNED_RELATIONS):
        _PATIENT_OWNED_RELATIONS.append(relation)


def patient_owned_relations() -> list[PatientOwnedRelation]:
    return list(_PATIENT_OWNED_RELATIONS)


@dataclass(frozen=True)
class TimelineSource:
    """Entries another app adds to the auditor's timeline (RNIV AUD-02) without patients importing it.

    ``kinds`` maps each kind code the source yields to its French label; ``entries`` takes the ids of the
    identities (the patient and the records it absorbed) and returns ``patients.timeline.TimelineEntry`` rows.
    """

    name: str
    kinds: dict[str, str]
    entries: Callable[[list[int]], list[Any]]


_TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    """Register a timeline source (call from an AppConfig.ready()); registering twice is harmless."""
    if all(known.name != source.name for known in _TIMELINE_SOURCES):
        _TIMELINE_SOURCES.append(source)


def timeline_sources() -> list[TimelineSource]:
    return list(_TIMELINE_SOURCES)


@dataclass(frozen=True)
class WorkList:
    """One counter of the referent's desk (issue 12): what is waiting, how many, and where to work it.

    ``rows`` returns the queryset the admin list shows; the desk counts it with one ``COUNT``.
    ``url_name`` (plus ``query``, a query string) is the admin list filtered to exactly those rows. When
    ``patient_filter`` is true, ``rows`` returns patients and the identity list filters on ``?liste=<key>``
    (patients.admin.filters.WorkListFilter), so insi's or consent's lists of identities need no admin code.

    Extension point: other apps register theirs from their ``AppConfig.ready()`` with ``register_work_list``
    (insi: proposals, re-verification); patients imports none of those apps.
    """

    key: str
    label: str
    rule: str
    permission: str
    rows: Callable[[], Any]
    url_name: str = "admin:patients_patient_changelist"
    query: str = ""
    patient_filter: bool = False
    order: int = 100
    help_text: str = ""

    def url(self) -> str:
        query = f"liste={self.key}" if self.patient_filter else self.query
        try:
            base = reverse(self.url_name)
        except NoReverseMatch:
            return ""
        return f"{base}?{query}" if query else base


_WORK_LISTS: dict[str, WorkList] = {}


def register_work_list(work_list: WorkList) -> None:
    """Register a counter of the referent's desk (call from an AppConfig.ready()); twice is harmless."""
    _WORK_LISTS.setdefault(work_list.key, work_list)


def work_lists() -> list[WorkList]:
    return sorted(_WORK_LISTS.values(), key=lambda w: (w.order, w.key))


def work_list(key: str) -> WorkList | None:
    return _WORK_LISTS.get(key)
