"""API of observations (serializers, viewsets and routes), nested under the workspace.

Readers who may not see drafts get the observations approved at least once, with the values of
their last approved version (`ReviewStateSerializerMixin`). Writes go through
`indicators.services.observations`: POST enters a value or changes the one with the same
natural key (an upsert; `bulk/`, in `indicators.api.imports`, does that for many rows all or
nothing, set-based like an import), PATCH needs the ETag in If-Match and goes through
`review_edit`. `review/` applies one review action to every observation matching the list's
filters.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.review import ReviewableViewSetMixin, ReviewStateSerializerMixin
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import TRANSITIONS, review_transition

from ..choices import TOTAL, Axis, Quality
from ..forms.observations import ObservationFilterForm
from ..models import AXIS_FIELDS, DataSource, Dimension, Indicator, Observation
from ..selectors.observations import (
    ObservationFilters,
    data_source_list,
    observable_indicators,
    observation_list,
    observation_review_selection,
)
from ..services import observations as services
from ..validation import parse_value

FILTERS = [
    OpenApiParameter("indicator", str, description="An indicator's id or code."),
    OpenApiParameter("dimension", int, description="A dimension's id."),
    OpenApiParameter("period_from", int, description="First year (inclusive)."),
    OpenApiParameter("period_to", int, description="Last year (inclusive)."),
    OpenApiParameter("review_state", str, description="draft, submitted, approved or returned."),
    OpenApiParameter("import_job", int, description="Values of one import."),
    OpenApiParameter("source", int, description="Values citing one data source."),
    *(
        OpenApiParameter(axis, str, description=f"{axis} code (SDMX-style).")
        for axis in Axis.values
    ),
]
KEY_FIELDS = ("indicator", "period", *AXIS_FIELDS)


def parse_filters(params: Any) -> ObservationFilters:
    """The selection named by query parameters (400 with the messages when one is invalid)."""
    form = ObservationFilterForm(params, dimensions=Dimension.objects.all())
    if not form.is_valid():
        raise exceptions.ValidationError(
            {name: [str(message) for message in errors] for name, errors in form.errors.items()}
        )
    return form.filters()


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Id or code."}
)
class IndicatorField(serializers.RelatedField):
    """An indicator by id or by code, among those the workspace may hold values for."""

    default_error_messages = {"unknown": "No indicator “{value}” is available in this workspace."}

    def get_queryset(self) -> QuerySet[Indicator]:
        workspace = self.context.get("workspace")
        if workspace is None:
            return Indicator.objects.none()
        return observable_indicators(workspace=workspace)

    def to_internal_value(self, data: Any) -> Indicator:
        text = str(data).strip()
        queryset = self.get_queryset()
        found = (
            queryset.filter(pk=int(text)).first()
            if text.isdigit()
            else queryset.filter(code=text).order_by("framework__position").first()
        )
        if found is None:
            self.fail("unknown", value=text)
        return cast(Indicator, found)

    def to_representation(self, value: Any) -> int:
        return int(value.pk)


class SourceField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[DataSource]:
        workspace = self.context.get("workspace")
        perms = self.context.get("workspace_perms") or frozenset()
        if workspace is None:
            return DataSource.objects.none()
        return data_source_list(workspace=workspace, perms=perms)


class ObservationSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):
    """A value of an indicator for a period and a breakdown (axes default to `_T`)."""

    indicator: Any = IndicatorField(help_text="Id or code.")
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.CharField(
        max_length=7, help_text="A year (2024), a quarter (2024-Q2) or a month (2024-05)."
    )
    value = serializers.CharField(
        max_length=40, help_text="A number; an ordinal takes its rank or its category label."
    )
    source: Any = SourceField(required=False, allow_null=True)
    quality = serializers.ChoiceField(choices=Quality.choices, default=Quality.PROVISIONAL)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "period",
            "year",
            *AXIS_FIELDS,
            "value",
            "source",
            "quality",
            "note",
            "entered_by",
            "import_job",
            "created_at",
            "updated_at",
            "review_state",
            "version",
            "approved_version",
            "approved_at",
            "shared_for_consultation",
            "lock_version",
        ]
        read_only_fields = ["year", "entered_by", "import_job", "created_at", "updated_at"]
        extra_kwargs = {axis: {"required": False, "default": TOTAL} for axis in AXIS_FIELDS}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if data.get("value") is not None:
            data["value"] = services_decimal(data["value"])
        return data


def services_decimal(value: Any) -> str:
    """A stored decimal as plain text without trailing zeros ("12.5", "100")."""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def save_row(*, actor: User, workspace: Any, data: dict[str, Any]) -> tuple[Observation, bool]:
    return services.observation_save(
        actor=actor,
        workspace=workspace,
        indicator=data["indicator"],
        period=data["period"],
        axes={axis: data.get(axis, TOTAL) for axis in AXIS_FIELDS},
        value=data["value"],
        source=data.get("source"),
        quality=data.get("quality", Quality.PROVISIONAL),
        note=data.get("note", ""),
    )


class BatchReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "approve", "return"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BatchReviewResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    count = serializers.IntegerField()


@extend_schema(parameters=[WORKSPACE_SLUG])
class ObservationViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Observations of the workspace. POST is an upsert by natural key (201 when created, 200
    when the existing value changed); PATCH (value, source, quality, note) needs If-Match."""

    model = Observation
    serializer_class = ObservationSerializer
    read_permission = Perm.ACCESS
    filter_backends: list[Any] = []  # querysets come restricted from the selectors

    @property
    def write_permission(self) -> Perm:  # type: ignore[override]
        if getattr(self, "action", None) == "review":
            action = self.request.data.get("action") if hasattr(self.request.data, "get") else None
            return TRANSITIONS.get(str(action), Perm.SUBMIT)
        return Perm.EDIT

    @property
    def perms(self) -> frozenset[Perm]:
        if not hasattr(self, "_workspace_perms"):
            # WorkspacePermission has looked them up already (kept on the view).
            known = getattr(self, "workspace_perms", None)
            self._workspace_perms = (
                known if known is not None else workspace_perms(self.request.user, self.workspace)
            )
        return self._workspace_perms

    def selected(self) -> QuerySet[Observation]:
        filters = parse_filters(self.request.query_params) if self.action == "list" else None
        return observation_list(workspace=self.workspace, perms=self.perms, filters=filters)

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observation, created = save_row(
            actor=self.actor, workspace=self.workspace, data=dict(serializer.validated_data)
        )
        output = self.get_serializer(self.reread(observation))
        return Response(
            output.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def review_changes(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        raw = self.request.data if hasattr(self.request.data, "keys") else {}
        fixed = [name for name in KEY_FIELDS if name in raw]
        if fixed:
            raise exceptions.ValidationError(
                {
                    name: [_("The indicator, period and breakdown of a value do not change.")]
                    for name in fixed
                }
            )
        changes: dict[str, Any] = {}
        instance = serializer.instance
        if "value" in raw:
            number, problem = parse_value(instance.indicator, data["value"])
            if problem:
                raise exceptions.ValidationError({"value": [problem]})
            changes["value"] = number
        if "source" in raw:
            source = data.get("source")
            changes["source_id"] = source.pk if source is not None else None
        if "quality" in raw:
            changes["quality"] = data["quality"]
        if "note" in raw:
            changes["note"] = (data.get("note") or "").strip()
        return changes

    def perform_destroy(self, instance: Observation) -> None:
        services.observation_delete(actor=self.actor, observation=instance)

    @extend_schema(
        parameters=FILTERS, request=BatchReviewSerializer, responses=BatchReviewResultSerializer
    )
    def review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Apply one review action to every observation matching the filters (query string):
        all of them, or none. Values you submitted are left for another reviewer."""
        serializer = BatchReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = serializer.validated_data["action"]
        if TRANSITIONS[action] not in self.perms:
            raise exceptions.PermissionDenied
        selection = observation_list(
            workspace=self.workspace, perms=self.perms, filters=parse_filters(request.query_params)
        )
        items = list(
            observation_review_selection(selection, action=action, actor=request.user)
            .select_related(None)
            .only("pk", "workspace_id")
        )
        if not items:
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        _("No value in this selection can be given this action now.")
                    ]
                }
            )
        review_transition(
            actor=self.actor,
            action=action,
            items=items,
            reason=serializer.validated_data["reason"],
        )
        return Response({"action": action, "count": len(items)})


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/observations/",
        ObservationViewSet.as_view({"get": "list", "post": "create"}),
        name="observation-list",
    ),
    path(
        f"{NESTED}/observations/review/",
        ObservationViewSet.as_view({"post": "review"}),
        name="observation-review",
    ),
    path(
        f"{NESTED}/observations/<int:pk>/",
        ObservationViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="observation-detail",
    ),
]
