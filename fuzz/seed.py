"""Seed the fuzz database: the demo data set, a few consent records, oppositions and external identifiers,
and one API token per role; print, as JSON, the tokens and the ids the fuzzer should reach past 404 with.

Run by ``fuzz.run`` with DATABASE_URL set: ``python -m fuzz.seed``. Never run it on a real database.
"""

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "identity_registry.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from consent.codes import Channel, ConsentDecision, ConsentPurpose, GiverCapacity, OppositionKind  # noqa: E402
from consent.models import CareEpisode, CareTeamMember, ConsentRecord, PatientOpposition, Professional  # noqa: E402
from consent.services import consent_record, opposition_record  # noqa: E402
from patients import roles  # noqa: E402
from patients.links import ExternalIdentifier  # noqa: E402
from patients.models import Patient  # noqa: E402
from patients.services.identifiers import identifier_add  # noqa: E402

# One account per role of the README's table; the fuzzer runs once with each token.
ROLE_ACCOUNTS = {
    "auditor": roles.AUDITOR,
    "agent": roles.AGENT,
    "dpi": roles.DPI,
    "referent": roles.REFERENT,
}


def _tokens() -> dict[str, str]:
    tokens = {}
    for name, role in ROLE_ACCOUNTS.items():
        call_command("create_api_account", f"fuzz-{name}", role=role, stdout=open(os.devnull, "w"))  # noqa: SIM115
        tokens[name] = Token.objects.get(user__username=f"fuzz-{name}").key
    return tokens


@transaction.atomic
def _extra_records(actor: Any) -> None:
    """Consents, oppositions and identifiers, so that their withdraw/remove endpoints have something to name."""
    for episode in CareEpisode.objects.order_by("pk"):
        consent_record(
            actor=actor,
            episode=episode,
            purpose=ConsentPurpose.FEEDING_INFORMATION,
            decision=ConsentDecision.INFORMED,
            given_by_capacity=GiverCapacity.PATIENT,
            given_by_name="Le patient",
            channel=Channel.ORAL,
        )
    patients = list(Patient.objects.filter(status="QUAL").order_by("pk")[:4])
    for patient in patients[:2]:
        opposition_record(
            actor=actor,
            patient=patient,
            kind=OppositionKind.FEEDING,
            expressed_by_capacity=GiverCapacity.PATIENT,
            expressed_by_name="Le patient",
        )
    for index, patient in enumerate(patients, start=1):
        identifier_add(actor=actor, patient=patient, authority="LABO", value=f"LAB{index:05d}")


def _ids(model: Any, field: str = "pk") -> list[Any]:
    return [str(value) if field == "public_id" else value for value in model.objects.values_list(field, flat=True)]


def main() -> None:
    quiet = open(os.devnull, "w")  # noqa: SIM115 - the demo commands print passwords: never in the CI log
    call_command("load_demo", stdout=quiet)
    call_command("load_consent_demo", stdout=quiet)
    actor = get_user_model().objects.get(username="referent")
    if not ConsentRecord.objects.exists():
        _extra_records(actor)
    json.dump(
        {
            "tokens": _tokens(),
            "groups": ROLE_ACCOUNTS,
            "patients": _ids(Patient, "public_id"),
            "patient_versions": sorted(set(Patient.objects.values_list("version", flat=True))),
            "episodes": _ids(CareEpisode),
            "team_members": _ids(CareTeamMember),
            "consents": _ids(ConsentRecord),
            "oppositions": _ids(PatientOpposition),
            "professionals": _ids(Professional),
            "identifiers": _ids(ExternalIdentifier),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
