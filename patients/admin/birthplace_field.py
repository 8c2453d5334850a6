"""The birthplace field of the identity form (RNIV TR-06): typed by name, stored as its COG.

The input holds what the agent typed: a code, a name, or a picked place ("Clermont-Ferrand (63) — 63113"). The
script (static/patients/birthplace.js) proposes places as the agent types; without it, a code or a name that
designates one place on the birth date still works. The form resolves the text once the birth date is read.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from patients.admin.dates import TypedDateError, parse_typed_date
from patients.birthplaces import BirthplaceError, birthplaces
from patients.birthplaces.index import CODE_PATTERN, TRAILING_CODE

BIRTHPLACE_TEXT_MAX_LENGTH = 200  # a commune's name with its département and code; the stored COG is 5 characters
LOOKUP_QUERY_MAX_LENGTH = 100
LOOKUP_LIMIT = 10
HELP_TEXT = (
    "Tapez le nom de la commune (ou du pays pour une naissance à l'étranger) et choisissez dans la liste : "
    "le code officiel géographique valide à la date de naissance est enregistré (commune fusionnée ou "
    "renommée depuis comprise). Le code à 5 caractères se saisit aussi ; 99999 si le lieu est inconnu (règle TR-06)."
)


class BirthplaceWidget(forms.TextInput):
    template_name = "patients/widgets/birthplace.html"
    birth_date: date | None = None

    class Media:
        js = ("patients/birthplace.js",)
        css = {"all": ("patients/birthplace.css",)}

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "size": 50,
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "class": "birthplace-input",
            }
        )

    def format_value(self, value: Any) -> str | None:
        # A stored code is shown with its name ("Clermont-Ferrand (63) — 63113"); typed text is shown as typed.
        text = super().format_value(value)
        place = birthplaces().by_code(text, self.birth_date) if text and CODE_PATTERN.match(text) else None
        return f"{place.label} — {text}" if place else text

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id", f"id_{name}")
        context["widget"]["attrs"]["aria-controls"] = f"{widget_id}_listbox"
        context["widget"]["attrs"]["aria-describedby"] = f"{widget_id}_status {widget_id}_helptext"
        context["widget"]["lookup_url"] = reverse("admin:patients_patient_birthplaces")
        context["widget"]["birth_date_id"] = widget_id.replace(name, "birth_date")
        return context


class BirthplaceField(forms.CharField):
    """Text up to BIRTHPLACE_TEXT_MAX_LENGTH; a code (alone or after a picked label) comes out as the code."""

    widget = BirthplaceWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", BIRTHPLACE_TEXT_MAX_LENGTH)
        kwargs.setdefault("help_text", HELP_TEXT)
        kwargs["widget"] = BirthplaceWidget()
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        match = TRAILING_CODE.search(text)
        return match.group(1).upper() if match else text


def resolve_birthplace(text: str, birth_date: date | None) -> str:
    """The COG for the field's text on the birth date; ``forms.ValidationError`` in French otherwise."""
    try:
        return birthplaces().resolve(text, birth_date)
    except BirthplaceError as exc:
        raise forms.ValidationError(str(exc), code="birthplace") from exc


@never_cache
@require_POST
def birthplace_lookup(request: HttpRequest) -> JsonResponse:
    """Places for the autocomplete: POST (CSRF-checked), so the typed place is never in a URL or an access log."""
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    text = request.POST.get("q", "")[:LOOKUP_QUERY_MAX_LENGTH]
    try:
        on = parse_typed_date(request.POST.get("birth_date", "")) if request.POST.get("birth_date") else None
    except TypedDateError:
        on = None  # a half-typed date: propose the places as they are today
    places = birthplaces().search(text, on, limit=LOOKUP_LIMIT)
    results = [{"code": p.code, "label": p.label, "value": p.value, "valid": p.valid_on(on)} for p in places]
    return JsonResponse({"results": results, "birth_date": on.isoformat() if on else None})
