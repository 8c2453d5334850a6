"""Factories: identities are built through the services, as the product builds them."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from patients.models import Patient
from patients.services import InsTraits, identity_record_ins, identity_validate_document, patient_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("motdepasse-de-test")


BIRTH_NAMES = ["MARTIN", "BERNARD", "D'ARTAGNAN", "DE LA FONTAINE", "LE GALL", "DUPONT-MOREAU", "NGUYEN"]
FIRST_NAMES = ["JEAN-PIERRE", "MARIE", "EVE-MARIE", "LOUIS", "ZOE", "ANNE SOPHIE", "NOE"]


class PatientFactory(factory.Factory):
    """Build a provisional identity with ``patient_create`` (pass ``actor`` to choose the user)."""

    class Meta:
        model = Patient

    birth_name = factory.Sequence(lambda n: BIRTH_NAMES[n % len(BIRTH_NAMES)])
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    sex = "F"
    birth_date = factory.Sequence(lambda n: date(1950 + n % 60, 1 + n % 12, 1 + n % 28))
    birthplace_cog = "75056"

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        actor = actor or UserFactory(username="factory-agent")
        return patient_create(actor=actor, **kwargs).patient

    @classmethod
    def _build(cls, model_class, *args, actor=None, **kwargs):
        return model_class(**kwargs)


def retrieve_ins(patient: Patient, *, matricule: str = "275126322074974", oid: str = "1.2.250.1.213.1.4.8", actor=None):
    """Give the patient an INS as INSi would return it, with the patient's own traits (RECUP)."""
    actor = actor or UserFactory(username="factory-agent")
    traits = InsTraits.of(patient)
    return identity_record_ins(
        actor=actor, patient=patient, matricule=matricule, oid=oid, traits=traits, reason="test"
    ).patient


def check_passport(patient: Patient, *, actor=None) -> Patient:
    """Record an original French passport for the patient (sets C)."""
    actor = actor or UserFactory(username="factory-agent")
    return identity_validate_document(actor=actor, patient=patient, document_type="PA", issuing_country="FR").patient


def qualified_patient(*, matricule: str = "275126322074974", **kwargs) -> Patient:
    """A QUAL identity: INS retrieved and passport checked."""
    patient = PatientFactory(**kwargs)
    patient = retrieve_ins(patient, matricule=matricule)
    return check_passport(patient)
