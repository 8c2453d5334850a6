"""The patient list and the identity form: the admission desk's screen (agents, referents, auditors)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from identity_registry.exceptions import ApplicationError
from patients.admin.actions import IdentityActionsMixin
from patients.admin.birthplace_field import birthplace_lookup
from patients.admin.datamatrix_scan import datamatrix_read_response
from patients.admin.display import LOCKED_TRAITS_NOTE, attribute_badges, ins_summary, status_badge
from patients.admin.duplicate_gate import DuplicateGateMixin, record_confirmed_duplicates
from patients.admin.filters import AttributeFilter, WorkListFilter
from patients.admin.forms import PatientIdentityForm
from patients.admin.history import patient_timeline
from patients.admin.merge_display import identifier_list, merge_context
from patients.admin.pagination import BoundedCountPaginator
from patients.admin.search import (
    SEARCH_REF_VAR,
    SESSION_KEY,
    expand_search_token,
    list_query,
    remember_search,
)
from patients.admin.strict_change import CONFIRM_FIELD
from patients.admin.tolerant_search import PREFILL_SESSION_KEY, RankedChangeList, has_list_filters, ranked_queryset
from patients.audit import patient_record_access
from patients.birthplaces import birthplace_label
from patients.extensions import patient_page_links, work_list
from patients.ipp import looks_like_ipp
from patients.models import CollectionMethod, Patient
from patients.records import PatientAccess
from patients.search.query import prefill_from_text
from patients.search.selectors import patient_tolerant_search
from patients.selectors import looks_like_ins
from patients.services import patient_create, patient_update_traits

HISTORY_PERMISSION = "patients.view_identity_history"
DOCUMENT_VIEW_PERMISSION = "patients.view_identitydocument"


class IdentityRefused(Exception):
    """The service refused a valid identity form (ST-05, ST-11, a page read before another change…)."""

    def __init__(self, error: ApplicationError) -> None:
        super().__init__(error.message)
        self.error = error


@admin.register(Patient)
class PatientAdmin(IdentityActionsMixin, admin.ModelAdmin):
    form = PatientIdentityForm
    list_display = (
        "status_badge",
        "ipp",
        "birth_name",
        "used_name",
        "first_name_short",
        "born_on",
        "sex",
        "attributes",
    )
    list_display_links = ("birth_name",)
    # Issue 10: the list and its search (GET) may read a replica; after a save the pin cookie reads the primary.
    changelist_reads_from_replica = True
    list_filter = ("status", AttributeFilter, WorkListFilter)
    # Every column reads the patient row itself: there is no relation to join, so nothing to select.
    list_select_related = ()
    # Needed for Django to draw the search box; the search itself is patient_tolerant_search (TR-05).
    search_fields = ("birth_name",)
    search_help_text = (
        "Nom de naissance ou utilisé, prénoms, date de naissance (JJ/MM/AAAA), IPP ou matricule INS, dans "
        "n'importe quel ordre. Accents, tirets, apostrophes et majuscules sont ignorés ; une faute de frappe, "
        "une autre orthographe ou un jour et un mois inversés sont tolérés."
    )
    # Large tables: no COUNT(*) of the whole table, at most a bounded count of the page's query.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = BoundedCountPaginator
    list_per_page = 50
    actions = None
    # Preserved filters would copy the search text into every link of the list.
    preserve_filters = False
    readonly_fields = (
        "ipp",
        "status_badge",
        "ins_display",
        "attributes_display",
        "identifiers_display",
        "birthplace_display",
    )

    class Media:
        css = {"all": ("patients/admin.css",)}

    # ----- list -----------------------------------------------------------------------------------------
    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            # Issue 9: an agent sees only what they looked for; no identities until a search or a filter.
            return (queryset if has_list_filters(request) else queryset.none()), False
        # RNIV TR-05 and beyond: typos, sounds, used names and swapped day/month are forgiven; ranked.
        ranked, invalid = ranked_queryset(queryset, search_term)
        for token in invalid:
            messages.warning(request, f"« {token} » n'a pas été compris : ce n'est ni un nom ni une date valide.")
        return ranked, False

    def get_list_display(self, request: HttpRequest) -> tuple:
        if request.GET.get(SEARCH_VAR, "").strip():
            return (*self.list_display, "match_reason")
        return self.list_display

    @admin.display(description="Pourquoi ce résultat")
    def match_reason(self, obj: Patient) -> SafeString | str:
        return format_html('<span class="match-reason">{}</span>', getattr(obj, "match_reasons", "") or "")

    def get_urls(self) -> list:
        search = path("recherche/", self.admin_site.admin_view(self.search_view), name="patients_patient_search")
        places = path(
            "lieux-de-naissance/", self.admin_site.admin_view(birthplace_lookup), name="patients_patient_birthplaces"
        )
        create = path(
            "recherche/creer/",
            self.admin_site.admin_view(self.create_from_search_view),
            name="patients_patient_create_from_search",
        )
        scan = path(
            "datamatrix/lire/",
            self.admin_site.admin_view(self.datamatrix_read_view),
            name="patients_patient_datamatrix_read",
        )
        return [search, create, places, scan, *super().get_urls()]

    def datamatrix_read_view(self, request: HttpRequest) -> HttpResponse:
        """Read a scanned Datamatrix INS (POST, never in the URL) and answer the traits to fill, as JSON."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"error": "Envoyez le texte scanné par POST."}, status=405)
        return datamatrix_read_response(request.POST.get("text", ""))

    def create_from_search_view(self, request: HttpRequest) -> HttpResponse:
        """Open the creation form filled with what was searched; the traits travel in the session, not the URL."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            text = request.session.get(SESSION_KEY, {}).get(request.POST.get(SEARCH_REF_VAR, ""), "")
            request.session[PREFILL_SESSION_KEY] = prefill_from_text(text)
        return HttpResponseRedirect(reverse("admin:patients_patient_add"))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        if request.method == "GET":
            initial.update(request.session.pop(PREFILL_SESSION_KEY, {}))
        return initial

    def search_view(self, request: HttpRequest) -> HttpResponse:
        """Receive the posted search box and show the list for it (the text stays out of the URL)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:patients_patient_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(changelist)
        text = request.POST.get(SEARCH_VAR, "").strip()
        # RNIV TR-05: a matricule INS (or an IPP: a merged one opens its survivor) opens its identity directly.
        if looks_like_ins(text) or looks_like_ipp(text):
            _, hits = patient_tolerant_search(text=text, limit=2)
            if len(hits) == 1:
                return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[hits[0].patient_id]))
        token = remember_search(request, text) if text else ""
        return HttpResponseRedirect(changelist + list_query(request, token))

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        expand_search_token(request)
        chosen = work_list(request.GET.get(WorkListFilter.parameter_name, ""))
        # Issue 12: a list opened from the referent's desk is titled after it.
        title = f"{chosen.label} ({chosen.rule})" if chosen and chosen.patient_filter else "Rechercher une identité"
        extra_context = {"title": title, **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if changelist is not None:
            # RNIV AUD-03: the list shows each identity's traits, so every row on the page is a read (as in the API).
            patient_record_access(
                actor=request.user,
                patients=changelist.result_list,
                action=PatientAccess.Action.SEARCH,
                channel=PatientAccess.Channel.SCREEN,
            )
        return response

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type:
        return RankedChangeList

    @admin.display(description="Statut", ordering="status")
    def status_badge(self, obj: Patient) -> SafeString:
        return status_badge(obj.status)

    @admin.display(description="Prénom", ordering="first_name")
    def first_name_short(self, obj: Patient) -> str:
        return obj.first_name

    @admin.display(description="Né(e) le", ordering="birth_date")
    def born_on(self, obj: Patient) -> str:
        return f"{obj.birth_date:%d/%m/%Y}"

    @admin.display(description="Attributs")
    def attributes(self, obj: Patient) -> SafeString | str:
        return attribute_badges(obj) if obj.attributes else ""

    @admin.display(description="Attributs")
    def attributes_display(self, obj: Patient) -> SafeString | str:
        return attribute_badges(obj)

    @admin.display(description="Identifiants externes")
    def identifiers_display(self, obj: Patient) -> SafeString | str:
        return identifier_list(obj)

    @admin.display(description="Lieu de naissance")
    def birthplace_display(self, obj: Patient) -> str:
        # TR-06: read-only pages show the place's name beside its code.
        return birthplace_label(obj.birthplace_cog, obj.birth_date) if obj.birthplace_cog else "—"

    @admin.display(description="Matricule INS")
    def ins_display(self, obj: Patient) -> SafeString | str:
        return ins_summary(obj)

    # ----- form -----------------------------------------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Patient | None = None) -> list:
        fieldsets: list = []
        can_write = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        strict_note = (
            "Tels qu'ils figurent sur le justificatif : majuscules sans accents, tirets et apostrophes conservés "
            "(règles TR-01, TR-03)."
        )
        if obj is not None and obj.strict_traits_locked:
            strict_note = LOCKED_TRAITS_NOTE
        if obj is not None:
            fieldsets.append(
                (
                    "Identifiants et statut",
                    {"fields": ("ipp", "status_badge", "ins_display", "attributes_display", "identifiers_display")},
                )
            )
        fieldsets += [
            (
                # Issue 12: the used name right under the birth name, as on the new identity card.
                "Traits stricts et nom utilisé",
                {
                    "description": strict_note,
                    "fields": (
                        "birth_name",
                        "used_name",
                        "first_name",
                        "first_names",
                        "sex",
                        "birth_date",
                        ("birth_day_estimated", "birth_month_estimated", "birth_year_estimated"),
                        "birthplace_cog" if can_write else "birthplace_display",
                    ),
                },
            ),
            (
                "Traits complémentaires",
                {
                    "description": "Ils ne changent jamais le statut de l'identité (règle TR-02).",
                    "fields": ("used_first_name", "address", "phone", "email", "to_regularise"),
                },
            ),
        ]
        if can_write:
            motif = ("reason", "read_version")
            # RNIV ST-07: a validated identity asks for confirmation before a strict change withdraws C.
            if obj is not None and obj.document_checked and not obj.strict_traits_locked:
                motif = (*motif, CONFIRM_FIELD)
            fieldsets.append(("Motif", {"fields": motif}))
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Patient | None = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "identity_refusal", None)
        # RNIV ST-11: the duplicate check runs before the form hands the traits to the service.
        return type(form_class.__name__, (DuplicateGateMixin, form_class), {"refusal": refusal, "actor": request.user})

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IdentityRefused as refused:
            # The service refused after validation; its write rolled back with the view's transaction. Show the
            # same form again, the refusal on it in French: that second pass validates and writes nothing.
            request.identity_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_form(self, request: HttpRequest, form: PatientIdentityForm, change: bool) -> Patient:
        """Write the identity through its service, once the form is valid (the form itself writes nothing)."""
        reason = form.cleaned_data.get("reason", "")
        try:
            if change:
                form.result = patient_update_traits(
                    actor=request.user,
                    patient=form.instance.pk,
                    changes=form.traits(),
                    reason=reason,
                    expected_version=form.cleaned_data.get("read_version"),
                )
            else:
                # RNIV DM-01: traits saved exactly as the Datamatrix carries them were collected by barcode (CB).
                scanned = form.scanned_identity()
                method = CollectionMethod.CB if scanned else CollectionMethod.SM
                ins_read = (scanned.matricule, scanned.oid) if scanned else None
                form.result = patient_create(
                    actor=request.user, reason=reason, collection_method=method, ins_read=ins_read, **form.traits()
                )
        except ApplicationError as exc:
            raise IdentityRefused(exc) from exc
        return form.result.patient

    def save_related(self, request: HttpRequest, form: PatientIdentityForm, formsets: Any, change: bool) -> None:
        """Nothing: the identity form edits no relation, and the service wrote everything."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # RNIV AUD-05: a merged identity is read only; its survivor is the one to change.
        if obj is not None and obj.merged_into_id is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # AUD-01, AUD-05: an identity is never deleted from the screen; duplicates are merged.
        return False

    def save_model(self, request: HttpRequest, obj: Patient, form: PatientIdentityForm, change: bool) -> None:
        # save_form wrote the identity through its service: tell the agent what the service did.
        record_confirmed_duplicates(actor=request.user, form=form, patient=obj, created=not change)
        for warning in form.result.warnings if form.result else []:
            messages.warning(request, warning)
        rewritten = [
            f"{label} : saisi « {typed} », enregistré « {stored} »" for label, typed, stored in form.normalised_values()
        ]
        if rewritten:
            messages.info(
                request, "Valeurs enregistrées après normalisation (règle TR-03) : " + " ; ".join(rewritten) + "."
            )

    def _back_to_identity(self, request: HttpRequest, obj: Patient, text: str) -> HttpResponseRedirect:
        # The agent sees the stored (normalised) values straight after saving.
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[obj.pk]))

    def response_add(self, request: HttpRequest, obj: Patient, post_url_continue: str | None = None) -> HttpResponse:
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._back_to_identity(request, obj, "L'identité a été créée.")

    def response_change(self, request: HttpRequest, obj: Patient) -> HttpResponse:
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_change(request, obj)
        return self._back_to_identity(request, obj, "L'identité a été enregistrée.")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        patient = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {}, show_save_and_continue=False, show_save_and_add_another=False)
        # Django's French "Modification de %s" would read "de identité": give the page a correct French title.
        can_change = self.has_change_permission(request, patient)
        extra.setdefault("title", "Modification de l'identité" if can_change else "Consultation de l'identité")
        if patient is not None:
            if request.method == "GET":
                # RNIV AUD-03: every read of an identity on screen is logged (who, when).
                patient_record_access(
                    actor=request.user,
                    patients=[patient],
                    action=PatientAccess.Action.RETRIEVE,
                    channel=PatientAccess.Channel.SCREEN,
                )
            extra["identity_actions"] = self.identity_actions(request, patient)
            # RNIV AUD-05: the merged record shows where it went; the survivor what it absorbed.
            extra.update(merge_context(patient))
            # A merged identity is inactive (AUD-05): no INSi call or consent work starts from it, only its survivor.
            if patient.merged_into_id is None:
                extra["extension_links"] = patient_page_links(user=request.user, patient_id=patient.pk, patient=patient)
            # Checked documents are evidence, listed read-only beside the form: no formset can fail after the
            # service has saved the identity.
            if request.user.has_perm(DOCUMENT_VIEW_PERMISSION):
                extra["identity_documents"] = patient.documents.select_related("checked_by")
                extra["documents_declined"] = patient.documents_declined.select_related("recorded_by")
        return super().change_view(request, object_id, form_url, extra)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        extra = {"title": "Création d'une identité", **(extra_context or {}), "show_save_and_continue": False}
        # RNIV DM-01: the scan box sits above the form, outside it, so Django's add page (which focuses the
        # form's first input) keeps the cursor on the birth name; the script copies what it read into the form.
        extra["datamatrix_read_url"] = reverse("admin:patients_patient_datamatrix_read")
        return super().add_view(request, form_url, extra)

    # ----- history --------------------------------------------------------------------------------------
    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        """Show the identity's history side by side (AUD-01); no revert, no edit, for anybody."""
        if not request.user.has_perm(HISTORY_PERMISSION):
            raise PermissionDenied
        patient = self.get_object(request, unquote(object_id))
        if patient is None:
            raise Http404("Identité introuvable.")
        patient_record_access(
            actor=request.user,
            patients=[patient],
            action=PatientAccess.Action.HISTORY,
            channel=PatientAccess.Channel.SCREEN,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Historique de l'identité",
            "subtitle": None,
            "original": patient,
            "status_badge": status_badge(patient.status),
            "events": patient_timeline(patient),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/patients/patient/identity_history.html", context)
