"""Professionals: list, create, read, change, deactivate (RULES PRO-01, PRO-02)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from consent.api import docs
from consent.api.serializers import ProfessionalFilter, ProfessionalInput, ProfessionalOutput
from consent.api.views._base import ConsentAPIView, errors
from consent.models import Professional
from consent.selectors import professional_list
from consent.services import professional_create, professional_deactivate, professional_update
from identity_registry.api.views import validated


class ProfessionalListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_professional", "POST": "consent.add_professional"}

    @extend_schema(
        parameters=[ProfessionalFilter],
        responses={200: ProfessionalOutput(many=True), **errors(400, 401, 403)},
        summary="List active professionals, or find one by its national identifier",
        description=docs.PROFESSIONAL_LIST,
    )
    def get(self, request):
        params = validated(ProfessionalFilter, request.query_params)
        return Response(ProfessionalOutput(professional_list(national_id=params.get("national_id")), many=True).data)

    @extend_schema(
        request=ProfessionalInput,
        responses={201: ProfessionalOutput, **errors(400, 401, 403, 409, 415)},
        summary="Register a professional",
        description=docs.PROFESSIONAL_CREATE,
    )
    def post(self, request):
        data = validated(ProfessionalInput, request.data)
        professional = professional_create(actor=request.user, **data)
        return Response(ProfessionalOutput(professional).data, status=status.HTTP_201_CREATED)


class ProfessionalDetailView(ConsentAPIView):
    required_permissions = {
        "GET": "consent.view_professional",
        "PATCH": "consent.change_professional",
        "DELETE": "consent.change_professional",
    }

    @extend_schema(
        responses={200: ProfessionalOutput, **errors(401, 403, 404)},
        summary="Read a professional",
        description=docs.PROFESSIONAL_RETRIEVE,
    )
    def get(self, request, pk: int):
        return Response(ProfessionalOutput(get_object_or_404(Professional, pk=pk)).data)

    @extend_schema(
        request=ProfessionalInput(partial=True),
        responses={200: ProfessionalOutput, **errors(400, 401, 403, 404, 409, 415)},
        summary="Change a professional",
        description=docs.PROFESSIONAL_UPDATE,
    )
    def patch(self, request, pk: int):
        professional = get_object_or_404(Professional, pk=pk)
        changes = validated(ProfessionalInput, request.data, partial=True)
        professional = professional_update(actor=request.user, professional=professional, changes=dict(changes))
        return Response(ProfessionalOutput(professional).data)

    @extend_schema(
        responses={204: None, **errors(401, 403, 404)},
        summary="Deactivate a professional (kept in history)",
        description=docs.PROFESSIONAL_DELETE,
    )
    def delete(self, request, pk: int):
        professional_deactivate(actor=request.user, professional=get_object_or_404(Professional, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
