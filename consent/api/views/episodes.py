"""Care episodes and their care teams (RULES CONS-01, CONS-03)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from consent.api import docs
from consent.api.serializers import (
    EndMembershipInput,
    EpisodeInput,
    EpisodeOutput,
    EpisodeUpdateInput,
    TeamMemberInput,
    TeamMemberOutput,
)
from consent.api.views._base import ConsentAPIView, errors, patient_from_query
from consent.models import CareEpisode, CareTeamMember
from consent.selectors import episode_list
from consent.services import (
    care_episode_create,
    care_episode_delete,
    care_episode_update,
    care_team_add_member,
    care_team_end_membership,
)
from identity_registry.api.views import validated

PATIENT_PARAM = OpenApiParameter("patient", OpenApiTypes.UUID, description="Patient public_id (UUID)")


class EpisodeListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_careepisode", "POST": "consent.add_careepisode"}

    @extend_schema(
        parameters=[PATIENT_PARAM],
        responses={200: EpisodeOutput(many=True), **errors(400, 401, 403, 404)},
        summary="List care episodes",
        description=docs.EPISODE_LIST,
    )
    def get(self, request):
        episodes = episode_list(patient=patient_from_query(request)).prefetch_related("team")
        return Response(EpisodeOutput(episodes, many=True).data)

    @extend_schema(
        request=EpisodeInput,
        responses={201: EpisodeOutput, **errors(400, 401, 403, 415)},
        summary="Open a care episode",
        description=docs.EPISODE_CREATE,
    )
    def post(self, request):
        data = validated(EpisodeInput, request.data)
        episode = care_episode_create(actor=request.user, **data)
        return Response(EpisodeOutput(episode).data, status=status.HTTP_201_CREATED)


class EpisodeDetailView(ConsentAPIView):
    required_permissions = {
        "GET": "consent.view_careepisode",
        "PATCH": "consent.change_careepisode",
        "DELETE": "consent.change_careepisode",
    }

    @extend_schema(
        responses={200: EpisodeOutput, **errors(401, 403, 404)},
        summary="Read a care episode and its team",
        description=docs.EPISODE_RETRIEVE,
    )
    def get(self, request, pk: int):
        return Response(EpisodeOutput(get_object_or_404(CareEpisode, pk=pk)).data)

    @extend_schema(
        request=EpisodeUpdateInput,
        responses={200: EpisodeOutput, **errors(400, 401, 403, 404, 415)},
        summary="Change or close a care episode",
        description=docs.EPISODE_UPDATE,
    )
    def patch(self, request, pk: int):
        episode = get_object_or_404(CareEpisode, pk=pk)
        changes = validated(EpisodeUpdateInput, request.data)
        episode = care_episode_update(actor=request.user, episode=episode, changes=dict(changes))
        return Response(EpisodeOutput(episode).data)

    @extend_schema(
        responses={204: None, **errors(401, 403, 404, 409)},
        summary="Delete an episode opened by mistake (409 once in use)",
        description=docs.EPISODE_DELETE,
    )
    def delete(self, request, pk: int):
        care_episode_delete(actor=request.user, episode=get_object_or_404(CareEpisode, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMemberListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_careteammember", "POST": "consent.add_careteammember"}

    @extend_schema(
        responses={200: TeamMemberOutput(many=True), **errors(401, 403, 404)},
        summary="List the episode's care team",
        description=docs.TEAM_LIST,
    )
    def get(self, request, pk: int):
        episode = get_object_or_404(CareEpisode, pk=pk)
        return Response(TeamMemberOutput(episode.team.all(), many=True).data)

    @extend_schema(
        request=TeamMemberInput,
        responses={201: TeamMemberOutput, **errors(400, 401, 403, 404, 409, 415)},
        summary="Add a care-team member",
        description=docs.TEAM_ADD,
    )
    def post(self, request, pk: int):
        episode = get_object_or_404(CareEpisode, pk=pk)
        data = validated(TeamMemberInput, request.data)
        member = care_team_add_member(actor=request.user, episode=episode, **data)
        return Response(TeamMemberOutput(member).data, status=status.HTTP_201_CREATED)


class TeamMemberEndView(ConsentAPIView):
    required_permissions = {"POST": "consent.change_careteammember"}

    @extend_schema(
        request=EndMembershipInput,
        responses={200: TeamMemberOutput, **errors(400, 401, 403, 404, 409, 415)},
        summary="End a care-team membership",
        description=docs.TEAM_END,
    )
    def post(self, request, pk: int):
        member = get_object_or_404(CareTeamMember, pk=pk)
        data = validated(EndMembershipInput, request.data)
        member = care_team_end_membership(actor=request.user, member=member, **data)
        return Response(TeamMemberOutput(member).data)
