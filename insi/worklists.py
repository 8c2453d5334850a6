"""INSi counters of the referent's desk (issue 12), registered from InsiConfig.ready()."""

from django.db.models import QuerySet

from insi.models import InsiProposal
from insi.selectors import patients_due_for_reverification
from patients.extensions import WorkList, register_work_list
from patients.models import Patient


def pending_proposals() -> QuerySet[InsiProposal]:
    """Proposals waiting for a referent's decision (RNIV INSI-06, ST-08)."""
    return InsiProposal.objects.filter(state=InsiProposal.State.PENDING)


def due_for_reverification() -> QuerySet[Patient]:
    # Ordering means nothing to a COUNT or to a "pk IN (...)" filter.
    return patients_due_for_reverification().order_by()


WORK_LISTS = [
    WorkList(
        key="reverification",
        label="INS à re-vérifier",
        rule="ST-08",
        permission="patients.view_patient",
        rows=due_for_reverification,
        patient_filter=True,
        order=30,
        help_text="Identités qualifiées dont la dernière vérification INSi est trop ancienne.",
    ),
    WorkList(
        key="propositions-insi",
        label="Propositions INSi à décider",
        rule="INSI-06",
        permission="insi.view_insiproposal",
        rows=pending_proposals,
        url_name="admin:insi_insiproposal_changelist",
        query=f"state__exact={InsiProposal.State.PENDING}",
        order=40,
    ),
]


def register() -> None:
    for work_list in WORK_LISTS:
        register_work_list(work_list)
