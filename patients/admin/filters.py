"""List filters of the patient list."""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from patients.extensions import work_list, work_lists
from patients.services import ATTRIBUTE_FIELDS
from patients.status import ATTRIBUTE_LABELS, Attribute

NONE = "aucun"


class AttributeFilter(admin.SimpleListFilter):
    """RNIV ST-02: identities carrying an attribute, or none."""

    title = "attribut"
    parameter_name = "attribut"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(a.value, f"{a.value} · {ATTRIBUTE_LABELS[a]}") for a in Attribute] + [(NONE, "Aucun attribut")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == NONE:
            return queryset.filter(**dict.fromkeys(ATTRIBUTE_FIELDS.values(), False))
        if value in Attribute.__members__:
            return queryset.filter(Q(**{ATTRIBUTE_FIELDS[Attribute(value)]: True}))
        return queryset


class WorkListFilter(admin.SimpleListFilter):
    """Issue 12: the identities of one counter of the referent's desk (TR-08, TR-09, ST-02, ST-08...)."""

    title = "liste de travail"
    parameter_name = "liste"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(w.key, w.label) for w in work_lists() if w.patient_filter and request.user.has_perm(w.permission)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        chosen = work_list(self.value() or "")
        if chosen is None or not chosen.patient_filter:
            return queryset
        return queryset.filter(pk__in=chosen.rows().values("pk"))
