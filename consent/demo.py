"""Demo professionals and care episodes, so the consent page can be tried at once after `make run`."""

from django.contrib.auth import get_user_model
from django.db import transaction

from consent.codes import CardType, EpisodeKind
from consent.models import Professional
from consent.services import care_episode_create, care_team_add_member, professional_create
from patients.models import Patient

# Fictitious identifiers with the PRO-01 shapes: RPPS prefixed 8 (12 digits), ADELI prefixed 0 (10 digits).
DEMO_PROFESSIONALS = [
    ("810001234567", "MARTEAU", "Claire", "Médecin", CardType.CPS),
    ("810009876543", "LEROY", "Hugo", "Interne en médecine", CardType.CPF),
    ("0751234567", "PERRIN", "Sophie", "Secrétaire médicale", CardType.CPE),
    ("810005555555", "VIDAL", "Marc", "Directeur d'établissement", CardType.CDE),
]


@transaction.atomic
def load_consent_demo(*, actor) -> int:
    """Create the demo professionals and two hospitalisations once; return how many professionals were made."""
    if Professional.objects.exists():
        return 0
    professionals = [
        professional_create(
            actor=actor, national_id=nid, last_name=last, first_name=first, profession=job, card_type=card
        )
        for nid, last, first, job, card in DEMO_PROFESSIONALS
    ]
    physician, intern = professionals[0], professionals[1]
    for patient in Patient.objects.filter(status="QUAL").order_by("birth_name")[:2]:
        episode = care_episode_create(
            actor=actor, patient=patient, unit="Médecine interne", kind=EpisodeKind.HOSPITALISATION
        )
        care_team_add_member(actor=actor, episode=episode, professional=physician, role="Médecin référent")
        care_team_add_member(actor=actor, episode=episode, professional=intern, role="Interne")
    return len(professionals)


def demo_actor():
    return get_user_model().objects.get(username="referent")
