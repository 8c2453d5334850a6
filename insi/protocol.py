"""SOAP 1.2 envelopes of INSi, built and read with lxml (pure: no I/O).

Both sides live here: the SOAP backend builds requests and reads ``RESULTAT`` or faults, and the served
simulator reads requests and builds answers. The shapes follow ``shared/domain/INSI.md``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from insi.client import (
    Matricule,
    TraitsQuery,
    VitaleQuery,
)

NS_SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA = "http://www.w3.org/2005/08/addressing"
NS_BAM = "urn:siram:bam:ctxbam"
NS_LPS = "urn:siram:lps:ctxlps"
NS_RECSANS = "http://www.cnamts.fr/INSiRecSans"
NS_RECVIT = "http://www.cnamts.fr/INSiRecVit"
NS_RESULTAT = "http://www.cnamts.fr/INSiResultat"
NS_SIRAM = "urn:siram"
ACTION_TRAITS = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite"
ACTION_VITALE = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecCarteVitale"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"

NSMAP = {"soap": NS_SOAP, "wsa": NS_WSA, "ctxbam": NS_BAM, "ctxlps": NS_LPS}
# Entities and DTDs never come from the network.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class SoftwareContext:
    """Who calls: the LPS (software) with its authorisation number, for the ContexteLPS header."""

    authorisation: str
    name: str = "REGISTRE-IDENTITES"
    version: str = "1.0"
    emitter: str = ""
    instance: str = ""


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _number(parent: etree._Element, tag: str, matricule: Matricule) -> None:
    element = _sub(parent, NS_BAM, tag)
    _sub(element, NS_BAM, "Num", matricule.number)
    _sub(element, NS_BAM, "Cle", matricule.key)


def _coverage(bam: etree._Element, card: VitaleQuery | None) -> None:
    """ContexteBAM/COUVERTURE: empty for a search by traits, filled from the carte Vitale otherwise (INSI.md).

    Schema order: GrandRegime, Organisme, CodeCentre, ASSURE/Id (the insured's number), BENEFICIAIRE (Nir, the
    beneficiary's own number, then DateNai and Rang).
    """
    coverage = _sub(bam, NS_BAM, "COUVERTURE", "" if card is None else None)
    if card is None:
        return
    for tag, value in (("GrandRegime", card.regime), ("Organisme", card.fund), ("CodeCentre", card.centre)):
        if value:
            _sub(coverage, NS_BAM, tag, value)
    if card.holder:
        _number(_sub(coverage, NS_BAM, "ASSURE"), "Id", card.holder)
    beneficiary = _sub(coverage, NS_BAM, "BENEFICIAIRE")
    if card.individual:
        _number(beneficiary, "Nir", card.individual)
    _sub(beneficiary, NS_BAM, "DateNai", card.birth_date)
    _sub(beneficiary, NS_BAM, "Rang", str(card.birth_rank))


def _headers(header: etree._Element, action: str, context: SoftwareContext, card: VitaleQuery | None = None) -> None:
    _sub(header, NS_WSA, "Action", action)
    _sub(header, NS_WSA, "MessageID", f"uuid:{uuid.uuid4()}")
    bam = _sub(header, NS_BAM, "ContexteBAM", Version="01_02")
    _sub(bam, NS_BAM, "Id", str(uuid.uuid4()))
    _sub(bam, NS_BAM, "Temps", _now())
    _sub(bam, NS_BAM, "Emetteur", context.emitter)
    _coverage(bam, card)
    lps = _sub(header, NS_LPS, "ContexteLPS", Nature="CTXLPS", Version="01_00")
    _sub(lps, NS_LPS, "Id", str(uuid.uuid4()))
    _sub(lps, NS_LPS, "Temps", _now())
    _sub(lps, NS_LPS, "Emetteur", context.emitter)
    software = _sub(lps, NS_LPS, "LPS")
    _sub(software, NS_LPS, "IDAM", context.authorisation, R="4")
    _sub(software, NS_LPS, "Version", context.version)
    _sub(software, NS_LPS, "Instance", context.instance or str(uuid.uuid4()))
    _sub(software, NS_LPS, "Nom", f"urn:lps:{context.name}:{context.version}")


def _envelope(
    action: str, context: SoftwareContext, card: VitaleQuery | None = None
) -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{NS_SOAP}}}Envelope", nsmap=NSMAP)
    _headers(_sub(envelope, NS_SOAP, "Header"), action, context, card)
    return envelope, _sub(envelope, NS_SOAP, "Body")


def _serialise(envelope: etree._Element) -> bytes:
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def build_traits_request(query: TraitsQuery, context: SoftwareContext) -> bytes:
    """Build the rechercherInsAvecTraitsIdentite envelope; empty traits are left out."""
    envelope, body = _envelope(ACTION_TRAITS, context)
    request = etree.SubElement(body, f"{{{NS_RECSANS}}}RECSANSVITALE", nsmap={"insi_recsans_ins": NS_RECSANS})
    for tag, value in (
        ("NomNaissance", query.birth_name),
        ("Prenom", query.first_name),
        ("Sexe", query.sex),
        ("DateNaissance", query.birth_date),
        ("LieuNaissance", query.birthplace_cog),
    ):
        if value:
            _sub(request, NS_RECSANS, tag, value)
    return _serialise(envelope)


def _matricule(parent: etree._Element, tag: str, matricule: Matricule) -> None:
    element = _sub(parent, NS_RECVIT, tag)
    _sub(element, NS_RECVIT, "NumIdentifiant", matricule.number)
    _sub(element, NS_RECVIT, "Cle", matricule.key)
    if matricule.kind:
        _sub(element, NS_RECVIT, "TypeMatricule", matricule.kind)


def build_vitale_request(query: VitaleQuery, context: SoftwareContext) -> bytes:
    """Build the rechercherInsAvecCarteVitale envelope for one beneficiary of the card."""
    envelope, body = _envelope(ACTION_VITALE, context, query)
    request = etree.SubElement(body, f"{{{NS_RECVIT}}}RECVITALE", nsmap={"insi_recvit_ins": NS_RECVIT})
    if query.individual:
        _matricule(request, "MatriculeIndividu", query.individual)
    if query.holder:
        _matricule(request, "MatriculeOD", query.holder)
    _sub(request, NS_RECVIT, "NomNaissance", query.birth_name)
    _sub(request, NS_RECVIT, "DateNaissance", query.birth_date)
    _sub(request, NS_RECVIT, "RangNaissance", str(query.birth_rank))
    return _serialise(envelope)


def _text(element: etree._Element | None, name: str) -> str:
    """Text of the first child called ``name`` whatever its namespace (servers differ in prefixes)."""
    if element is None:
        return ""
    found = element.xpath(f"*[local-name()='{name}']")
    return (found[0].text or "").strip() if found else ""


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    found = element.xpath(f"*[local-name()='{name}']")
    return found[0] if found else None


def parse_envelope(data: bytes) -> tuple[str, etree._Element]:
    """Return the action and the first body element of a SOAP 1.2 envelope, or raise ValueError."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if root.tag != f"{{{NS_SOAP}}}Envelope":
        raise ValueError("not a SOAP 1.2 envelope")
    body = root.find(f"{{{NS_SOAP}}}Body")
    if body is None or len(body) == 0:
        raise ValueError("empty SOAP body")
    action = root.findtext(f"{{{NS_SOAP}}}Header/{{{NS_WSA}}}Action") or ""
    return action.strip(), body[0]


def read_traits_request(element: etree._Element) -> TraitsQuery:
    """Read a RECSANSVITALE element (repeated Prenom elements are joined by a space)."""
    first_names = [(e.text or "").strip() for e in element.xpath("*[local-name()='Prenom']")]
    return TraitsQuery(
        birth_name=_text(element, "NomNaissance"),
        first_name=" ".join(name for name in first_names if name),
        sex=_text(element, "Sexe"),
        birth_date=_text(element, "DateNaissance"),
        birthplace_cog=_text(element, "LieuNaissance"),
    )


def read_vitale_request(element: etree._Element) -> VitaleQuery:
    def matricule(name: str) -> Matricule | None:
        node = _child(element, name)
        if node is None:
            return None
        return Matricule(_text(node, "NumIdentifiant"), _text(node, "Cle"), _text(node, "TypeMatricule"))

    rank = _text(element, "RangNaissance")
    return VitaleQuery(
        individual=matricule("MatriculeIndividu"),
        holder=matricule("MatriculeOD"),
        birth_name=_text(element, "NomNaissance"),
        birth_date=_text(element, "DateNaissance"),
        birth_rank=int(rank) if rank.isdigit() else 1,
    )


# The answers' side, kept importable from here.
from insi.answers import (  # noqa: E402, F401
    PERMANENT_FAULT_CODES,
    SEVERITIES,
    build_fault,
    build_result_response,
    parse_response,
)
