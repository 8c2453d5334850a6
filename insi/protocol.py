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
    CR_LABELS,
    InsiResult,
    InsiTechnicalError,
    Matricule,
    ReturnedIdentity,
    ReturnedIns,
    ReturnedTraits,
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


def _headers(header: etree._Element, action: str, context: SoftwareContext) -> None:
    _sub(header, NS_WSA, "Action", action)
    _sub(header, NS_WSA, "MessageID", f"uuid:{uuid.uuid4()}")
    bam = _sub(header, NS_BAM, "ContexteBAM", Version="01_02")
    _sub(bam, NS_BAM, "Id", str(uuid.uuid4()))
    _sub(bam, NS_BAM, "Temps", _now())
    _sub(bam, NS_BAM, "Emetteur", context.emitter)
    _sub(bam, NS_BAM, "COUVERTURE", "")
    lps = _sub(header, NS_LPS, "ContexteLPS", Nature="CTXLPS", Version="01_00")
    _sub(lps, NS_LPS, "Id", str(uuid.uuid4()))
    _sub(lps, NS_LPS, "Temps", _now())
    _sub(lps, NS_LPS, "Emetteur", context.emitter)
    software = _sub(lps, NS_LPS, "LPS")
    _sub(software, NS_LPS, "IDAM", context.authorisation, R="4")
    _sub(software, NS_LPS, "Version", context.version)
    _sub(software, NS_LPS, "Instance", context.instance or str(uuid.uuid4()))
    _sub(software, NS_LPS, "Nom", f"urn:lps:{context.name}:{context.version}")


def _envelope(action: str, context: SoftwareContext) -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{NS_SOAP}}}Envelope", nsmap=NSMAP)
    _headers(_sub(envelope, NS_SOAP, "Header"), action, context)
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
    envelope, body = _envelope(ACTION_VITALE, context)
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


def _ins_element(parent: etree._Element, tag: str, ins: ReturnedIns) -> None:
    element = _sub(parent, NS_RESULTAT, tag)
    ident = _sub(element, NS_RESULTAT, "IdIndividu")
    _sub(ident, NS_RESULTAT, "NumIdentifiant", ins.matricule[:13])
    _sub(ident, NS_RESULTAT, "Cle", ins.matricule[13:])
    _sub(element, NS_RESULTAT, "OID", ins.oid)
    if ins.valid_from:
        _sub(element, NS_RESULTAT, "DateDeb", ins.valid_from)
    if ins.valid_until:
        _sub(element, NS_RESULTAT, "DateFin", ins.valid_until)


def build_result_response(result: InsiResult) -> bytes:
    """Build the answer envelope holding RESULTAT (used by the served simulator): no SOAP Header, like INSi."""
    envelope = etree.Element(f"{{{NS_SOAP}}}Envelope", nsmap={"soap": NS_SOAP})
    body = _sub(envelope, NS_SOAP, "Body")
    resultat = etree.SubElement(body, f"{{{NS_RESULTAT}}}RESULTAT", nsmap={"insi_resultat_ins": NS_RESULTAT})
    cr = _sub(resultat, NS_RESULTAT, "CR")
    _sub(cr, NS_RESULTAT, "CodeCR", result.cr)
    _sub(cr, NS_RESULTAT, "LibelleCR", result.label or CR_LABELS.get(result.cr, ""))
    if result.identity is not None:
        individu = _sub(resultat, NS_RESULTAT, "INDIVIDU")
        _ins_element(individu, "INSACTIF", result.identity.ins)
        for earlier in result.identity.history:
            _ins_element(individu, "INSHISTO", earlier)
        tiq = _sub(individu, NS_RESULTAT, "TIQ")
        traits = result.identity.traits
        for tag, value in (
            ("NomNaissance", traits.birth_name),
            ("Prenom", traits.first_name),
            ("ListePrenom", traits.first_names),
            ("Sexe", traits.sex),
            ("DateNaissance", traits.birth_date),
            ("LieuNaissance", traits.birthplace_cog),
        ):
            if value:
                _sub(tiq, NS_RESULTAT, tag, value)
    return _serialise(envelope)


# The values the siram:Erreur schema allows for "severite" (the live service was also seen sending "fatal").
SEVERITIES = ("information", "avertissement", "erreur", "fatale")


def build_fault(
    subcode: str, code: str, reason: str, *, sender: bool = False, severity: str = "fatale", detail: str = ""
) -> bytes:
    """Build a SOAP 1.2 fault like INSi's: Subcode ``soap:siram_40``, a ``siram:Erreur`` with code and severity.

    Without ``subcode`` and ``code`` it is a plain SOAP fault (no Subcode, no Detail): no code is invented.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"severite must be one of {SEVERITIES}")
    envelope = etree.Element(f"{{{NS_SOAP}}}Envelope", nsmap={"soap": NS_SOAP, "siram": NS_SIRAM})
    fault = _sub(_sub(envelope, NS_SOAP, "Body"), NS_SOAP, "Fault")
    code_el = _sub(fault, NS_SOAP, "Code")
    _sub(code_el, NS_SOAP, "Value", "soap:Sender" if sender else "soap:Receiver")
    if subcode:
        # INSi qualifies its subcode with the SOAP envelope's prefix (S:siram_40 in recorded answers).
        _sub(_sub(code_el, NS_SOAP, "Subcode"), NS_SOAP, "Value", f"soap:{subcode}")
    text = _sub(_sub(fault, NS_SOAP, "Reason"), NS_SOAP, "Text", reason)
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    if code:
        _sub(_sub(fault, NS_SOAP, "Detail"), NS_SIRAM, "Erreur", detail or reason, code=code, severite=severity)
    return _serialise(envelope)


# Codes after which retrying the same call cannot help: wrong software number or wrong certificate.
PERMANENT_FAULT_CODES = {"desir_550", "desir_560"}


def _read_ins(element: etree._Element) -> ReturnedIns:
    ident = _child(element, "IdIndividu")
    number, key = _text(ident, "NumIdentifiant"), _text(ident, "Cle")
    return ReturnedIns(number + key, _text(element, "OID"), _text(element, "DateDeb"), _text(element, "DateFin"))


def _fault_error(fault: etree._Element) -> InsiTechnicalError:
    subcode = fault.findtext(f"{{{NS_SOAP}}}Code/{{{NS_SOAP}}}Subcode/{{{NS_SOAP}}}Value") or ""
    errors = fault.xpath(".//*[local-name()='Erreur']")
    code = errors[0].get("code", "") if errors else ""
    label = subcode.split(":")[-1]
    detail = f"SOAP fault {label or '?'}/{code or '?'}"
    return InsiTechnicalError(detail, permanent=code.lower() in PERMANENT_FAULT_CODES, code=code or label)


def parse_response(data: bytes) -> InsiResult:
    """Read RESULTAT, or raise InsiTechnicalError for a fault or a malformed answer (INSI-02)."""
    try:
        _, element = parse_envelope(data)
    except ValueError as exc:
        raise InsiTechnicalError(f"malformed response: {exc}", permanent=False, code="malformed") from exc
    if element.tag == f"{{{NS_SOAP}}}Fault":
        raise _fault_error(element)
    if etree.QName(element).localname != "RESULTAT":
        raise InsiTechnicalError("unexpected response body", permanent=False, code="malformed")
    cr = _text(_child(element, "CR"), "CodeCR")
    label = _text(_child(element, "CR"), "LibelleCR")
    if cr not in CR_LABELS:
        raise InsiTechnicalError(f"unknown CR {cr!r}", permanent=False, code="malformed")
    individu = _child(element, "INDIVIDU")
    if cr != "00":
        return InsiResult(cr=cr, label=label, raw=data)
    active = _child(individu, "INSACTIF")
    if individu is None or active is None:
        raise InsiTechnicalError("CR 00 without INDIVIDU", permanent=False, code="malformed")
    tiq = _child(individu, "TIQ")
    first_names = _text(tiq, "ListePrenom")
    traits = ReturnedTraits(
        birth_name=_text(tiq, "NomNaissance"),
        first_name=_text(tiq, "Prenom") or (first_names.split(" ")[0] if first_names else ""),
        first_names=first_names,
        sex=_text(tiq, "Sexe"),
        birth_date=_text(tiq, "DateNaissance"),
        birthplace_cog=_text(tiq, "LieuNaissance"),
    )
    # INSI.md: a single INSHISTO is a list of one.
    history = tuple(_read_ins(e) for e in individu.xpath("*[local-name()='INSHISTO']"))
    identity = ReturnedIdentity(ins=_read_ins(active), traits=traits, history=history)
    return InsiResult(cr=cr, label=label, identity=identity, raw=data)
