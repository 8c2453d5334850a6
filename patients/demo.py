"""Demo data set for the quick start: identities of every status and attribute, and one user per role."""

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from patients import roles
from patients.ins import OID_NIR_DEMO, ins_key
from patients.models import Patient
from patients.services import (
    InsTraits,
    identity_record_ins,
    identity_set_attribute,
    identity_validate_document,
    patient_create,
)

DEMO_USERS = {
    "agent": roles.AGENT,
    "referent": roles.REFERENT,
    "auditeur": roles.AUDITOR,
    "dpi": roles.DPI,
}

# The public INSi qualification people (INSI.md), as provisional local identities: request traits plus the
# full first-name list of the answer.
INSI_TEST_PEOPLE = [
    ("ADRUN", "ZOE", "ZOE", "F", date(1975, 12, 31), ""),
    ("ADRTROIS", "DOMINIQUE", "DOMINIQUE", "F", date(1997, 2, 26), ""),
    ("ADRTROIS", "TOUSSAINT", "TOUSSAINT", "M", date(1960, 1, 1), "2B020"),
    ("D'ARTAGNAN DE L'HERAULT", "PIERRE-ALAIN", "PIERRE-ALAIN MURIEL FLORIANT", "M", date(2001, 6, 17), ""),
    ("ECETINSI", "PIERRE-ALAIN", "PIERRE-ALAIN MURIEL FLORIANT", "M", date(2009, 7, 14), ""),
    ("PROVISOIRE", "MATRICULE", "MATRICULE", "M", date(2009, 7, 1), ""),
    ("DE VINCI", "LEONARDO", "LEONARDO", "M", date(2014, 2, 1), ""),
    ("TCHITCHI", "OLA", "OLA CATARINA BELLA", "F", date(1936, 6, 21), ""),
    ("HOUILLES", "PIERRE", "PIERRE PAUL JACQUES", "M", date(1993, 1, 27), ""),
    ("CORSE", "ANTHONY", "ANTHONY", "M", date(1980, 3, 2), ""),
    ("HERMAN", "GATIEN", "GATIEN", "M", date(1981, 3, 24), ""),
    ("NESSI", "MICHELANGELO", "MICHELANGELO ANTHONY", "M", date(2010, 8, 7), ""),
    ("VANDERMONDE", "ARIANA", "ARIANA", "F", date(1995, 6, 17), ""),
    ("D’ÆION", "CŒUR", "CŒUR", "M", date(1987, 1, 1), ""),
]

# (birth name, first names, sex, birth date, used name, what to do)
DEMO_PEOPLE = [
    ("Dupont", "Ève-Marie Louise", "F", date(1980, 4, 12), "Le Gall", "QUAL"),
    ("Martin", "Jean-Pierre", "M", date(1956, 11, 3), "", "QUAL"),
    ("Bernard", "Anaïs Claire", "F", date(1992, 7, 21), "", "QUAL"),
    ("Lefèvre", "Noël", "M", date(1948, 12, 25), "", "QUAL"),
    ("Moreau", "Héloïse", "F", date(2012, 5, 9), "", "RECUP"),
    ("Girard", "François Xavier", "M", date(1971, 2, 14), "", "RECUP"),
    ("Roux", "Célia", "F", date(1988, 9, 30), "", "RECUP"),
    ("Fournier", "Mathéo", "M", date(2019, 3, 3), "", "VALI"),
    ("Bonnet", "Léa", "F", date(2001, 8, 16), "Bonnet-Faure", "VALI"),
    ("Fontaine", "Gérard", "M", date(1939, 6, 6), "", "VALI"),
    ("Mercier", "Inès", "F", date(1999, 1, 19), "", "PROV"),
    ("Blanc", "Timothée", "M", date(1985, 10, 2), "", "PROV"),
    ("Guérin", "Maëlle", "F", date(1977, 4, 4), "", "DOUT"),
    ("Muller", "Rose", "F", date(2024, 1, 1), "", "FICT"),
    ("Martin", "Zoé", "F", date(1990, 3, 15), "", "HOMD"),
    ("Martin", "Zoé Alice", "F", date(1990, 3, 15), "", "HOMA"),
    ("Petit", "Louis", "M", date(1965, 1, 1), "", "ESTIMATED"),  # TR-07: year known, day and month not
    ("SANSNOM", "SANSPRENOM", "U", date(1970, 12, 31), "", "UNKNOWN"),
    ("Smith", "John", "M", date(1983, 5, 27), "", "REGULARISE"),
    ("N'Diaye", "Aminata", "F", date(1994, 11, 11), "Diallo", "QUAL"),
    ("Da Silva", "João", "M", date(1960, 2, 29), "", "VALI"),
    ("L'Hôpital", "Guillaume", "M", date(1951, 8, 8), "", "PROV"),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str


def demo_matricule(index: int, sex: str, birth_date: date) -> str:
    """A demonstration matricule with a valid key (OID .11, never a real person)."""
    body = f"{1 if sex == 'M' else 2}{birth_date:%y%m}99{index:03d}{index:03d}"[:13]
    return body + ins_key(body)


def ensure_demo_users(password: str | None = None) -> list[DemoLogin]:
    """Create or reset one staff user per role; passwords are random unless given (never in the repo)."""
    logins = []
    for username, role in DEMO_USERS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        secret = password or secrets.token_urlsafe(9)
        user.is_staff = role != roles.DPI  # the DPI account is an API client, not a screen user
        user.set_password(secret)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        logins.append(DemoLogin(username, role, secret))
    return logins


@transaction.atomic
def load_demo_identities(*, actor) -> int:
    """Create the demo identities once; return how many were created (0 if already loaded)."""
    if Patient.objects.exists():
        return 0
    for birth_name, first_name, first_names, sex, birth_date, cog in INSI_TEST_PEOPLE:
        patient_create(
            actor=actor,
            birth_name=birth_name,
            first_name=first_name,
            first_names=first_names,
            sex=sex,
            birth_date=birth_date,
            birthplace_cog=cog,
            reason="Jeu de démonstration",
        )
    for index, (birth_name, first_names, sex, birth_date, used_name, what) in enumerate(DEMO_PEOPLE, start=1):
        _create_demo_person(actor, index, birth_name, first_names, sex, birth_date, used_name, what)
    return len(INSI_TEST_PEOPLE) + len(DEMO_PEOPLE)


def _create_demo_person(actor, index, birth_name, first_names, sex, birth_date, used_name, what) -> None:
    first_name = first_names.split()[0]
    patient = patient_create(
        actor=actor,
        birth_name=birth_name,
        first_name=first_name,
        first_names=first_names,
        sex=sex,
        birth_date=birth_date,
        birthplace_cog="99999" if what == "UNKNOWN" else "75056",
        used_name=used_name,
        to_regularise=what == "REGULARISE",
        birth_day_estimated=what in {"ESTIMATED", "UNKNOWN"},
        birth_month_estimated=what in {"ESTIMATED", "UNKNOWN"},
        birth_year_estimated=what == "UNKNOWN",
        reason="Jeu de démonstration",
    ).patient
    if what in {"QUAL", "RECUP"}:
        traits = InsTraits.of(patient)
        identity_record_ins(
            actor=actor,
            patient=patient,
            matricule=demo_matricule(index, sex, birth_date),
            oid=OID_NIR_DEMO,
            traits=traits,
            reason="Jeu de démonstration",
        )
    if what in {"QUAL", "VALI"}:
        identity_validate_document(
            actor=actor, patient=patient, document_type="CN", issuing_country="FR", reason="Jeu de démonstration"
        )
    attribute = {"DOUT": "DOUT", "FICT": "FICT", "HOMD": "HOMD", "HOMA": "HOMA"}.get(what)
    if attribute:
        identity_set_attribute(actor=actor, patient=patient, attribute=attribute, reason="Jeu de démonstration")
