"""What consent lends to an identity merge (RNIV AUD-05): its patient-owned rows move to the survivor.

Registered from ConsentConfig.ready(); patients never imports consent.
"""

from typing import Any

from patients.extensions import PatientOwnedRelation, register_patient_owned_relation


def _opposition_stays(opposition: Any, survivor: Any) -> bool:
    # One opposition of each kind in force per patient: when the survivor already opposes, the merged
    # identity's opposition stays with it (and comes back with it on an unmerge).
    from consent.models import PatientOpposition

    if opposition.withdrawn_at is not None:
        return False
    return PatientOpposition.objects.filter(patient=survivor, kind=opposition.kind, withdrawn_at__isnull=True).exists()


def register() -> None:
    # An episode carries its team, its consents and its emergency accesses with it.
    register_patient_owned_relation(PatientOwnedRelation("consent.CareEpisode", "Épisodes de soins et consentements"))
    register_patient_owned_relation(
        PatientOwnedRelation("consent.PatientOpposition", "Oppositions au DMP", stays=_opposition_stays)
    )
