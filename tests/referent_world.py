"""Issue 12: a registry with something waiting in every list of the referent's desk, and the expected counts."""

from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from insi.models import InsiProposal
from insi.roles import ROLE_PERMISSIONS as INSI_ROLES
from patients.duplicates.models import DuplicateCandidate
from patients.incidents.services import incident_close, incident_open
from patients.models import Patient
from patients.roles import current_role_permissions
from patients.services import identity_set_attribute, patient_create
from tests.factories import UserFactory, check_passport, retrieve_ins


def role_member(role: str, *, username: str):
    """A staff user holding every permission the code gives ``role`` (transactional tests flush the groups)."""
    group, _ = Group.objects.get_or_create(name=role)
    for perm in [*current_role_permissions()[role], *INSI_ROLES.get(role, [])]:
        app_label, codename = perm.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return user


def _person(actor, name: str, first: str, year: int, **extra) -> Patient:
    return patient_create(
        actor=actor, birth_name=name, first_name=first, sex="F", birth_date=date(year, 3, 4), **extra
    ).patient


def _proposal(patient: Patient, state: str, actor) -> InsiProposal:
    decided = state != InsiProposal.State.PENDING
    return InsiProposal.objects.create(
        patient=patient,
        kind=InsiProposal.Kind.RETRIEVAL,
        state=state,
        patient_version=patient.version,
        created_by=actor,
        decided_by=actor if decided else None,
        decided_at=timezone.now() if decided else None,
    )


def _pair(a: Patient, b: Patient, state: str) -> DuplicateCandidate:
    low, high = sorted([a, b], key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        patient_low=low, patient_high=high, state=state, score=0.9, fingerprint="x" * 64, source="SCAN"
    )


def build_referent_world(actor) -> dict[str, int]:
    """Create identities, proposals and pairs; return the count each desk list must show."""
    unknown = [
        _person(actor, "SANSNOM", "LUCIE", 1961),
        _person(actor, "SANSNOM", "SANSPRENOM", 1962),
        _person(actor, "ROBIN", "SANSPRENOM", 1963),
    ]
    regularise = [_person(actor, "OKONKWO", "ADA", 1971, to_regularise=True)]
    doubtful = _person(actor, "LEBRUN", "ODILE", 1981)
    identity_set_attribute(actor=actor, patient=doubtful, attribute="DOUT", reason="Justificatif suspect")
    fictitious = [_person(actor, "ALIAS", "VIP", 1982), _person(actor, "EXERCICE", "ALPHA", 1983)]
    for patient in fictitious:
        identity_set_attribute(actor=actor, patient=patient, attribute="FICT", reason="Identité d'exercice")
    # A deactivated identity is listed nowhere (test setup, not product code).
    gone = _person(actor, "SANSNOM", "PARTI", 1964)
    Patient.objects.filter(pk=gone.pk).update(is_active=False)
    # ST-08: two qualified identities checked four years ago, one checked today.
    qualified = []
    for n, matricule in enumerate(["290017505600145", "290017505600244", "290017505600343"]):
        patient = retrieve_ins(_person(actor, f"QUALIF{'ABC'[n]}", "EVE", 1990 + n), matricule=matricule, actor=actor)
        qualified.append(check_passport(patient, actor=actor))
    old = timezone.now() - timedelta(days=4 * 365)
    Patient.objects.filter(pk__in=[qualified[0].pk, qualified[1].pk]).update(ins_verified_at=old)
    # INSI-06: two proposals waiting, one decided.
    _proposal(unknown[0], InsiProposal.State.PENDING, actor)
    _proposal(regularise[0], InsiProposal.State.PENDING, actor)
    _proposal(doubtful, InsiProposal.State.REJECTED, actor)
    # ST-11: two open pairs, one decided, one whose side is gone.
    _pair(unknown[1], unknown[2], DuplicateCandidate.State.SUSPECTED)
    _pair(fictitious[0], fictitious[1], DuplicateCandidate.State.SUSPECTED)
    _pair(regularise[0], doubtful, DuplicateCandidate.State.NOT_DUPLICATE)
    _pair(unknown[0], gone, DuplicateCandidate.State.SUSPECTED)
    # AUD-04: one incident open, one closed.
    for patient, close in ((regularise[0], False), (doubtful, True)):
        faulty = patient.history.order_by("-history_date", "-history_id").first()
        opened = incident_open(actor=actor, patient=patient, kind="other", faulty_change=faulty, reason="Erreur")
        if close:
            incident_close(actor=actor, incident=opened.incident, reason="Équipes prévenues")
    return {
        "a-completer": 3,
        "a-regulariser": 1,
        "reverification": 2,
        "propositions-insi": 2,
        "doublons": 2,
        "douteuses": 1,
        "fictives": 2,
        "incidents": 1,
    }
