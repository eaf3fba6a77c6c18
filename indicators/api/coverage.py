"""API of coverage and gaps: the coverage matrix of a workspace and its data gaps (CRUD).

`GET /api/workspaces/<slug>/coverage/` answers with the same states as the page (readers who
do not see drafts get approved / missing only); `framework`, `end` and `years` choose the
window. Data gaps are read by every member and written by editors and coordinators.
"""

from __future__ import annotations

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

from stakeholders.access import WorkspacePermission
from stakeholders.api.serializers import WorkspaceOrganisationField, WorkspaceScoped
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm, workspace_perms

from ..choices import FIRST_YEAR, LAST_YEAR, GapReason, GapStatus
from ..models import DataGap, Indicator
from ..selectors.coverage import (
    coverage_framework,
    coverage_matrix,
    coverage_window,
    data_gap_list,
    gap_indicator_list,
)
from ..services import gaps as services

# Coverage --------------------------------------------------------------------------------------


class CoverageCellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["approved", "draft", "missing"])
    pending = serializers.BooleanField(help_text="A value waits for review (editors' view).")
    both_sexes = serializers.BooleanField(help_text="Approved values for F and for M.")
    gap = serializers.IntegerField(allow_null=True, help_text="An open data gap of this cell.")


class CoverageIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    sex_applicable = serializers.BooleanField()
    sex_years = serializers.IntegerField()
    approved_count = serializers.IntegerField()
    cells = CoverageCellSerializer(many=True)


class CoverageGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    approved_share = serializers.IntegerField(help_text="Percent of cells with approved data.")
    indicators = CoverageIndicatorSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    framework = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    approved_share = serializers.IntegerField()
    dimensions = CoverageGroupSerializer(many=True)


@extend_schema(
    parameters=[
        WORKSPACE_SLUG,
        OpenApiParameter("framework", str, description="Framework code (default: starter)."),
        OpenApiParameter("end", int, description="Last year of the window (default: this year)."),
        OpenApiParameter("years", int, description="Number of years, 1 to 30 (default 10)."),
    ],
    responses=CoverageSerializer,
)
class CoverageView(APIView):
    """Each indicator × year: approved, draft (readers who see drafts only) or missing."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS

    def get(self, request: Request, workspace_slug: str) -> Response:
        workspace = self.workspace  # type: ignore[attr-defined]
        perms = self.workspace_perms  # type: ignore[attr-defined]
        code = request.query_params.get("framework") or None
        framework = coverage_framework(code)
        if framework is None or (code and framework.code != code):
            raise exceptions.ValidationError({"framework": [_("No framework has this code.")]})
        size = request.query_params.get("years", "10")
        if not size.isdigit() or not 1 <= int(size) <= 30:
            raise exceptions.ValidationError({"years": [_("Enter a number from 1 to 30.")]})
        end = request.query_params.get("end")
        if end is not None and (not end.isdigit() or not FIRST_YEAR <= int(end) <= LAST_YEAR):
            raise exceptions.ValidationError(
                {
                    "end": [
                        _("Enter a year from %(first)s to %(last)s.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR}
                    ]
                }
            )
        years = coverage_window(end, size=int(size))
        matrix = coverage_matrix(workspace=workspace, perms=perms, framework=framework, years=years)
        data = {
            "framework": framework.code,
            "years": years,
            "approved_share": matrix.approved_share,
            "dimensions": [
                {
                    "key": group.key,
                    "name": group.name,
                    "approved_share": group.approved_share,
                    "indicators": [
                        {
                            "id": row.indicator.pk,
                            "code": row.indicator.code,
                            "name": row.indicator.name,
                            "sex_applicable": row.sex_applicable,
                            "sex_years": row.sex_years,
                            "approved_count": row.approved_count,
                            "cells": [
                                {
                                    "year": cell.year,
                                    "state": cell.state,
                                    "pending": cell.pending,
                                    "both_sexes": cell.both_sexes,
                                    "gap": cell.gap.pk if cell.gap else None,
                                }
                                for cell in row.cells
                            ],
                        }
                        for row in group.rows
                    ],
                }
                for group in matrix.groups
            ],
        }
        return Response(CoverageSerializer(data).data)


# Data gaps -------------------------------------------------------------------------------------


class GapIndicatorField(serializers.PrimaryKeyRelatedField):
    """An indicator id among the catalogue's and the workspace's own indicators."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Indicator.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Indicator]:
        serializer = self.root
        workspace = (
            serializer.workspace_scope() if isinstance(serializer, WorkspaceScoped) else None
        )
        if workspace is None:
            return Indicator.objects.none()
        return gap_indicator_list(workspace=workspace)


class DataGapSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A data gap: indicator (and year), reason, owner organisation, planned action, status."""

    indicator = GapIndicatorField()
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    owner = WorkspaceOrganisationField(required=False, allow_null=True)
    reason = serializers.ChoiceField(choices=GapReason.choices)
    status = serializers.ChoiceField(choices=GapStatus.choices, required=False)
    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, allow_null=True
    )

    class Meta:
        model = DataGap
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "year",
            "reason",
            "owner",
            "planned_action",
            "planned_date",
            "status",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


FILTERS = [
    OpenApiParameter("status", str, enum=GapStatus.values),
    OpenApiParameter("reason", str, enum=GapReason.values),
    OpenApiParameter("dimension", int, description="Dimension id."),
    OpenApiParameter("owner", int, description="Owner organisation id."),
    OpenApiParameter("indicator", int, description="Indicator id."),
]


@extend_schema(parameters=[WORKSPACE_SLUG])
class DataGapViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Data gaps of the workspace. Filter the list by status, reason, dimension, owner and
    indicator; members read, editors and coordinators write."""

    model = DataGap
    serializer_class = DataGapSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    filter_backends: list[Any] = []  # the selector restricts to the workspace

    def perms(self) -> frozenset[Perm]:
        found = getattr(self, "workspace_perms", None)
        if found is None:
            found = workspace_perms(self.request.user, self.workspace)
        return cast(frozenset[Perm], found)

    def selected(self) -> QuerySet[DataGap]:
        params = self.request.query_params if self.action == "list" else {}
        for name, values in (("status", GapStatus.values), ("reason", GapReason.values)):
            value = params.get(name, "")
            if value and value not in values:
                raise exceptions.ValidationError(
                    {name: [_("Choose one of: %(values)s.") % {"values": ", ".join(values)}]}
                )
        return data_gap_list(
            workspace=self.workspace,
            perms=self.perms(),
            **{
                name: str(params.get(name, ""))
                for name in ("status", "reason", "dimension", "owner", "indicator")
            },
        )

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            gap = services.data_gap_create(
                actor=cast(User, request.user),
                workspace=self.workspace,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_messages(error)) from error
        output = self.get_serializer(self.reread(gap))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.data_gap_update(
                actor=cast(User, self.request.user),
                gap=serializer.instance,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_messages(error)) from error

    def perform_destroy(self, instance: DataGap) -> None:
        services.data_gap_delete(actor=cast(User, self.request.user), gap=instance)

    def get_object(self) -> DataGap:
        gap = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if gap is None:
            raise Http404("No such data gap")
        return gap


def _messages(error: DjangoValidationError) -> Any:
    return error.message_dict if hasattr(error, "error_dict") else error.messages


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(f"{NESTED}/coverage/", CoverageView.as_view(), name="indicators-coverage"),
    path(
        f"{NESTED}/gaps/",
        DataGapViewSet.as_view({"get": "list", "post": "create"}),
        name="data-gap-list",
    ),
    path(
        f"{NESTED}/gaps/<int:pk>/",
        DataGapViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="data-gap-detail",
    ),
]
