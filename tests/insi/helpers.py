"""Helpers shared by the INSi tests."""

from django.forms.models import model_to_dict

from insi.models import InsiCall
from patients.models import InsHistoryEntry, Patient


def snapshot(patient: Patient) -> dict:
    """Everything a user could notice about an identity: its fields, its history rows and its INS history."""
    fresh = Patient.objects.get(pk=patient.pk)
    return {
        "fields": model_to_dict(fresh),
        "status": fresh.status,
        "version": fresh.version,
        "updated_at": fresh.updated_at,
        "history": fresh.history.count(),
        "ins_history": InsHistoryEntry.objects.filter(patient=fresh).count(),
    }


def calls_of(patient: Patient) -> list[InsiCall]:
    return list(InsiCall.objects.filter(patient=patient).order_by("called_at", "id"))


def role_user(username: str, role: str, **extra):
    """A user in one of the four role groups; transactional tests flush the groups seeded by migrations."""
    from django.contrib.auth.models import Group, Permission

    from insi.roles import ROLE_PERMISSIONS as INSI_ROLES
    from patients.roles import ROLE_PERMISSIONS as PATIENT_ROLES
    from tests.factories import UserFactory

    group, created = Group.objects.get_or_create(name=role)
    if created:
        for perm in [*PATIENT_ROLES.get(role, []), *INSI_ROLES.get(role, [])]:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=username, **extra)
    user.groups.add(group)
    return user


def confirm_on_screen(client, patient: Patient):
    """Issue 12: on the screen a concordant identity is retrieved once the agent confirms it against the document."""
    from django.urls import reverse

    from insi.models import InsiProposal

    proposal = InsiProposal.objects.get(patient=patient, state="PENDING", kind="CONFIRMATION")
    fresh = Patient.objects.get(pk=patient.pk)
    return client.post(
        reverse("admin:insi_query", kwargs={"patient_id": patient.pk}),
        {"action": "confirm", "proposal": str(proposal.public_id), "version": fresh.version},
        follow=True,
    )
