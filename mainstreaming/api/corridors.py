"""API of what the sides of a corridor share (issue 5): read both sides' shared items; read and
set this side's marks. Routes at the bottom.

Shared items are always their approved version, only for items marked for the corridor, only
while it is active (mainstreaming.selectors.corridors). Marking needs `CORRIDOR_SHARE`.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.models import Indicator
from indicators.selectors.corridors import shareable_indicators, shared_indicator_ids
from stakeholders.access import WorkspacePermission
from stakeholders.api.views import WORKSPACE_SLUG
from stakeholders.corridors_selectors import corridor_get
from stakeholders.models import Corridor, User, Workspace
from stakeholders.permissions import CORRIDOR_SHARE, Perm

from ..models import Action, Priority
from ..selectors.corridors import (
    corridor_sides,
    shareable_actions,
    shareable_priorities,
    shared_action_ids,
    shared_priority_ids,
)
from ..services.corridors import corridor_shares_set


class SharedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    content = serializers.DictField(help_text="The approved version of the item.")
    label = serializers.CharField()


class SharedValueSerializer(serializers.Serializer):
    period = serializers.CharField()
    breakdown = serializers.DictField(child=serializers.CharField())
    value = serializers.DecimalField(max_digits=24, decimal_places=6)


class SharedSeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit.name")
    values = SharedValueSerializer(many=True)


class CorridorSideItemsSerializer(serializers.Serializer):
    workspace = serializers.CharField(source="workspace.name")
    country = serializers.CharField(source="workspace.country")
    role = serializers.CharField()
    is_mine = serializers.BooleanField()
    priorities = SharedItemSerializer(many=True)
    actions = SharedItemSerializer(many=True)
    series = SharedSeriesSerializer(many=True)


class CorridorSharesSerializer(serializers.Serializer):
    priorities = serializers.ListField(child=serializers.IntegerField(), default=list)
    actions = serializers.ListField(child=serializers.IntegerField(), default=list)
    indicators = serializers.ListField(child=serializers.IntegerField(), default=list)


class CorridorMixin:
    kwargs: dict[str, Any]
    request: Request
    workspace: Workspace

    def corridor(self) -> Corridor:
        found = corridor_get(user=self.request.user, workspace=self.workspace, pk=self.kwargs["pk"])
        if found is None:
            raise Http404("No such corridor")
        return found


class CorridorSharedItemsView(CorridorMixin, APIView):
    """GET: both sides (this workspace's first) with what each shares, approved content only."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS

    @extend_schema(responses=CorridorSideItemsSerializer(many=True), parameters=[WORKSPACE_SLUG])
    def get(self, request: Request, workspace_slug: str, pk: int) -> Response:
        sides = corridor_sides(corridor=self.corridor(), workspace=self.workspace)
        return Response(CorridorSideItemsSerializer(sides, many=True).data)


class CorridorSharesView(CorridorMixin, APIView):
    """GET: the ids this workspace marked for the corridor. PUT: replace them (coordinators)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS
    write_permission = CORRIDOR_SHARE

    def _marks(self, corridor: Corridor) -> dict[str, list[int]]:
        workspace = self.workspace
        return {
            "priorities": sorted(shared_priority_ids(corridor=corridor, workspace=workspace)),
            "actions": sorted(shared_action_ids(corridor=corridor, workspace=workspace)),
            "indicators": sorted(shared_indicator_ids(corridor=corridor, workspace=workspace)),
        }

    @extend_schema(responses=CorridorSharesSerializer, parameters=[WORKSPACE_SLUG])
    def get(self, request: Request, workspace_slug: str, pk: int) -> Response:
        return Response(self._marks(self.corridor()))

    @extend_schema(
        request=CorridorSharesSerializer,
        responses=CorridorSharesSerializer,
        parameters=[WORKSPACE_SLUG],
    )
    def put(self, request: Request, workspace_slug: str, pk: int) -> Response:
        corridor = self.corridor()
        serializer = CorridorSharesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workspace = self.workspace
        # Ids outside what this workspace may share are refused by the service; look them up
        # among the shareable items so that nothing of another workspace is ever loaded.
        found: dict[str, list[Any]] = {
            "priorities": list(
                shareable_priorities(workspace=workspace).filter(pk__in=data["priorities"])
            ),
            "actions": list(shareable_actions(workspace=workspace).filter(pk__in=data["actions"])),
            "indicators": list(
                shareable_indicators(workspace=workspace).filter(pk__in=data["indicators"])
            ),
        }
        errors = {
            key: ["Only approved items of this workspace can be shared."]
            for key in found
            if len(found[key]) != len(set(data[key]))
        }
        if errors:
            raise exceptions.ValidationError(errors)
        try:
            corridor_shares_set(
                actor=cast(User, request.user),
                corridor=corridor,
                workspace=workspace,
                priorities=cast(list[Priority], found["priorities"]),
                actions=cast(list[Action], found["actions"]),
                indicators=cast(list[Indicator], found["indicators"]),
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise exceptions.ValidationError(detail) from error
        return Response(self._marks(corridor))


NESTED = "workspaces/<slug:workspace_slug>/corridors/<int:pk>"

urlpatterns: list[URLPattern] = [
    path(
        f"{NESTED}/shared-items/", CorridorSharedItemsView.as_view(), name="corridor-shared-items"
    ),
    path(f"{NESTED}/shares/", CorridorSharesView.as_view(), name="corridor-shares"),
]
