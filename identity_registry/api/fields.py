"""Serializer fields that carry the registry's input bounds (identity_registry.inputs) to the API."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from identity_registry.inputs import (
    BIRTH_DATE_RANGE,
    DOCUMENT_EXPIRY_RANGE,
    EVENT_RANGE,
    DateRangeValidator,
    check_utc_offset,
)


class InstantField(serializers.DateTimeField):
    """An instant of care (ISO 8601 with offset) from 1900-01-01 to today + 5 years; a real UTC offset."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [EVENT_RANGE])
        super().__init__(**kwargs)

    def enforce_timezone(self, value: datetime) -> datetime:
        try:
            check_utc_offset(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="bad_utc_offset") from exc
        return super().enforce_timezone(value)


def bounded_date(validator: DateRangeValidator, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[validator], **kwargs)


def birth_date_field(**kwargs: Any) -> serializers.DateField:
    """A birth date from 1900-01-01 to today."""
    return bounded_date(BIRTH_DATE_RANGE, **kwargs)


def document_expiry_field(**kwargs: Any) -> serializers.DateField:
    """An identity document's expiry date from 1900-01-01 to today + 30 years."""
    return bounded_date(DOCUMENT_EXPIRY_RANGE, **kwargs)


class RowIdField(serializers.PrimaryKeyRelatedField):
    """A row named by its integer id: ``1.5`` or ``"1e3"`` is refused, not rounded to another row (issue 8 item 24)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class UuidField(serializers.UUIDField):
    """A UUID written as text, as the schema says: DRF would read the integer 0 as 00000000-0000-… (item 24)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
