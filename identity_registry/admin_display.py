"""Stored JSON read by a person on the admin's lists and pages (issue 12: no raw JSON on a screen).

Django shows a JSONField as its JSON text (``{"birth_name": …}``). The admin's list and read-only field
renderers are given the glossary's sentence instead (« nom de naissance : … ; … »); every other field is
shown by Django as before.
"""

from typing import Any

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from identity_registry import glossary

_django_display_for_field = utils.display_for_field


def display_for_field(value: Any, field: Any, empty_value_display: str, avoid_link: bool = False) -> Any:
    if isinstance(field, models.JSONField) and not getattr(field, "flatchoices", None):
        return glossary.readable(value) if value not in field.empty_values else empty_value_display
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def install() -> None:
    """Called once from the app's ready(): the two admin modules that render a field read this function."""
    helpers.display_for_field = display_for_field
    admin_list.display_for_field = display_for_field
