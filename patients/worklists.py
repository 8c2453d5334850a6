"""The identity registry's own counters of the referent's desk (issue 12); insi adds its own from its ready()."""

from django.db.models import Q, QuerySet

from patients.duplicates.models import DuplicateCandidate
from patients.extensions import WorkList, register_work_list
from patients.incidents.models import Incident, IncidentStatus
from patients.models import Patient
from patients.selectors import patient_list, patients_to_complete, patients_to_regularise

VIEW_PATIENT = "patients.view_patient"


def doubtful_patients() -> QuerySet[Patient]:
    """Active identities carrying the DOUT attribute (RNIV ST-02)."""
    return patient_list().filter(doubtful=True)


def fictitious_patients() -> QuerySet[Patient]:
    """Active identities carrying the FICT attribute (RNIV ST-02)."""
    return patient_list().filter(fictitious=True)


def open_incidents() -> QuerySet[Incident]:
    """Identity incidents not yet closed (RNIV AUD-04): the rows the incidents list shows for ``status=open``."""
    return Incident.objects.filter(status=IncidentStatus.OPEN)


def open_duplicates() -> QuerySet[DuplicateCandidate]:
    """Suspected pairs still to decide: the rows the duplicates list shows for ``state=SUSPECTED`` (ST-11)."""
    gone = Q(patient_low__is_active=False) | Q(patient_high__is_active=False)
    return DuplicateCandidate.objects.filter(state=DuplicateCandidate.State.SUSPECTED).exclude(gone)


WORK_LISTS = [
    WorkList(
        key="a-completer",
        label="Identités à compléter (SANSNOM, SANSPRENOM)",
        rule="TR-08",
        permission=VIEW_PATIENT,
        rows=patients_to_complete,
        patient_filter=True,
        order=10,
        help_text="Nom de naissance ou prénom inconnu à l'enregistrement.",
    ),
    WorkList(
        key="a-regulariser",
        label="Identités à régulariser",
        rule="TR-09",
        permission=VIEW_PATIENT,
        rows=patients_to_regularise,
        patient_filter=True,
        order=20,
        help_text="Nom utilisé enregistré provisoirement comme nom de naissance.",
    ),
    WorkList(
        key="doublons",
        label="Doublons suspectés à traiter",
        rule="ST-11",
        permission="patients.view_duplicatecandidate",
        rows=open_duplicates,
        url_name="admin:patients_duplicatecandidate_changelist",
        query=f"state__exact={DuplicateCandidate.State.SUSPECTED}",
        order=50,
    ),
    WorkList(
        key="douteuses",
        label="Identités douteuses (DOUT)",
        rule="ST-02",
        permission=VIEW_PATIENT,
        rows=doubtful_patients,
        patient_filter=True,
        order=60,
    ),
    WorkList(
        key="fictives",
        label="Identités fictives (FICT)",
        rule="ST-02",
        permission=VIEW_PATIENT,
        rows=fictitious_patients,
        patient_filter=True,
        order=61,
    ),
    WorkList(
        key="incidents",
        label="Incidents d'identité ouverts",
        rule="AUD-04",
        permission="patients.view_incident",
        rows=open_incidents,
        url_name="admin:patients_incident_changelist",
        query=f"status__exact={IncidentStatus.OPEN}",
        order=70,
        help_text="Identités déclassées après une erreur : lecteurs à prévenir, incident à clôturer.",
    ),
]


def register() -> None:
    for work_list in WORK_LISTS:
        register_work_list(work_list)
