"""The alert of an incident (RNIV AUD-04), in French, through Django's mail framework (EMAIL_BACKEND).

The subject carries no trait at all; the body names the identity by its IPP and a link, nothing more: a mail
leaves the registry, and may be read on a phone or forwarded.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from identity_registry.local_time import local_datetime
from patients.incidents.models import Incident
from patients.incidents.selectors import Reader

SUBJECT = "[Identitovigilance] Alerte : identité erronée consultée (incident n° {number})"

BODY = """Bonjour,

La cellule d'identitovigilance a déclaré erronée une identité patient que vous avez consultée ou reçue
entre le {first} et le {last} ({how}).

Nature de l'incident : {kind}
Incident n° {number}, ouvert le {opened}.
Identité concernée : IPP {ipp} (identifiant public {public_id}).
Lien : {link}

L'identité est repassée au statut provisoire. Vérifiez sans délai les informations que vous en avez tirées
(documents, résultats, échanges avec d'autres professionnels ou logiciels) et signalez à la cellule
d'identitovigilance toute donnée rattachée à la mauvaise personne.

Ce message ne contient volontairement aucun trait d'identité.
Cordialement,
Référentiel d'identités patient
"""


def alert_message(*, incident: Incident, reader: Reader, address: str) -> EmailMessage:
    """The alert to one reader (not sent: the caller sends it and records the outcome)."""
    patient = incident.patient
    link = settings.REGISTRY_BASE_URL.rstrip("/") + reverse("admin:patients_patient_change", args=[patient.pk])
    body = BODY.format(
        first=local_datetime(reader.first_at),
        last=local_datetime(reader.last_at),
        how=", ".join(reader.how),
        kind=incident.get_kind_display(),
        number=incident.pk,
        opened=local_datetime(incident.opened_at),
        ipp=patient.ipp,
        public_id=patient.public_id,
        link=link,
    )
    return EmailMessage(subject=SUBJECT.format(number=incident.pk), body=body, to=[address])
