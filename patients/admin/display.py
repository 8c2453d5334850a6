"""How the identity screens show a status, attributes and the INS (French labels, coloured badges)."""

from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from patients.birthplaces import birthplace_label
from patients.ins import INS_OIDS
from patients.models import Patient
from patients.status import ATTRIBUTE_LABELS, STATUS_LABELS, Status, ins_shareable
from patients.traits import UNKNOWN_BIRTHPLACE

# Why a field of the identity form cannot be typed into, shown beside it.
LOCKED_TRAIT_REASON = "Verrouillé : trait renvoyé par le téléservice INSi (règle ST-05)."
LOCKED_FLAG_REASON = "Verrouillé (règle ST-05)."
LOCKED_TRAITS_NOTE = (
    "L'INS a été récupérée : les traits stricts sont ceux renvoyés par INSi et ne se modifient pas ici "
    "(règle ST-05). Pour en corriger un, un référent déclasse d'abord l'identité (règle ST-06)."
)
STATUS_REASON = (
    "Déduit des contrôles (INS récupérée, justificatif à haut niveau de confiance) et des attributs ; "
    "il n'est jamais saisi à la main (règle ST-01)."
)
INS_REASON = "Renseignée uniquement par le téléservice INSi, jamais saisie à la main (règle TR-11)."
ATTRIBUTES_REASON = (
    "Posés ou retirés par un référent d'identitovigilance, avec un motif, "
    "par les boutons en haut de la page (règle ST-02)."
)


def status_text(status: str) -> str:
    """Return "QUAL · Identité qualifiée" for a status code."""
    return f"{status} · {STATUS_LABELS[Status(status)]}"


def status_badge(status: str) -> SafeString:
    return format_html('<span class="status-badge status-{}">{}</span>', status, status_text(status))


def attribute_badges(patient: Patient) -> SafeString | str:
    attrs = sorted(patient.attributes)
    if not attrs:
        return "Aucun"
    return format_html_join(
        " ",
        '<span class="attribute-badge" title="{}">{} · {}</span>',
        ((ATTRIBUTE_LABELS[a], a.value, ATTRIBUTE_LABELS[a]) for a in attrs),
    )


def ins_summary(patient: Patient) -> SafeString | str:
    if not patient.ins_matricule and patient.ins_read_matricule:
        # RNIV DM-01: read at the desk, not verified: it is no INS of the identity until INSi returns it.
        return format_html(
            "Aucune INS récupérée<br><small>INS lue sur un Datamatrix, non vérifiée : {} ({}). Interrogez INSi : "
            "l'INS ne comptera qu'une fois renvoyée par le téléservice, et sera comparée à celle-ci.</small>",
            patient.ins_read_matricule,
            INS_OIDS.get(patient.ins_read_oid, patient.ins_read_oid),
        )
    if not patient.ins_matricule:
        return "Aucune INS récupérée"
    # RNIV ST-04: say whether the INS may be used to exchange health data.
    usable = (
        "utilisable pour échanger des données de santé"
        if ins_shareable(patient.status)
        else "non partageable tant que l'identité n'est pas qualifiée (règle ST-04)"
    )
    return format_html(
        "{} <small>({})</small><br><small>{}</small>",
        patient.ins_matricule,
        INS_OIDS.get(patient.ins_oid or "", patient.ins_oid),
        usable,
    )


def birthplace_text(cog: str, on: date | None = None) -> str:
    if not cog:
        return "Non renseigné"
    if cog == UNKNOWN_BIRTHPLACE:
        return f"{cog} (inconnu, règle TR-06)"
    # RNIV TR-06: the place by name beside its code (the name it had on the birth date).
    return birthplace_label(cog, on)


def strict_traits_shown(patient: Patient) -> list[tuple[str, str]]:
    """Every strict trait (RNIV TR-01), as the agent compares it with the document: all first names, birthplace."""
    estimated = [
        label
        for flag, label in (
            (patient.birth_day_estimated, "jour"),
            (patient.birth_month_estimated, "mois"),
            (patient.birth_year_estimated, "année"),
        )
        if flag
    ]
    birth_date = f"{patient.birth_date:%d/%m/%Y}" + (f" ({', '.join(estimated)} estimé)" if estimated else "")
    return [
        ("Nom de naissance", patient.birth_name),
        ("Premier prénom de naissance", patient.first_name),
        ("Liste des prénoms de naissance", patient.first_names or patient.first_name),
        ("Sexe", patient.get_sex_display()),
        ("Date de naissance", birth_date),
        ("Lieu de naissance", birthplace_text(patient.birthplace_cog, patient.birth_date)),
    ]
