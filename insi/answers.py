"""INSi answers: RESULTAT and SOAP faults, built by the served simulator and read by the SOAP backend (pure)."""

from __future__ import annotations

from lxml import etree

from insi.client import CR_LABELS, InsiResult, InsiTechnicalError, ReturnedIdentity, ReturnedIns, ReturnedTraits
from insi.protocol import NS_RESULTAT, NS_SIRAM, NS_SOAP, _child, _serialise, _sub, _text, parse_envelope


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
