"""The auditor's timeline as rows, CSV and JSON (RNIV AUD-02): one shape for the screen, the exports and the API."""

import csv
import io
import json
from typing import Any

from identity_registry.local_time import local_datetime
from patients.models import Patient
from patients.timeline import TimelineEntry, actor_name, actor_role, timeline_kinds

# English keys (API, JSON) and their French headers (CSV), in column order.
COLUMNS = {
    "at_local": "Date (heure de Paris)",
    "kind_label": "Type",
    "label": "Événement",
    "details": "Détails",
    "actor": "Utilisateur",
    "actor_role": "Rôle",
    "reason": "Motif",
    "patient": "Identité",
}


def timeline_rows(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """Each entry as a flat dict: ``at`` in ISO 8601 (UTC offset), ``at_local`` in Europe/Paris, labels in French."""
    kinds = timeline_kinds()
    ids = {
        pk: (public_id, ipp)
        for pk, public_id, ipp in Patient.objects.filter(pk__in={e.patient_id for e in entries}).values_list(
            "pk", "public_id", "ipp"
        )
    }
    roles: dict[int, str] = {}
    rows = []
    for entry in entries:
        user = entry.actor
        if user is not None and user.pk not in roles:
            roles[user.pk] = actor_role(user)
        rows.append(
            {
                "at": entry.at.isoformat(),
                "at_local": local_datetime(entry.at),
                "kind": entry.kind,
                "kind_label": kinds.get(entry.kind, entry.kind),
                "label": entry.label,
                "details": entry.details,
                "actor": actor_name(user),
                "actor_role": roles.get(user.pk, "") if user is not None else "",
                "reason": entry.reason,
                "patient": str(ids.get(entry.patient_id, ("", ""))[0]),
                "ipp": ids.get(entry.patient_id, ("", ""))[1],
            }
        )
    return rows


# A cell starting with one of these is a formula to a spreadsheet: a reason typed as "=HYPERLINK(...)" must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def timeline_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM and ``;`` separators: LibreOffice and Excel open it with the accents intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS.values())
    for row in rows:
        writer.writerow(_cell(row[key]) for key in COLUMNS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def timeline_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
