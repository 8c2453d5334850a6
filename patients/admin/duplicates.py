"""The referent's duplicates worklist and side-by-side comparison (RNIV ST-11, AUD-05)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from identity_registry.exceptions import ApplicationError
from identity_registry.forms import SafeTextFormMixin
from identity_registry.history_admin import ReadOnlyHistoryAdmin
from identity_registry.inputs import REASON_MAX_LENGTH
from patients.admin.display import attribute_badges, status_badge
from patients.audit import patient_record_access
from patients.duplicates.merging import duplicate_merge_pair
from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.scoring import CLASS_LABELS, OUTCOME_LABELS, TRAIT_LABELS, MatchClass, Outcome
from patients.duplicates.services import duplicate_mark_not_duplicate, duplicate_postpone
from patients.models import Patient
from patients.records import PatientAccess

DECIDE_PERMISSION = "patients.decide_duplicate"
MERGE_PERMISSION = "patients.merge_identity"
MERGE_PREFIX = "fusion"
State = DuplicateCandidate.State
COMPARED = [
    ("birth_name", "Nom de naissance"),
    ("used_name", "Nom utilisé"),
    ("first_names", "Prénoms de naissance"),
    ("used_first_name", "Prénom utilisé"),
    ("sex", "Sexe"),
    ("birth_date", "Date de naissance"),
    ("birthplace_cog", "Lieu de naissance (COG)"),
    ("ins_matricule", "Matricule INS"),
]


class NotDuplicateForm(SafeTextFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Obligatoire : pourquoi ce sont deux personnes différentes (conservé dans l'historique).",
    )


class MergeForm(SafeTextFormMixin, forms.Form):
    survivor = forms.ChoiceField(
        label="Identité conservée",
        choices=[("A", "Identité A"), ("B", "Identité B")],
        widget=forms.RadioSelect,
        help_text="L'autre identité est fusionnée dans celle-ci, puis désactivée (défusion possible).",
    )
    reason = forms.CharField(
        label="Motif de la fusion",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Obligatoire : pourquoi c'est la même personne (conservé dans l'historique, AUD-05).",
    )


def _shown(patient: Patient, name: str) -> str:
    value = getattr(patient, name)
    if name == "birth_date":
        return f"{value:%d/%m/%Y}"
    if name == "sex":
        return patient.get_sex_display()
    return value or "—"


def comparison_rows(pair: DuplicateCandidate) -> list[dict[str, Any]]:
    """One row per trait: both values, and whether they differ (highlighted on screen)."""
    a, b = pair.patient_low, pair.patient_high
    return [
        {"label": label, "a": _shown(a, name), "b": _shown(b, name), "differs": getattr(a, name) != getattr(b, name)}
        for name, label in COMPARED
    ]


def explanation_labels(explanation: dict[str, Any]) -> list[str]:
    """The stored codes, in French: "Nom : identique aux tirets, espaces ou apostrophes près"."""
    labels = []
    for trait, item in explanation.items():
        outcome = Outcome(item["outcome"])
        labels.append(f"{TRAIT_LABELS.get(trait, trait)} : {OUTCOME_LABELS[outcome]}")
    return labels


class MatchClassFilter(admin.SimpleListFilter):
    title = "classe"
    parameter_name = "classe"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(c.value, label) for c, label in CLASS_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(match_class=self.value()) if self.value() else queryset


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyHistoryAdmin):
    list_display = ("score_display", "class_display", "state", "identity_a", "identity_b", "created_at")
    list_display_links = ("score_display",)
    list_filter = ("state", MatchClassFilter, "source")
    show_facets = admin.ShowFacets.NEVER
    list_select_related = ("patient_low", "patient_high")
    list_per_page = 50
    actions = None

    class Media:
        css = {"all": ("patients/admin.css",)}

    def get_ordering(self, request: HttpRequest) -> list:
        # Best score first; pairs put off with "Plus tard" after the others.
        return [F("postponed_at").asc(nulls_first=True), "-score", "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A pair changes only by the referent's decisions (not a duplicate, later, merge): no form edits it.
        return request.user.has_perm(DECIDE_PERMISSION) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Score", ordering="score")
    def score_display(self, obj: DuplicateCandidate) -> str:
        return f"{round(obj.score * 100)} %"

    @admin.display(description="Classe", ordering="match_class")
    def class_display(self, obj: DuplicateCandidate) -> str:
        return CLASS_LABELS.get(MatchClass(obj.match_class), "") if obj.match_class else ""

    def _identity(self, patient: Patient) -> SafeString:
        return format_html(
            "<strong>{}</strong> {} · {} · IPP {} {}",
            patient.birth_name,
            patient.first_name,
            f"{patient.birth_date:%d/%m/%Y}",
            patient.ipp,
            status_badge(patient.status),
        )

    @admin.display(description="Identité A")
    def identity_a(self, obj: DuplicateCandidate) -> SafeString:
        return self._identity(obj.patient_low)

    @admin.display(description="Identité B")
    def identity_b(self, obj: DuplicateCandidate) -> SafeString:
        return self._identity(obj.patient_high)

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if getattr(request, "_duplicate_worklist", False):
            # A suspected pair whose side was merged or deactivated is no longer proposed (AUD-05); decided
            # pairs (a confirmed one has a merged side) stay listed, for the "Doublon confirmé" filter.
            gone = Q(patient_low__is_active=False) | Q(patient_high__is_active=False)
            qs = qs.exclude(gone & Q(state=State.SUSPECTED))
        return qs

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        request._duplicate_worklist = True
        extra_context = {"title": "Doublons potentiels à traiter", **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if changelist is not None:
            shown = [p for pair in changelist.result_list for p in (pair.patient_low, pair.patient_high)]
            patient_record_access(
                actor=request.user,
                patients=shown,
                action=PatientAccess.Action.SEARCH,
                channel=PatientAccess.Channel.SCREEN,
            )
        return response

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pair_id>/pas-un-doublon/",
                wrap(self.not_duplicate_view),
                name="patients_duplicatecandidate_not_duplicate",
            ),
            path("<int:pair_id>/plus-tard/", wrap(self.postpone_view), name="patients_duplicatecandidate_postpone"),
            path("<int:pair_id>/fusionner/", wrap(self.merge_view), name="patients_duplicatecandidate_merge"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        """The side-by-side comparison of the two identities, with the referent's actions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        pair = get_object_or_404(self.get_queryset(request), pk=object_id)
        return self._compare(request, pair, NotDuplicateForm())

    def _compare(
        self,
        request: HttpRequest,
        pair: DuplicateCandidate,
        form: NotDuplicateForm,
        merge_form: MergeForm | None = None,
    ) -> HttpResponse:
        can_decide = self.has_change_permission(request, pair) and pair.state == State.SUSPECTED
        patient_record_access(
            actor=request.user,
            patients=[pair.patient_low, pair.patient_high],
            action=PatientAccess.Action.RETRIEVE,
            channel=PatientAccess.Channel.SCREEN,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Comparer deux identités",
            "subtitle": None,
            "pair": pair,
            "rows": comparison_rows(pair),
            "explanation": explanation_labels(pair.explanation),
            "class_label": self.class_display(pair),
            "badges": [attribute_badges(p) for p in (pair.patient_low, pair.patient_high)],
            "can_decide": can_decide,
            "form": form,
            "can_merge": can_decide and request.user.has_perm(MERGE_PERMISSION),
            "merge_form": merge_form or MergeForm(prefix=MERGE_PREFIX),
            "history": pair.history.select_related("history_user").order_by("-history_date")[:20],
        }
        return TemplateResponse(request, "admin/patients/duplicatecandidate/compare.html", context)

    def _decision(self, request: HttpRequest, pair_id: int) -> DuplicateCandidate:
        if request.method != "POST" or not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pair_id)

    def not_duplicate_view(self, request: HttpRequest, pair_id: int) -> HttpResponse:
        pair = self._decision(request, pair_id)
        form = NotDuplicateForm(request.POST)
        if not form.is_valid():
            return self._compare(request, pair, form)
        try:
            duplicate_mark_not_duplicate(actor=request.user, pair=pair, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._compare(request, pair, form)
        messages.success(request, "Paire classée « pas un doublon » : les deux identités portent l'attribut HOMA.")
        return HttpResponseRedirect(reverse("admin:patients_duplicatecandidate_changelist"))

    def postpone_view(self, request: HttpRequest, pair_id: int) -> HttpResponse:
        pair = self._decision(request, pair_id)
        duplicate_postpone(actor=request.user, pair=pair)
        messages.info(request, "Paire reportée : elle reste à traiter, après les autres.")
        return HttpResponseRedirect(reverse("admin:patients_duplicatecandidate_changelist"))

    def merge_view(self, request: HttpRequest, pair_id: int) -> HttpResponse:
        """Merge the pair, keeping the side the referent chose (AUD-05); the pair becomes CONFIRMED."""
        pair = self._decision(request, pair_id)
        if not request.user.has_perm(MERGE_PERMISSION):
            raise PermissionDenied
        form = MergeForm(request.POST, prefix=MERGE_PREFIX)
        if not form.is_valid():
            return self._compare(request, pair, NotDuplicateForm(), form)
        data = form.cleaned_data
        try:
            result = duplicate_merge_pair(
                actor=request.user, pair=pair, survivor_side=data["survivor"], reason=data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._compare(request, pair, NotDuplicateForm(), form)
        messages.success(
            request,
            f"Identités fusionnées : l'IPP {result.merged.ipp} est fusionné dans l'IPP {result.survivor.ipp}, "
            "qui est conservé. La paire est classée « doublon confirmé ».",
        )
        for warning in result.warnings:
            messages.warning(request, warning)
        return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[result.survivor.pk]))
