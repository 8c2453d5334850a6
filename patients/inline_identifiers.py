"""An identity's identifiers of other systems, read with the identity itself (issue 10: one query per read).

On PostgreSQL the identifiers come back as one JSON column of the identity's row, so a read or a result
page costs one query instead of one more per relation. Elsewhere (SQLite) the relation is read as usual.
"""

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# In the order of ExternalIdentifier.Meta.ordering (authority code, value).
_IDENTIFIERS_JSON = (
    "(SELECT COALESCE(json_agg(json_build_object('id', ei.id, 'code', a.code, 'label', a.label, 'oid', a.oid,"
    " 'value', ei.value, 'added_at', ei.added_at) ORDER BY a.code, ei.value), '[]'::json)"
    " FROM patients_externalidentifier ei JOIN patients_identifierauthority a ON a.id = ei.authority_id"
    " WHERE ei.patient_id = patients_patient.id)"
)


def with_identifiers(queryset: QuerySet) -> QuerySet:
    """The identities of ``queryset``, each carrying its identifiers (``identifier_rows``) when possible."""
    if connection.vendor == "postgresql":
        return queryset.annotate(identifier_rows=RawSQL(_IDENTIFIERS_JSON, []))  # noqa: S611 - constant SQL
    return queryset.prefetch_related("external_identifiers__authority")


def identifiers_of(patient: Any) -> Any:
    """The identifiers to show for ``patient``: from its JSON column when read with it, else the relation."""
    rows = getattr(patient, "identifier_rows", None)
    if rows is None:
        return patient.external_identifiers.all()
    return [
        SimpleNamespace(
            id=row["id"],
            value=row["value"],
            added_at=datetime.fromisoformat(row["added_at"]),
            authority=SimpleNamespace(code=row["code"], label=row["label"], oid=row["oid"]),
        )
        for row in rows
    ]
