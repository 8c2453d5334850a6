"""Choices of the patients API with their French labels, which the OpenAPI schema lists for each code.

A label says what the code means and which rule it brings into play, for the integrator and the agent.
"""

from patients.documents import DOCUMENT_CONTEXT_LABELS, DOCUMENT_TYPE_LABELS, DocumentContext, DocumentType
from patients.events import EventKind
from patients.models import CollectionMethod
from patients.status import ATTRIBUTE_ALIASES, ATTRIBUTE_LABELS, STATUS_LABELS, Attribute, Status

STATUS_CHOICES = [
    (Status.PROV.value, f"{STATUS_LABELS[Status.PROV]} : ni INS récupérée ni justificatif vérifié (ST-01)"),
    (Status.RECUP.value, f"{STATUS_LABELS[Status.RECUP]} : INS récupérée ou vérifiée par INSi (I), sans justificatif"),
    (
        Status.VALI.value,
        f"{STATUS_LABELS[Status.VALI]} : justificatif à haut niveau de confiance vérifié (C), sans INS",
    ),
    (Status.QUAL.value, f"{STATUS_LABELS[Status.QUAL]} : I et C ; seule une INS qualifiée est partagée (ST-04)"),
]

_ATTRIBUTE_NOTES = {
    Attribute.DOUT: "force le statut PROV, interdit l'appel INSi et la validation (ST-03)",
    Attribute.FICT: "identité d'emprunt (accouchement anonyme, VIP, exercice) : force PROV, interdit INSi et "
    "validation (ST-03)",
    Attribute.HOMD: "homonyme détecté, à vérifier (ST-02)",
    Attribute.HOMA: "homonymie confirmée (ST-02)",
}
ATTRIBUTE_CHOICES = [(a.value, f"{ATTRIBUTE_LABELS[a]} : {_ATTRIBUTE_NOTES[a]}") for a in Attribute]
# Inputs also take the HL7 v2 PAM alias; outputs always carry the canonical code.
ATTRIBUTE_INPUT_CHOICES = [
    *ATTRIBUTE_CHOICES,
    *(
        (alias, f"Alias de {code.value} (HL7 v2 PAM), enregistré et renvoyé comme {code.value}")
        for alias, code in ATTRIBUTE_ALIASES.items()
    ),
]
ATTRIBUTE_OPERATION_CHOICES = [("set", "Poser l'attribut"), ("clear", "Retirer l'attribut")]

_HIGH_TRUST = "haut niveau de confiance (ID-01)"
_DOCUMENT_NOTES = {
    DocumentType.CN: "haut niveau de confiance pour les ressortissants de France, de l'UE et des pays listés "
    "par ID-01 (pays d'émission `issuing_country`), sinon refusée (ID-02)",
    DocumentType.PA: _HIGH_TRUST,
    DocumentType.CS: f"{_HIGH_TRUST}, même temporaire",
    DocumentType.ECN: f"identité électronique, {_HIGH_TRUST}",
    DocumentType.IN: f"identité électronique, {_HIGH_TRUST}",
    DocumentType.AV: f"identité électronique, {_HIGH_TRUST}",
    DocumentType.LECV: "valide seulement en admission directe en EHPAD, contexte `ehpad_direct_admission` (ID-06)",
    DocumentType.AN: "valide pour un mineur avec la pièce d'un parent ou tuteur, contexte "
    "`minor_parent_document` (ID-05)",
    DocumentType.LEP: "valide pour un mineur avec la pièce d'un parent ou tuteur, contexte "
    "`minor_parent_document` (ID-05)",
    DocumentType.CC: "valide pour un mineur étranger (ID-05)",
    DocumentType.ANCV: "valide en admission directe en EHPAD, contexte `ehpad_direct_admission` (ID-06), ou pour "
    "un mineur de l'ASE, contexte `ase_minor` (ID-05)",
    DocumentType.DRIVING_LICENCE: "jamais à haut niveau de confiance : il ne mentionne pas le sexe (ID-02)",
    DocumentType.ASYLUM_SEEKER: "jamais à haut niveau de confiance (ID-02)",
    DocumentType.OTHER: "jamais à haut niveau de confiance (ID-02)",
}
DOCUMENT_TYPE_CHOICES = [(t.value, f"{DOCUMENT_TYPE_LABELS[t]} : {_DOCUMENT_NOTES[t]}") for t in DocumentType]

_CONTEXT_NOTES = {
    DocumentContext.STANDARD: "l'original d'un justificatif est présenté (ID-01, ID-04) ; valeur par défaut",
    DocumentContext.MINOR_WITH_PARENT_DOCUMENT: "l'extrait d'acte de naissance (AN) ou le livret de famille (LEP) "
    "valide l'identité d'un mineur (ID-05)",
    DocumentContext.EHPAD_DIRECT_ADMISSION: "LECV ou ANCV valide l'identité (ID-06)",
    DocumentContext.ASE_MINOR: "ANCV valide l'identité d'un mineur (ID-05)",
    DocumentContext.MEDICO_SOCIAL_RESIDENT_COPY: "une copie (`is_copy`) est acceptée (ID-04)",
}
DOCUMENT_CONTEXT_CHOICES = [(c.value, f"{DOCUMENT_CONTEXT_LABELS[c]} : {_CONTEXT_NOTES[c]}") for c in DocumentContext]

HISTORY_SUBJECT_CHOICES = [("identity", "Identité"), ("document", "Justificatif d'identité")]

_COLLECTION_LABELS = {CollectionMethod.RFID: "Lecture sans contact (RFID)"}
COLLECTION_METHOD_CHOICES = [(m.value, _COLLECTION_LABELS.get(m, m.label)) for m in CollectionMethod]

# The events feed: what changed, never the values (a consumer re-reads the identity when it needs them).
_EVENT_NOTES = {
    EventKind.MERGED: "inactive désormais ; `related` est l'identité conservée, à lire à sa place (AUD-05)",
    EventKind.ABSORBED: "`related` est le doublon fusionné ; ses justificatifs, identifiants et épisodes sont "
    "rattachés à cette identité (AUD-05)",
    EventKind.UNMERGED: "de nouveau active, telle qu'avant la fusion ; `related` est l'identité qui l'avait "
    "absorbée (AUD-05)",
    EventKind.RELEASED: "`related` est l'identité rendue ; ce qu'elle avait apporté lui est rendu (AUD-05)",
    EventKind.INCIDENT_OPENED: "l'identité est déclarée erronée : déclassée en PROV, relisez-la (AUD-04)",
    EventKind.INCIDENT_CLOSED: "l'incident est traité ; l'identité reste à requalifier si besoin (AUD-04)",
}
EVENT_KIND_CHOICES = [(k.value, f"{k.label} : {_EVENT_NOTES[k]}" if k in _EVENT_NOTES else k.label) for k in EventKind]

# The duplicate answers (ST-11): a candidate's class, and why a tolerant search ranked an identity.
MATCH_CLASS_CHOICES = [
    ("PROBABLE", "Doublon probable : à examiner en priorité par le référent (ST-11)"),
    ("POSSIBLE", "Doublon possible : traits proches, à vérifier (ST-11)"),
]
