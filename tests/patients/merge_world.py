"""Helpers of the merge tests: referents, identifiers, and what an identity owns, as one comparable value."""

from django.contrib.auth.models import Permission

from consent.models import CareEpisode, ConsentRecord, PatientOpposition
from patients.links import ExternalIdentifier, IdentifierAuthority
from patients.models import Patient
from tests.factories import UserFactory

NOISE = ("version", "updated_at")


def user_with(username: str, *perms: str):
    user = UserFactory(username=username)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)  # fresh: no stale permission cache


def referent_user(username: str = "referent-fusion"):
    return user_with(username, "patients.merge_identity", "patients.change_patient", "patients.view_patient")


def authority(code: str = "GHT-NORD", label: str = "CH Nord (GHT)") -> IdentifierAuthority:
    return IdentifierAuthority.objects.get_or_create(code=code, defaults={"label": label})[0]


def owned(patient: Patient) -> dict:
    """Everything an identity is and owns, as a value: two equal values mean the same record."""
    patient = Patient.objects.get(pk=patient.pk)
    return {
        "identity": {f.name: getattr(patient, f.attname) for f in patient._meta.concrete_fields if f.name not in NOISE},
        "status": patient.status,
        "ipp": patient.ipp,
        "documents": sorted(patient.documents.values_list("pk", flat=True)),
        "identifiers": sorted(
            ExternalIdentifier.objects.filter(patient=patient).values_list("authority__code", "value", "in_force")
        ),
        "ins_history": sorted(patient.ins_history.values_list("pk", flat=True)),
        "episodes": sorted(CareEpisode.objects.filter(patient=patient).values_list("pk", flat=True)),
        "consents": sorted(ConsentRecord.objects.filter(episode__patient=patient).values_list("pk", flat=True)),
        "oppositions": sorted(PatientOpposition.objects.filter(patient=patient).values_list("pk", flat=True)),
    }
