"""API of the planning cycle: monitoring (serializers, viewsets and routes).

KPIs carry their computed status (`mainstreaming.progress`); readers without the right to see
drafts get the approved snapshot and a status computed from approved updates only. Content
changes (PATCH) need the ETag in If-Match and go through `review_edit`; review transitions use
the generic endpoints of `stakeholders.api.review`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.periods import validate_period
from stakeholders.access import WorkspacePermission
from stakeholders.api.review import ReviewableViewSetMixin, ReviewStateSerializerMixin
from stakeholders.api.serializers import WorkspaceOrganisationField, WorkspaceScoped
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm, workspace_perms

from ..choices import ProgressStatus
from ..models import KPI, Action, Cycle, Objective, ProgressUpdate
from ..progress import progress_for
from ..selectors.cycles import cycle_list
from ..selectors.monitoring import (
    filter_rows,
    kpi_list,
    kpi_rows_for,
    kpi_statuses,
    objective_or_action_list,
    organisation_summaries,
    progress_update_list,
    status_counts,
)
from ..services import monitoring as services

STATUS_FILTER = OpenApiParameter(
    "status", str, enum=ProgressStatus.values, description="Only KPIs with this status."
)
ORGANISATION_FILTER = OpenApiParameter(
    "organisation", int, description="Only KPIs this organisation is responsible for."
)


# Serializers -----------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    reason = serializers.CharField()
    latest_period = serializers.CharField(allow_null=True)
    latest_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    expected = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)


class TargetsField(serializers.DictField):
    """Targets per year: {"2027": "40"}; values are decimals."""

    child = serializers.DecimalField(max_digits=20, decimal_places=4)

    def to_internal_value(self, data: Any) -> dict[int, Decimal]:
        values = super().to_internal_value(data)
        result: dict[int, Decimal] = {}
        for year, value in values.items():
            if not str(year).isdigit():
                raise serializers.ValidationError(_("%(year)s is not a year.") % {"year": year})
            result[int(year)] = value
        return result

    def to_representation(self, value: Any) -> dict[str, str]:
        return {str(year): str(target) for year, target in (value or {}).items()}


class KPISerializer(WorkspaceScoped, ReviewStateSerializerMixin, serializers.ModelSerializer):
    """A KPI of an objective or an action, with targets per year and its computed status."""

    # Set once, on creation (read from the request by the viewset, among the cycle's items).
    objective: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    action: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    responsible_organisation = WorkspaceOrganisationField()
    targets = TargetsField(required=False)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = KPI
        fields = [
            "id",
            "cycle",
            "objective",
            "action",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "targets",
            "responsible_organisation",
            "catalogue_code",
            "progress",
            "review_state",
            "version",
            "approved_version",
            "approved_at",
            "shared_for_consultation",
            "lock_version",
        ]
        read_only_fields = ["cycle"]

    def get_progress(self, kpi: KPI) -> dict[str, Any]:
        perms = self.context.get("workspace_perms") or frozenset()
        progress = getattr(kpi, "listed_progress", None)  # computed by the list (kpi_statuses)
        if progress is None:
            updates = getattr(kpi, "visible_updates", None)
            if updates is None:  # a KPI fresh from a write: its updates are read once
                updates = list(kpi.updates.all())
            progress = progress_for(kpi, updates, sees_drafts=Perm.VIEW_DRAFTS in perms)
        data = ProgressSerializer(
            {
                "status": progress.status,
                "reason": progress.reason,
                "latest_period": progress.latest_period,
                "latest_value": progress.latest_value,
                "target": progress.target,
                "target_year": progress.target_year,
                "expected": progress.expected,
            }
        ).data
        return cast(dict[str, Any], data)


class ProgressUpdateSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):
    """An actual value of a KPI for a period."""

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "kpi",
            "period",
            "actual_value",
            "note",
            "evidence_url",
            "reporter",
            "review_state",
            "version",
            "approved_version",
            "approved_at",
            "shared_for_consultation",
            "lock_version",
        ]
        read_only_fields = ["kpi", "reporter"]

    period = serializers.CharField(
        max_length=7, help_text="A year (2024), a quarter (2024-Q2) or a month (2024-05)."
    )

    def validate_period(self, value: str) -> str:
        period = (value or "").strip().upper()
        try:
            validate_period(period)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return period


# Viewsets --------------------------------------------------------------------------------------


class MonitoringViewSet(StakeholdersViewSet):
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    filter_backends: list[Any] = []  # querysets come restricted from the selectors

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        workspace = getattr(self, "workspace", None)
        if workspace is not None:
            if not hasattr(self, "_workspace_perms"):
                self._workspace_perms = workspace_perms(self.request.user, workspace)
            context["workspace_perms"] = self._workspace_perms
        return context

    def cycle(self) -> Cycle:
        cycle = (
            cycle_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["cycle_pk"])
            .first()
        )
        if cycle is None:
            raise Http404("No such cycle")
        return cycle


@extend_schema(parameters=[WORKSPACE_SLUG])
class KPIViewSet(
    ReviewableViewSetMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MonitoringViewSet,
):
    """KPIs of a cycle with their computed status. Filter the list by `status` and
    `organisation`. Create with `objective` or `action` (one of them); PATCH needs If-Match."""

    model = KPI
    serializer_class = KPISerializer

    def selected(self) -> QuerySet[KPI]:
        return kpi_list(user=self.request.user, workspace=self.workspace)

    @extend_schema(parameters=[STATUS_FILTER, ORGANISATION_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cycle = self.cycle()
        perms = self.get_serializer_context()["workspace_perms"]
        organisation = request.query_params.get("organisation", "")
        status_value = request.query_params.get("status", "")
        if status_value and status_value not in ProgressStatus.values:
            raise exceptions.ValidationError(
                {
                    "status": [
                        _("Choose one of: %(values)s.")
                        % {"values": ", ".join(ProgressStatus.values)}
                    ]
                }
            )
        # Every KPI's status from minimal columns; only the page's KPIs are fetched in full.
        lines = kpi_statuses(user=request.user, workspace=self.workspace, cycle=cycle, perms=perms)
        lines = filter_rows(
            lines,
            status=status_value,
            organisation_id=int(organisation) if organisation.isdigit() else None,
        )
        page = self.paginate_queryset(lines)
        rows = kpi_rows_for(
            page if page is not None else lines,
            user=request.user,
            workspace=self.workspace,
            perms=perms,
        )
        kpis = []
        for row in rows:
            row.kpi.listed_progress = row.progress  # type: ignore[attr-defined]
            kpis.append(row.kpi)
        serializer = self.get_serializer(kpis, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cycle = self.cycle()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parents = {}
        for kind in ("objective", "action"):
            raw = request.data.get(kind) if hasattr(request.data, "get") else None
            if raw in (None, ""):
                continue
            parent = objective_or_action_list(
                user=request.user, workspace=self.workspace, cycle=cycle, kind=kind, pk=raw
            )
            if parent is None:
                raise exceptions.ValidationError(
                    {kind: [_("Choose an objective or action of this cycle.")]}
                )
            parents[kind] = parent
        kpi = services.kpi_create(
            actor=cast(User, request.user),
            cycle=cycle,
            objective=cast(Objective | None, parents.get("objective")),
            action=cast(Action | None, parents.get("action")),
            name=data["name"],
            unit=data["unit"],
            direction=data.get("direction", "higher"),
            baseline_value=data["baseline_value"],
            baseline_year=data["baseline_year"],
            targets=data.get("targets", {}),
            responsible_organisation=data["responsible_organisation"],
            catalogue_code=data.get("catalogue_code", ""),
        )
        output = self.get_serializer(self.reread(kpi))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def review_changes(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        for kind in ("objective", "action"):
            if hasattr(self.request.data, "get") and self.request.data.get(kind) is not None:
                raise exceptions.ValidationError(
                    {kind: [_("A KPI stays with the objective or action it was created for.")]}
                )
        if "responsible_organisation" in data:
            data["responsible_organisation_id"] = data.pop("responsible_organisation").pk
        if "targets" in data:
            data["targets"] = services.targets_to_json(data["targets"])
        return data

    def perform_destroy(self, instance: KPI) -> None:
        services.kpi_delete(actor=cast(User, self.request.user), kpi=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class ProgressUpdateViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    MonitoringViewSet,
):
    """Progress updates of a KPI (one per period); readers of approved content see approved
    ones with their approved values. PATCH needs If-Match."""

    model = ProgressUpdate
    serializer_class = ProgressUpdateSerializer

    def selected(self) -> QuerySet[ProgressUpdate]:
        queryset = progress_update_list(user=self.request.user, workspace=self.workspace)
        if "kpi_pk" in self.kwargs:
            queryset = queryset.filter(kpi=self.kpi())
        return queryset.order_by("period", "pk")

    def kpi(self) -> KPI:
        if not hasattr(self, "_kpi"):
            kpi = (
                kpi_list(user=self.request.user, workspace=self.workspace)
                .filter(pk=self.kwargs["kpi_pk"])
                .first()
            )
            if kpi is None:
                raise Http404("No such KPI")
            self._kpi = kpi
        return self._kpi

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = self.kpi()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        update = services.progress_update_create(
            actor=cast(User, request.user),
            kpi=kpi,
            period=data["period"],
            actual_value=data["actual_value"],
            note=data.get("note", ""),
            evidence_url=data.get("evidence_url", ""),
        )
        output = self.get_serializer(self.reread(update))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ProgressUpdate) -> None:
        services.progress_update_delete(actor=cast(User, self.request.user), update=instance)


class MonitoringDashboardSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    organisations = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=[WORKSPACE_SLUG], responses=MonitoringDashboardSerializer)
class MonitoringDashboardView(APIView):
    """How many KPIs of the cycle are on track, at risk, off track or without data, in all and
    per responsible organisation (as the reader sees them)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS

    def get(self, request: Request, workspace_slug: str, cycle_pk: int) -> Response:
        workspace = self.workspace  # type: ignore[attr-defined]
        cycle = cycle_list(user=request.user, workspace=workspace).filter(pk=cycle_pk).first()
        if cycle is None:
            raise Http404("No such cycle")
        perms = workspace_perms(request.user, workspace)
        rows = kpi_statuses(user=request.user, workspace=workspace, cycle=cycle, perms=perms)
        return Response(
            {
                "cycle": cycle.pk,
                "total": len(rows),
                "counts": {count.status: count.count for count in status_counts(rows)},
                "organisations": [
                    {
                        "id": summary.organisation.pk,
                        "name": str(summary.organisation),
                        "total": summary.total,
                        "counts": {count.status: count.count for count in summary.counts},
                    }
                    for summary in organisation_summaries(rows)
                ],
            }
        )


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/cycles/<int:cycle_pk>/kpis/",
        KPIViewSet.as_view({"get": "list", "post": "create"}),
        name="kpi-list",
    ),
    path(
        f"{NESTED}/kpis/<int:pk>/",
        KPIViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="kpi-detail",
    ),
    path(
        f"{NESTED}/kpis/<int:kpi_pk>/updates/",
        ProgressUpdateViewSet.as_view({"get": "list", "post": "create"}),
        name="progress-update-list",
    ),
    path(
        f"{NESTED}/updates/<int:pk>/",
        ProgressUpdateViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="progress-update-detail",
    ),
    path(
        f"{NESTED}/cycles/<int:cycle_pk>/monitoring/",
        MonitoringDashboardView.as_view(),
        name="monitoring-dashboard",
    ),
]
