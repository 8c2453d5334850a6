"""Admin screens of the consent app (French). History and the decision log are read-only for everyone."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.timezone import localtime

from consent.admin_page import patient_page
from consent.identifiers import IdentifierError, parse_national_identifier
from consent.models import (
    AccessDecisionLog,
    CareEpisode,
    CareTeamMember,
    ConsentRecord,
    EmergencyAccess,
    PatientOpposition,
    Professional,
)
from consent.services import professional_create, professional_update
from identity_registry import glossary
from identity_registry.forms import SafeTextFormMixin
from identity_registry.history_admin import ReadOnlyHistoryAdmin

HISTORY_PERMISSION = "consent.view_consent_history"
PATIENT_PAGE_URL_NAME = "consent_patient_dmp"


class ConsentHistoryAdmin(ReadOnlyHistoryAdmin):
    """History readable with the history permission, never changed or reverted (AUD-01, AUD-02)."""

    def has_view_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(HISTORY_PERMISSION)

    def has_view_history_or_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_history_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ConsentHistoryAdmin):
    """Records written only by services, from the patient page or the API."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProfessionalForm(SafeTextFormMixin, forms.ModelForm):
    # Wider than the stored 12 digits: spaces typed between groups are accepted, then removed (PRO-01).
    national_id = forms.CharField(
        label="Identifiant national (RPPS ou ADELI préfixé)",
        max_length=40,
        help_text="RPPS préfixé de 8 (12 chiffres) ou ADELI préfixé de 0 (10 chiffres).",
    )

    class Meta:
        model = Professional
        fields = ["national_id", "last_name", "first_name", "profession", "card_type", "user"]

    def clean_national_id(self) -> str:
        try:
            return parse_national_identifier(self.cleaned_data["national_id"]).value
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(Professional)
class ProfessionalAdmin(ConsentHistoryAdmin):
    form = ProfessionalForm
    list_display = ["last_name", "first_name", "profession", "card_type", "national_id", "id_kind", "is_active"]
    list_filter = ["card_type", "is_active"]
    search_fields = ["last_name", "first_name", "national_id"]

    def save_model(self, request: HttpRequest, obj: Professional, form: forms.ModelForm, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if change:
            changes = {name: values[name] for name in form.changed_data}
            saved = professional_update(actor=request.user, professional=obj.pk, changes=changes)
        else:
            saved = professional_create(actor=request.user, **values)
        obj.pk, obj.id_kind = saved.pk, saved.id_kind


class TeamInline(admin.TabularInline):
    model = CareTeamMember
    fields = ["professional", "role", "joined_at", "left_at", "added_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CareEpisode)
class CareEpisodeAdmin(ReadOnlyAdmin):
    list_display = ["patient", "kind", "unit", "started_at", "ended_at", "patient_page"]
    list_filter = ["kind"]
    inlines = [TeamInline]

    @admin.display(description="Consentements et accès DMP")
    def patient_page(self, obj: CareEpisode) -> str:
        url = reverse(f"admin:{PATIENT_PAGE_URL_NAME}", kwargs={"patient_id": obj.patient_id})
        return format_html('<a href="{}">Ouvrir la page du patient</a>', url)

    def get_urls(self):
        page = path(
            "patient/<int:patient_id>/",
            self.admin_site.admin_view(self.patient_page_view),
            name=PATIENT_PAGE_URL_NAME,
        )
        return [page, *super().get_urls()]

    def patient_page_view(self, request: HttpRequest, patient_id: int) -> HttpResponse:
        return patient_page(request, patient_id, self.admin_site)


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(ReadOnlyAdmin):
    list_display = ["professional", "role", "episode", "joined_at", "left_at"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "decision", "episode", "given_by_capacity", "collected_at", "withdrawn_at"]
    list_filter = ["purpose", "decision"]


@admin.register(PatientOpposition)
class PatientOppositionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "patient", "recorded_at", "withdrawn_at"]
    list_filter = ["kind"]


class FrenchColumnsMixin:
    """Issue 12: the patient in every row, and French headers for the foreign keys without a label."""

    @admin.display(description="patient")
    def patient_column(self, obj: Any) -> Any:
        return obj.episode.patient

    @admin.display(description="professionnel", ordering="professional")
    def professional_column(self, obj: Any) -> Any:
        return obj.professional

    @admin.display(description="épisode de soins", ordering="episode")
    def episode_column(self, obj: Any) -> Any:
        return obj.episode


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(FrenchColumnsMixin, ReadOnlyAdmin):
    list_display = ["patient_column", "mode", "professional_column", "episode_column", "declared_at", "declared_by"]
    list_select_related = ["episode__patient", "professional", "declared_by"]
    list_filter = ["mode"]


@admin.register(AccessDecisionLog)
class AccessDecisionLogAdmin(FrenchColumnsMixin, admin.ModelAdmin):
    """RULES CONS-08, AUD-02: auditors read the log; nobody, administrators included, edits it."""

    list_display = [
        "decided_at",
        "patient",
        "professional_column",
        "purpose",
        "access_mode",
        "allowed",
        "basis",
        "rule",
    ]
    list_select_related = ["patient", "professional"]
    list_filter = ["allowed", "access_mode", "purpose", "rule"]
    readonly_fields = [f.name for f in AccessDecisionLog._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryTypeFilter(admin.SimpleListFilter):
    title = "type de modification"
    parameter_name = "history_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(glossary.HISTORY_TYPES.items())

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(history_type=self.value()) if self.value() else queryset


class ReasonCodeFilter(admin.SimpleListFilter):
    """The acts found in this table, by their French label (the code stays in the URL for auditors)."""

    title = "nature de l'acte"
    parameter_name = "history_reason_code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = model_admin.model.objects.order_by().values_list("history_reason_code", flat=True).distinct()
        return sorted(((code, glossary.reason_label(code)) for code in codes if code), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(history_reason_code=self.value()) if self.value() else queryset


class HistoryRowAdmin(admin.ModelAdmin):
    """A historical table listed on its own for auditors (AUD-02); read-only for everyone."""

    list_display = ["changed_at", "change_type", "changed_by", "reason_label", "change_reason"]
    list_filter = [HistoryTypeFilter, ReasonCodeFilter]
    change_form_template = "admin/consent/history_row_change_form.html"
    # simple-history's own columns have English labels and an English "as of" title: show them in French.
    _SHOWN_AS = {
        "history_date": "changed_at",
        "history_type": "change_type",
        "history_user": "changed_by",
        "history_change_reason": "change_reason",
        "history_reason_code": "reason_label",
    }

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [f.name for f in self.model._meta.fields if f.name != "history_id"]
        return [self._SHOWN_AS.get(name, name) for name in names]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_readonly_fields(request, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):
        row = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if row is not None:
            extra["subtitle"] = f"{row.instance} · version du {formats.date_format(localtime(row.history_date))}"
        return super().change_view(request, object_id, form_url, extra)

    @admin.display(description="Date de la modification", ordering="history_date")
    def changed_at(self, row: Any) -> str:
        return formats.date_format(localtime(row.history_date), "d/m/Y H:i")

    @admin.display(description="Type de modification", ordering="history_type")
    def change_type(self, row: Any) -> str:
        return glossary.history_type_label(row.history_type)

    @admin.display(description="Modifié par")
    def changed_by(self, row: Any) -> str:
        return str(row.history_user) if row.history_user else glossary.NOBODY

    @admin.display(description="Motif")
    def change_reason(self, row: Any) -> str:
        return glossary.reason_text(row.history_change_reason, row.history_reason_code)

    @admin.display(description="Nature de l'acte", ordering="history_reason_code")
    def reason_label(self, row: Any) -> str:
        return glossary.reason_label(row.history_reason_code)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(HISTORY_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(HISTORY_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _model in (ConsentRecord, PatientOpposition, EmergencyAccess):
    admin.site.register(_model.history.model, HistoryRowAdmin)
