"""API where the migration profile feeds the planning cycle: turn a recommendation into a draft
priority (idempotent: a second call answers 200 with the existing priority)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from profiles.models import Recommendation
from stakeholders.access import WorkspacePermission
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm

from ..models import Cycle, EntryPointConcern
from ..services.profile_links import recommendation_priority_existing, recommendation_to_priority


class RecommendationPrioritySerializer(serializers.Serializer):  # type: ignore[type-arg]
    cycle = serializers.PrimaryKeyRelatedField(queryset=Cycle.objects.none())
    concern = serializers.PrimaryKeyRelatedField(queryset=EntryPointConcern.objects.none())
    title = serializers.CharField(required=False, allow_blank=True, max_length=250)
    gender_considerations = serializers.CharField()
    rights_considerations = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.context.get("workspace")
        if workspace is not None:
            fields["cycle"].queryset = Cycle.objects.filter(workspace=workspace)  # type: ignore[attr-defined]
            fields["concern"].queryset = EntryPointConcern.objects.filter(  # type: ignore[attr-defined]
                workspace__in=[workspace.pk]
            ) | EntryPointConcern.objects.filter(workspace__isnull=True)
        return fields


class PriorityRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    cycle = serializers.IntegerField(source="cycle_id")
    review_state = serializers.CharField()


class RecommendationPriorityView(generics.GenericAPIView):  # type: ignore[type-arg]
    """POST: make a draft priority of the chosen cycle from the recommendation (201), or answer
    200 with the priority it already became."""

    permission_classes = [WorkspacePermission]
    filter_backends: list[Any] = []
    read_permission = Perm.EDIT
    write_permission = Perm.EDIT
    serializer_class = RecommendationPrioritySerializer
    workspace: Workspace

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "workspace": getattr(self, "workspace", None)}

    @extend_schema(
        operation_id="workspaces_profile_recommendation_priority",
        request=RecommendationPrioritySerializer,
        responses={
            201: PriorityRefSerializer,
            200: OpenApiResponse(PriorityRefSerializer, description="It already was one."),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = (
            Recommendation.objects.filter(workspace=self.workspace, pk=kwargs["pk"])
            .select_related("section__edition", "workspace")
            .first()
        )
        if recommendation is None:
            raise Http404("No such recommendation")
        existing = recommendation_priority_existing(recommendation)
        if existing is not None:
            return Response(PriorityRefSerializer(existing).data)
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        priority, created = recommendation_to_priority(
            actor=cast(User, request.user), recommendation=recommendation, **given.validated_data
        )
        return Response(
            PriorityRefSerializer(priority).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


urlpatterns = [
    path(
        "workspaces/<slug:workspace_slug>/profile-recommendations/<int:pk>/priority/",
        RecommendationPriorityView.as_view(),
        name="profile-recommendation-priority",
    ),
]
