"""A care episode with a consent and a DMP access decision, as the timeline scenarios (AUD-02, AUD-04) need."""

from datetime import timedelta

from django.utils import timezone

from consent.codes import Channel as ConsentChannel
from consent.codes import ConsentDecision, ConsentPurpose, EpisodeKind, GiverCapacity
from consent.services import care_episode_create, consent_record, dmp_access_decision, professional_create


def consent_and_dmp_decision(*, referent, patient):
    """Open an episode, record the patient's consent and a DMP access decision; return (episode, professional)."""
    episode = care_episode_create(
        actor=referent,
        patient=patient,
        unit="Cardiologie",
        kind=EpisodeKind.HOSPITALISATION,
        started_at=timezone.now() - timedelta(days=1),
    )
    pro = professional_create(
        actor=referent,
        national_id="810001234567",
        last_name="PRO",
        first_name="Camille",
        profession="Médecin",
        card_type="CPS",
    )
    consent_record(
        actor=referent,
        episode=episode,
        decision=ConsentDecision.GIVEN,
        purpose=ConsentPurpose.CONSULTATION,
        given_by_capacity=GiverCapacity.PATIENT,
        given_by_name="La patiente",
        channel=ConsentChannel.ORAL,
        professional=pro,
    )
    dmp_access_decision(actor=referent, patient=patient, professional=pro, episode=episode, purpose="consultation")
    return episode, pro
