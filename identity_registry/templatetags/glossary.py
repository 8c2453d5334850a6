"""Template filters for the glossary: a reason code, a change type or stored JSON, in French (issue 12)."""

from django import template

from identity_registry import glossary

register = template.Library()


@register.filter
def reason_text(record) -> str:
    """The reason of a historical row: the justification typed, or the French label of its code."""
    return glossary.reason_text(
        getattr(record, "history_change_reason", ""), getattr(record, "history_reason_code", "")
    )


@register.filter
def history_type_label(value: str) -> str:
    return glossary.history_type_label(value)


@register.filter
def readable(value) -> str:
    return glossary.readable(value)
