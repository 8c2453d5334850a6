"""Garbage for each kind of input field, and the database snapshot a refused request must leave unchanged.

Issue 8 item 24: "never a 500" is not enough. Each garbage value is garbage *for the field it is sent in*
(a number is a fine reason: DRF writes it as text), and it earns exactly a 400; the database stays as it was.
"""

from typing import Any

from django.apps import apps
from rest_framework import serializers

HUGE = "A" * 100_000
NOT_A_TEXT = [None, True, [], ["DUPONT"], {}, {"nested": {"deep": [1, 2]}}, HUGE, "\x00", "DUP\x00ONT", "DU\u202ePONT"]
NOT_A_DATE = [
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    "",
    " ",
    HUGE,
    "\x00",
    "2020-13-45",
    "0000-00-00",
    "99999-01-01",
    "2020-02-30",
    "1850-01-01T10:00:00Z",
    "<script>alert(1)</script>",
]
NOT_AN_INSTANT = [v for v in NOT_A_DATE if v != "1850-01-01T10:00:00Z"] + [
    "1850-01-01T10:00:00Z",
    "0756-03-01T10:00:00+20:03",
    "2020-01-01T10:00:00+20:03",
]
NOT_A_BOOLEAN = [-1, 10**30, 1.5, [], {}, "", " ", HUGE, "\x00", "peut-être"]
NOT_A_CHOICE = [0, -1, 10**30, 1.5, True, [], {}, "", " ", HUGE, "\x00", "<script>alert(1)</script>", "'; DROP TABLE"]
NOT_AN_ID = [0, -1, 10**30, 1.5, True, [], {}, "", " ", HUGE, "\x00", "not-an-id"]
UNKNOWN_FIELD_VALUES = ["x", 0, None, {"nested": 1}]


def garbage_for(field: serializers.Field | None) -> list[Any]:
    """Values that are garbage for ``field`` (None: the field does not exist, so any value is refused)."""
    if field is None:
        return UNKNOWN_FIELD_VALUES
    if isinstance(field, serializers.DateTimeField):
        values = NOT_AN_INSTANT
    elif isinstance(field, serializers.DateField):
        values = NOT_A_DATE
    elif isinstance(field, serializers.BooleanField):
        values = NOT_A_BOOLEAN
    elif isinstance(field, serializers.ChoiceField):
        values = NOT_A_CHOICE
    elif isinstance(field, serializers.CharField):
        values = NOT_A_TEXT
    elif isinstance(field, serializers.Serializer):  # a nested object
        values = [0, "x", [], True, HUGE]
    else:  # a reference to a row (primary key, public UUID)
        values = NOT_AN_ID
    if field.allow_null and isinstance(field, serializers.RelatedField):
        values = [v for v in values if v != ""]  # DRF reads "" as null for an optional reference: no garbage
    return [v for v in values if v is not None] + ([] if field.allow_null else [None])


# A token's first use records its state (last use, issue 11): authentication, not a write of the request.
NOT_WRITES = {"patients.ApiTokenState"}


def db_state() -> tuple[Any, ...]:
    """Row counts of every table of the three apps (histories included), and each identity's version."""
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for label in ("patients", "insi", "consent")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_WRITES
    )
    versions = tuple(apps.get_model("patients", "Patient").objects.order_by("pk").values_list("pk", "version"))
    return counts, versions


def assert_refused(response: Any, code: int = 400) -> None:
    """The exact 4xx, in the one error shape."""
    assert response.status_code == code, (code, response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
