"""``{{ code|birthplace_label:birth_date }}``: a stored COG shown with its place's name (RNIV TR-06)."""

from datetime import date

from django import template

from patients.birthplaces import birthplace_label as label_of

register = template.Library()


@register.filter
def birthplace_label(code: str, on: date | None = None) -> str:
    return label_of(code or "", on) if code else ""
