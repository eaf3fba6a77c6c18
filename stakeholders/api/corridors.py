"""Corridors API: list and propose, read, accept / decline / end, and joint actions. Routes at
the bottom. Shared items are read and marked under mainstreaming's API (mainstreaming/api/
corridors.py), since they belong to later apps (DESIGN §2).

A corridor is read under one of its sides' addresses (/api/workspaces/<slug>/corridors/…) by
that side's members; from anywhere else it is not found.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import corridors_services as services
from .. import corridors_views  # noqa: F401 - registers the `corridoraction`/`jointaction` converters
from ..access import WorkspacePermission
from ..choices import CorridorRole
from ..corridors_selectors import (
    corridor_get,
    corridor_list,
    corridor_partner_search,
    joint_action_get,
    joint_action_list,
)
from ..models import Corridor, JointAction, User, Workspace
from ..permissions import CORRIDOR_MANAGE, Perm
from .views import WORKSPACE_SLUG, StakeholdersViewSet


class CorridorSideSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()


class CorridorSerializer(serializers.ModelSerializer):
    proposer = CorridorSideSerializer(read_only=True)
    partner_workspace = CorridorSideSerializer(source="partner", read_only=True)
    # Write only: the partner's exact short name (a coordinator cannot browse other workspaces).
    partner = serializers.CharField(write_only=True, max_length=60)
    proposer_role = serializers.ChoiceField(choices=CorridorRole.choices)
    partner_role = serializers.ChoiceField(choices=CorridorRole.choices)

    class Meta:
        model = Corridor
        fields = [
            "id",
            "proposer",
            "partner",
            "partner_workspace",
            "proposer_role",
            "partner_role",
            "description",
            "status",
            "created_at",
            "responded_at",
            "ended_at",
        ]
        read_only_fields = ["status", "created_at", "responded_at", "ended_at"]

    def validate_partner(self, value: str) -> Workspace:
        workspace = self.context.get("workspace")
        found = (
            corridor_partner_search(query=value, exclude=workspace)
            .filter(slug__iexact=value)
            .first()
            if isinstance(workspace, Workspace)
            else None
        )
        if found is None:
            raise serializers.ValidationError(_("No other national workspace has this short name."))
        return found


class JointActionSerializer(serializers.ModelSerializer):
    proposed_by = CorridorSideSerializer(source="proposed_by_workspace", read_only=True)

    class Meta:
        model = JointAction
        fields = ["id", "title", "description", "proposed_by", "status", "agreed_at", "created_at"]
        read_only_fields = ["status", "agreed_at", "created_at"]


def _service_errors(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"detail": error.messages})


class CorridorViewMixin:
    """Shared: the corridor of the URL, with this workspace as a side (404 otherwise)."""

    kwargs: dict[str, Any]
    request: Request
    workspace: Workspace

    def corridor(self) -> Corridor:
        found = corridor_get(user=self.request.user, workspace=self.workspace, pk=self.kwargs["pk"])
        if found is None:
            raise Http404("No such corridor")
        return found


class CorridorPermission(WorkspacePermission):
    """The workspace check of WorkspacePermission; a corridor has two workspaces, so its
    object check is the selector's: only corridors with this workspace as a side are found."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return True


@extend_schema(parameters=[WORKSPACE_SLUG])
class CorridorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StakeholdersViewSet):
    """Corridors of a workspace (either side); its coordinators propose new ones."""

    model = Corridor
    serializer_class = CorridorSerializer
    permission_classes = [CorridorPermission]
    filter_backends: list[Any] = []  # corridor_list restricts (a corridor has two workspaces)
    read_permission = Perm.ACCESS
    write_permission = CORRIDOR_MANAGE

    def selected(self) -> Any:
        return corridor_list(user=self.request.user, workspace=self.workspace)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            corridor = services.corridor_propose(
                actor=self.actor, workspace=self.workspace, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        data = self.get_serializer(self.selected().get(pk=corridor.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class CorridorTransitionView(CorridorViewMixin, APIView):
    """POST: accept or decline (the partner's coordinators), end (either side's)."""

    permission_classes = [WorkspacePermission]
    write_permission = CORRIDOR_MANAGE

    @extend_schema(
        operation_id="workspaces_corridors_transition",
        request=None,
        responses=CorridorSerializer,
        parameters=[WORKSPACE_SLUG],
    )
    def post(self, request: Request, workspace_slug: str, pk: int, action: str) -> Response:
        corridor = self.corridor()
        try:
            services.corridor_transition(
                actor=cast(User, request.user),
                corridor=corridor,
                workspace=self.workspace,
                action=action,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied from error
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        fresh = corridor_get(user=request.user, workspace=self.workspace, pk=pk)
        return Response(CorridorSerializer(fresh).data)


@extend_schema(parameters=[WORKSPACE_SLUG])
class JointActionListView(CorridorViewMixin, APIView):
    """GET: the corridor's joint actions. POST: this side proposes one (coordinators)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS
    write_permission = CORRIDOR_MANAGE

    @extend_schema(responses=JointActionSerializer(many=True))
    def get(self, request: Request, workspace_slug: str, pk: int) -> Response:
        items = joint_action_list(corridor=self.corridor())
        return Response(JointActionSerializer(items, many=True).data)

    @extend_schema(request=JointActionSerializer, responses=JointActionSerializer)
    def post(self, request: Request, workspace_slug: str, pk: int) -> Response:
        corridor = self.corridor()
        serializer = JointActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            joint_action = services.joint_action_propose(
                actor=cast(User, request.user),
                corridor=corridor,
                workspace=self.workspace,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        fresh = joint_action_get(corridor=corridor, pk=joint_action.pk)
        return Response(JointActionSerializer(fresh).data, status=status.HTTP_201_CREATED)


class JointActionTransitionView(CorridorViewMixin, APIView):
    """POST: agree (the other side's coordinators) or withdraw (either side's)."""

    permission_classes = [WorkspacePermission]
    write_permission = CORRIDOR_MANAGE

    @extend_schema(
        operation_id="workspaces_corridors_joint_actions_transition",
        request=None,
        responses=JointActionSerializer,
        parameters=[WORKSPACE_SLUG],
    )
    def post(
        self, request: Request, workspace_slug: str, pk: int, joint_pk: int, action: str
    ) -> Response:
        corridor = self.corridor()
        joint_action = joint_action_get(corridor=corridor, pk=joint_pk)
        if joint_action is None:
            raise Http404("No such joint action")
        try:
            services.joint_action_transition(
                actor=cast(User, request.user),
                joint_action=joint_action,
                workspace=self.workspace,
                action=action,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied from error
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(
            JointActionSerializer(joint_action_get(corridor=corridor, pk=joint_pk)).data
        )


NESTED = "workspaces/<slug:workspace_slug>/corridors"

urlpatterns: list[URLPattern] = [
    path(
        f"{NESTED}/",
        CorridorViewSet.as_view({"get": "list", "post": "create"}),
        name="corridor-list",
    ),
    path(
        f"{NESTED}/<int:pk>/",
        CorridorViewSet.as_view({"get": "retrieve"}),
        name="corridor-detail",
    ),
    path(
        f"{NESTED}/<int:pk>/joint-actions/",
        JointActionListView.as_view(),
        name="corridor-joint-action-list",
    ),
    path(
        f"{NESTED}/<int:pk>/joint-actions/<int:joint_pk>/<jointaction:action>/",
        JointActionTransitionView.as_view(),
        name="corridor-joint-action-transition",
    ),
    path(
        f"{NESTED}/<int:pk>/<corridoraction:action>/",
        CorridorTransitionView.as_view(),
        name="corridor-transition",
    ),
]
