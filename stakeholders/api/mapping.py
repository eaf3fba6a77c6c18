"""API of stakeholder mapping and capacity needs (serializers, viewsets and routes).

Every member with access reads; Perm.EDIT writes, through `stakeholders.mapping_services`.
Engagement notes are left out (null) for readers who do not see them on the page either
(`mapping_selectors.sees_engagement_notes`).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from .. import mapping_selectors as selectors
from .. import mapping_services as services
from ..access import WorkspacePermission
from ..choices import CapacityArea, NeedPriority, ProcessRole
from ..coordination_models import CapacityNeed, StakeholderProfile
from ..permissions import Perm
from .serializers import WorkspaceOrganisationField, WorkspaceScoped
from .views import WORKSPACE_SLUG, StakeholdersViewSet

GROUP_FILTER = OpenApiParameter(
    "group",
    str,
    enum=list(selectors.KIND_GROUPS),
    description="Only organisations of this kind group (ministries and agencies, …).",
)
ROLE_FILTER = OpenApiParameter("role", str, enum=ProcessRole.values, description="Process role.")
NEED_FILTERS = [
    OpenApiParameter("organisation", int, description="Only this organisation's needs."),
    OpenApiParameter("area", str, enum=CapacityArea.values),
    OpenApiParameter("priority", str, enum=NeedPriority.values),
    OpenApiParameter("met", bool, description="true: met needs only; false: open needs only."),
]


# Serializers -----------------------------------------------------------------------------------


class StakeholderProfileSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """An organisation's place on the map: interest and influence from 1 to 5, role, notes."""

    organisation = WorkspaceOrganisationField()
    organisation_name = serializers.CharField(source="organisation.__str__", read_only=True)
    organisation_kind = serializers.CharField(source="organisation.kind", read_only=True)
    kind_group = serializers.SerializerMethodField()
    interest = serializers.IntegerField(min_value=1, max_value=5)
    influence = serializers.IntegerField(min_value=1, max_value=5)
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = StakeholderProfile
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "kind_group",
            "interest",
            "influence",
            "role",
            "notes",
        ]

    def get_kind_group(self, profile: StakeholderProfile) -> str:
        return selectors.kind_group_of(profile.organisation.kind)

    def validate_organisation(self, value: Any) -> Any:
        if self.instance is not None and value.pk != self.instance.organisation_id:
            raise serializers.ValidationError(_("The organisation of a profile cannot change."))
        return value

    def validate_notes(self, value: str | None) -> str:
        return value or ""

    def to_representation(self, instance: StakeholderProfile) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not selectors.sees_engagement_notes(self.context.get("workspace_perms", frozenset())):
            data["notes"] = None
        return data


class CapacityNeedSerializer(WorkspaceScoped, serializers.ModelSerializer):
    organisation = WorkspaceOrganisationField()
    organisation_name = serializers.CharField(source="organisation.__str__", read_only=True)
    supported_by = WorkspaceOrganisationField(required=False, allow_null=True)

    class Meta:
        model = CapacityNeed
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "area",
            "description",
            "priority",
            "planned_support",
            "supported_by",
            "met",
        ]


class AreaSummarySerializer(serializers.Serializer):
    area = serializers.CharField()
    label = serializers.CharField()
    by_priority = serializers.DictField(child=serializers.IntegerField())
    open = serializers.IntegerField()
    met = serializers.IntegerField()
    total = serializers.IntegerField()


class OrganisationSummarySerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    name = serializers.CharField()
    open = serializers.IntegerField()
    met = serializers.IntegerField()
    total = serializers.IntegerField()


class CapacitySummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    met = serializers.IntegerField()
    areas = AreaSummarySerializer(many=True)
    organisations = OrganisationSummarySerializer(many=True)


# Views -----------------------------------------------------------------------------------------


class MappingViewSet(StakeholdersViewSet):
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    workspace_perms: frozenset[Perm]

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "workspace_perms": getattr(self, "workspace_perms", frozenset()),
        }


@extend_schema(parameters=[WORKSPACE_SLUG, GROUP_FILTER, ROLE_FILTER])
class StakeholderProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MappingViewSet,
):
    """The workspace's stakeholder map; editors place, change and remove organisations."""

    model = StakeholderProfile
    serializer_class = StakeholderProfileSerializer

    def selected(self) -> QuerySet[StakeholderProfile]:
        query = self.request.query_params
        return selectors.stakeholder_profile_list(
            user=self.request.user,
            workspace=self.workspace,
            kind_group=query.get("group", ""),
            role=query.get("role", ""),
        )

    def perform_create(self, serializer: BaseSerializer[StakeholderProfile]) -> None:
        profile = services.stakeholder_profile_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(profile)

    def perform_update(self, serializer: BaseSerializer[StakeholderProfile]) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("organisation", None)
        profile = services.stakeholder_profile_update(
            actor=self.actor, profile=cast(StakeholderProfile, serializer.instance), **fields
        )
        serializer.instance = self.reread(profile)

    def perform_destroy(self, instance: StakeholderProfile) -> None:
        services.stakeholder_profile_delete(actor=self.actor, profile=instance)


@extend_schema(parameters=[WORKSPACE_SLUG, *NEED_FILTERS])
class CapacityNeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MappingViewSet,
):
    """Capacity needs of the workspace's organisations; PATCH `{"met": true}` marks one met."""

    model = CapacityNeed
    serializer_class = CapacityNeedSerializer

    def selected(self) -> QuerySet[CapacityNeed]:
        query = self.request.query_params
        organisation = query.get("organisation", "")
        met = {"true": True, "false": False}.get(query.get("met", "").lower())
        return selectors.capacity_need_list(
            user=self.request.user,
            workspace=self.workspace,
            organisation=int(organisation) if organisation.isdigit() else None,
            area=query.get("area", ""),
            priority=query.get("priority", ""),
            met=met,
        )

    def perform_create(self, serializer: BaseSerializer[CapacityNeed]) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("met", None)
        need = services.capacity_need_create(actor=self.actor, workspace=self.workspace, **fields)
        serializer.instance = self.reread(need)

    def perform_update(self, serializer: BaseSerializer[CapacityNeed]) -> None:
        need = services.capacity_need_update(
            actor=self.actor,
            need=cast(CapacityNeed, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = self.reread(need)

    def perform_destroy(self, instance: CapacityNeed) -> None:
        services.capacity_need_delete(actor=self.actor, need=instance)


@extend_schema(parameters=[WORKSPACE_SLUG], responses=CapacitySummarySerializer)
class CapacitySummaryView(APIView):
    """Capacity needs counted by area × priority, by organisation, open against met."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS

    def get(self, request: Request, workspace_slug: str) -> Response:
        summary = selectors.capacity_summary(user=request.user, workspace=self.workspace)  # type: ignore[attr-defined]
        data = {
            "total": summary.total,
            "open": summary.open,
            "met": summary.met,
            "areas": [
                {
                    "area": row.area,
                    "label": str(row.label),
                    "by_priority": row.by_priority,
                    "open": row.open,
                    "met": row.met,
                    "total": row.total,
                }
                for row in summary.areas
            ],
            "organisations": [
                {
                    "organisation_id": row.organisation_id,
                    "name": row.name,
                    "open": row.open,
                    "met": row.met,
                    "total": row.total,
                }
                for row in summary.organisations
            ],
        }
        return Response(CapacitySummarySerializer(data).data)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns: list[URLPattern] = [
    path(
        f"{NESTED}/stakeholder-profiles/",
        StakeholderProfileViewSet.as_view({"get": "list", "post": "create"}),
        name="stakeholder-profile-list",
    ),
    path(
        f"{NESTED}/stakeholder-profiles/<int:pk>/",
        StakeholderProfileViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="stakeholder-profile-detail",
    ),
    path(
        f"{NESTED}/capacity-needs/",
        CapacityNeedViewSet.as_view({"get": "list", "post": "create"}),
        name="capacity-need-list",
    ),
    path(
        f"{NESTED}/capacity-needs/summary/",
        CapacitySummaryView.as_view(),
        name="capacity-need-summary",
    ),
    path(
        f"{NESTED}/capacity-needs/<int:pk>/",
        CapacityNeedViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="capacity-need-detail",
    ),
]
