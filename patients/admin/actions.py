"""The action pages of the identity screen: each checks a permission, asks what the rule asks, calls one service."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from identity_registry.exceptions import ApplicationError
from patients.admin.display import status_badge, status_text, strict_traits_shown
from patients.admin.document_forms import DocumentCheckForm, DocumentDeclinedForm
from patients.admin.forms import AttributeForm, DowngradeForm, add_service_error
from patients.documents import DOCUMENT_TYPE_LABELS, DocumentType
from patients.models import Patient
from patients.services import (
    identity_clear_attribute,
    identity_downgrade,
    identity_record_document_declined,
    identity_set_attribute,
    identity_validate_document,
)
from patients.status import ATTRIBUTE_LABELS, Attribute, blocks_qualification

Outcome = list[tuple[int, str]]


def _warnings(result_warnings: list[str]) -> Outcome:
    return [(messages.WARNING, text) for text in result_warnings]


def check_document(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identity_validate_document(
        actor=actor,
        patient=patient.pk,
        document_type=data["document_type"],
        issuing_country=data["issuing_country"],
        is_copy=data["is_copy"],
        context=data["context"],
        expires_on=data["expires_on"],
        document_number=data["document_number"],
        # The screen always asks: an unticked box refuses a high-trust document (ID-01).
        traits_confirmed=bool(data["traits_confirmed"]),
        scan=data["scan"] or None,
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    label = DOCUMENT_TYPE_LABELS[DocumentType(result.document.document_type)]
    if not result.verdict.can_validate:
        # RNIV ID-02, ID-04, ID-05, ID-06: the document is kept as evidence but validates nothing.
        return [
            (
                messages.ERROR,
                f"Justificatif enregistré ({label}), mais il ne permet pas de valider l'identité : "
                f"{result.verdict.reason}",
            )
        ]
    return [
        (
            messages.SUCCESS,
            f"Justificatif contrôlé ({label}, règle {result.verdict.rule}). "
            f"Statut : {status_text(result.patient.status)}.",
        )
    ]


def record_declined(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identity_record_document_declined(
        actor=actor, patient=patient.pk, reason=data["reason"], expected_version=data["read_version"]
    )
    return [
        (
            messages.WARNING,
            "Refus de présenter un justificatif enregistré : la personne est prise en charge normalement, mais "
            "l'identité ne peut être ni validée ni qualifiée (règle ST-10). "
            f"Statut : {status_text(result.patient.status)}.",
        )
    ]


def _attribute_text(code: str) -> str:
    """The code and its French label, as the list and the filters show them (e.g. "DOUT · Identité douteuse")."""
    try:
        return f"{code} · {ATTRIBUTE_LABELS[Attribute(code)]}"
    except ValueError:
        return code


def set_attribute(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identity_set_attribute(
        actor=actor,
        patient=patient.pk,
        attribute=data["attribute"],
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    done = f"Attribut posé : {_attribute_text(data['attribute'])}. Statut : {status_text(result.patient.status)}."
    return [(messages.SUCCESS, done), *_warnings(result.warnings)]


def clear_attribute(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identity_clear_attribute(
        actor=actor,
        patient=patient.pk,
        attribute=data["attribute"],
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    done = f"Attribut retiré : {_attribute_text(data['attribute'])}. Statut : {status_text(result.patient.status)}."
    return [(messages.SUCCESS, done), *_warnings(result.warnings)]


def downgrade(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identity_downgrade(
        actor=actor,
        patient=patient.pk,
        withdraw_ins=data.get("withdraw_ins", False),
        withdraw_document=data.get("withdraw_document", False),
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    return [(messages.SUCCESS, f"Identité déclassée. Statut : {status_text(result.patient.status)}.")]


@dataclass(frozen=True)
class IdentityAction:
    """A button of the identity page and the page behind it."""

    slug: str
    label: str
    permission: str
    title: str
    intro: str
    submit: str
    form: Callable[..., forms.Form]
    perform: Callable[..., Outcome]
    css: str = ""
    # When the button shows; by default on an identity that is not merged (AUD-05: the survivor is changed).
    when: Callable[[Patient], bool] | None = None
    # What the page shows beside the form (e.g. the strict traits to compare with the document).
    context: Callable[[Patient], dict[str, Any]] | None = None

    def shown_for(self, patient: Patient) -> bool:
        return self.when(patient) if self.when is not None else patient.merged_into_id is None

    @property
    def url_name(self) -> str:
        return f"patients_patient_{self.slug.replace('-', '_')}"


def _may_validate(patient: Patient) -> bool:
    # RNIV ST-03: a doubtful or fictitious identity cannot be validated: no document check offered (issue 12).
    return patient.merged_into_id is None and not blocks_qualification(patient.attributes)


def _may_downgrade(patient: Patient) -> bool:
    # RNIV ST-06: only an identity holding an INS or a validation has something to withdraw (issue 12).
    return patient.merged_into_id is None and bool(patient.ins_verified or patient.document_checked)


IDENTITY_ACTIONS = (
    IdentityAction(
        slug="verifier-piece",
        label="Vérifier une pièce d'identité",
        permission="patients.add_identitydocument",
        title="Vérifier une pièce d'identité",
        intro="Contrôlez l'original du justificatif présenté. Un justificatif à haut niveau de confiance "
        "valide l'identité (règles ID-01 à ID-06).",
        submit="Enregistrer le contrôle",
        form=DocumentCheckForm,
        perform=check_document,
        context=lambda patient: {"strict_traits": strict_traits_shown(patient)},
        when=_may_validate,
    ),
    IdentityAction(
        slug="refus-justificatif",
        label="Refus de présenter un justificatif",
        permission="patients.add_identitydocument",
        title="Refus de présenter un justificatif",
        intro="La personne refuse de présenter une pièce d'identité : elle est prise en charge normalement, "
        "mais l'identité ne peut être ni validée ni qualifiée. Le refus est conservé dans l'historique "
        "(règle ST-10).",
        submit="Enregistrer le refus",
        form=DocumentDeclinedForm,
        perform=record_declined,
    ),
    IdentityAction(
        slug="poser-attribut",
        label="Marquer douteuse / fictive / homonyme",
        permission="patients.set_attribute",
        title="Poser un attribut",
        intro="Une identité douteuse ou fictive repasse au statut provisoire et ne peut plus être validée "
        "ni qualifiée (règle ST-03).",
        submit="Poser l'attribut",
        form=AttributeForm,
        perform=set_attribute,
    ),
    IdentityAction(
        slug="retirer-attribut",
        label="Retirer l'attribut",
        permission="patients.set_attribute",
        title="Retirer un attribut",
        intro="Le retrait d'un attribut est tracé avec son motif (règle ST-02).",
        submit="Retirer l'attribut",
        form=lambda *args, patient, **kwargs: AttributeForm(*args, patient=patient, clearing=True, **kwargs),
        perform=clear_attribute,
    ),
    IdentityAction(
        slug="declasser",
        label="Déclasser l'identité",
        permission="patients.downgrade_identity",
        title="Déclasser l'identité",
        intro="Le déclassement retire l'INS et/ou la validation par justificatif ; les traits stricts "
        "redeviennent modifiables (règles ST-05, ST-06).",
        submit="Déclasser",
        form=DowngradeForm,
        perform=downgrade,
        css="deletelink",
        when=_may_downgrade,
    ),
)


def all_actions() -> tuple[IdentityAction, ...]:
    from patients.admin.link_actions import LINK_ACTIONS

    return (*IDENTITY_ACTIONS, *LINK_ACTIONS)


class IdentityActionsMixin:
    """Adds the action pages to the patient admin."""

    def get_urls(self) -> list:
        urls = [
            path(
                f"<path:object_id>/{action.slug}/",
                self.admin_site.admin_view(self._action_view(action)),
                name=action.url_name,
            )
            for action in all_actions()
        ]
        return urls + super().get_urls()

    def identity_actions(self, request: HttpRequest, patient: Patient) -> list[dict[str, str]]:
        """The action buttons this user may press on this identity."""
        shown = []
        for action in all_actions():
            if not request.user.has_perm(action.permission) or not action.shown_for(patient):
                continue
            if action.slug == "retirer-attribut" and not patient.attributes:
                continue
            url = reverse(f"admin:{action.url_name}", args=[patient.pk])
            shown.append({"label": action.label, "url": url, "css": action.css})
        return shown

    def _action_view(self, action: IdentityAction) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            # RNIV ST-09: each action is reserved to the users holding its permission.
            if not request.user.has_perm(action.permission):
                raise PermissionDenied
            patient = self.get_object(request, unquote(object_id))
            if patient is None:
                raise Http404("Identité introuvable.")
            change_url = reverse("admin:patients_patient_change", args=[patient.pk])
            posted = request.method == "POST"
            form = action.form(request.POST if posted else None, request.FILES if posted else None, patient=patient)
            if request.method == "POST" and form.is_valid():
                try:
                    outcome = action.perform(actor=request.user, patient=patient, data=form.cleaned_data)
                except ApplicationError as exc:
                    add_service_error(form, exc)
                else:
                    for level, text in outcome:
                        messages.add_message(request, level, text)
                    return HttpResponseRedirect(change_url)
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": action.title,
                "subtitle": None,
                "original": patient,
                "status_badge": status_badge(patient.status),
                "intro": action.intro,
                "form": form,
                "submit_label": action.submit,
                "cancel_url": change_url,
                **(action.context(patient) if action.context else {}),
            }
            return TemplateResponse(request, "admin/patients/patient/action_form.html", context)

        return view
