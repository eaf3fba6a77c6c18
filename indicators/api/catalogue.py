"""API of the indicator catalogue (serializers, viewsets and routes).

Catalogue-wide, read-only for any signed-in user: `/api/frameworks/`, `/api/dimensions/`,
`/api/indicators/` (indicators of frameworks only). A workspace's own indicators are nested:
`/api/workspaces/<slug>/indicators/` — read with access to the workspace, written (POST, PATCH,
DELETE) by its editors and coordinators through `indicators.services.catalogue`.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm

from ..choices import Axis, IndicatorDirection, IndicatorLevel, ValueType
from ..models import Dimension, Framework, Indicator, Unit
from ..selectors.catalogue import (
    catalogue_indicator_list,
    custom_indicator_list,
    dimension_list,
    framework_list,
    starter_framework,
)
from ..services import catalogue as services

FRAMEWORK_FILTER = OpenApiParameter(
    "framework", str, description="Only this framework's: its id or its code (e.g. starter)."
)
DIMENSION_FILTER = OpenApiParameter("dimension", int, description="Only this dimension's.")
CODE_FILTER = OpenApiParameter("code", str, description="The indicator with this code.")
SEARCH_FILTER = OpenApiParameter(
    "search", str, description="Code, name or definition containing these letters."
)


# Serializers -----------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    """A unit of measure with its bounds (null: no bound on that side)."""

    class Meta:
        model = Unit
        fields = ["code", "name", "minimum", "maximum"]
        read_only_fields = fields


class FrameworkSerializer(serializers.ModelSerializer):
    dimension_count = serializers.IntegerField(read_only=True)
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "name",
            "version",
            "description",
            "provenance",
            "position",
            "dimension_count",
            "indicator_count",
        ]
        read_only_fields = fields


class DimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["id", "framework", "code", "name", "scope", "position"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its provenance; `workspace` is set for a workspace's own."""

    unit = UnitSerializer(read_only=True)
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    disaggregations = serializers.ListField(
        child=serializers.ChoiceField(choices=Axis.choices), read_only=True
    )
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    titles = serializers.SerializerMethodField()
    # Plain text here: the writable serializer below holds the enums, so that the schema names
    # each choice set once (drf-spectacular warns on the same field name in two components).
    level = serializers.CharField(read_only=True, help_text="national, subnational or household.")
    direction = serializers.CharField(
        read_only=True, help_text="higher_is_better, lower_is_better or neutral."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "framework",
            "workspace",
            "dimension",
            "code",
            "name",
            "titles",
            "definition",
            "unit",
            "value_type",
            "categories",
            "level",
            "disaggregations",
            "source_org",
            "source_ref",
            "direction",
            "emp_annex",
            "target",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_titles(self, indicator: Indicator) -> dict[str, str]:
        return {str(key): str(value) for key, value in (indicator.titles or {}).items()}


class StarterDimensionField(serializers.PrimaryKeyRelatedField):
    """A dimension id of the starter framework (custom indicators sit in those)."""

    def get_queryset(self) -> Any:
        starter = starter_framework()
        return dimension_list(framework=starter) if starter else Dimension.objects.none()


class CustomIndicatorSerializer(IndicatorSerializer):
    """A workspace's own indicator; the unit is written as its code (e.g. percent)."""

    dimension = StarterDimensionField(queryset=Dimension.objects.none())
    unit_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), source="unit", write_only=True
    )
    value_type = serializers.ChoiceField(choices=ValueType.choices, default=ValueType.NUMBER)
    categories = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Ordinal indicators: the category labels, lowest first.",
    )
    level = serializers.ChoiceField(choices=IndicatorLevel.choices, default=IndicatorLevel.NATIONAL)
    disaggregations = serializers.ListField(
        child=serializers.ChoiceField(choices=Axis.choices), required=False
    )
    direction = serializers.ChoiceField(
        choices=IndicatorDirection.choices, default=IndicatorDirection.NEUTRAL
    )

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "unit_code"]
        read_only_fields = ["id", "framework", "workspace", "titles", "emp_annex", "target", "note"]
        extra_kwargs = {"definition": {"required": False}}
        validators: list[Any] = []  # the service checks codes (and says which rule failed)


# Viewsets --------------------------------------------------------------------------------------


class CatalogueViewSet(StakeholdersViewSet):
    """Catalogue-wide resources: any signed-in user reads them; nothing is written here."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list[Any] = []  # the catalogue is not a workspace's: no restriction


def _framework_filter(value: str) -> dict[str, Any]:
    value = value.strip()
    if not value:
        return {}
    return {"framework_id": int(value)} if value.isdigit() else {"framework__code": value}


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise exceptions.ValidationError({name: [_("Enter a whole number (an id).")]})
    return int(value)


class FrameworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogueViewSet):
    """Indicator frameworks with their counts of dimensions and indicators."""

    model = Framework
    serializer_class = FrameworkSerializer

    def selected(self) -> QuerySet[Framework]:
        return framework_list()


class DimensionViewSet(mixins.ListModelMixin, CatalogueViewSet):
    """Dimensions of the frameworks; filter by `framework` (id or code)."""

    model = Dimension
    serializer_class = DimensionSerializer

    def selected(self) -> QuerySet[Dimension]:
        return dimension_list().filter(
            **_framework_filter(self.request.query_params.get("framework", ""))
        )

    @extend_schema(parameters=[FRAMEWORK_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogueViewSet):
    """Indicators of the frameworks (a workspace's own are under the workspace).

    Filters: `framework` (id or code), `dimension` (id), `code`, `search`."""

    model = Indicator
    serializer_class = IndicatorSerializer

    def selected(self) -> QuerySet[Indicator]:
        params = self.request.query_params
        queryset = catalogue_indicator_list(
            dimension=_int_param(self.request, "dimension"),
            code=params.get("code", ""),
            search=params.get("search", ""),
        )
        return queryset.filter(**_framework_filter(params.get("framework", "")))

    @extend_schema(parameters=[FRAMEWORK_FILTER, DIMENSION_FILTER, CODE_FILTER, SEARCH_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


@extend_schema(parameters=[WORKSPACE_SLUG])
class CustomIndicatorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """A workspace's own indicators. Members read them; editors and coordinators add
    (POST), change (PATCH) and delete them (DELETE; refused while it has values)."""

    model = Indicator
    serializer_class = CustomIndicatorSerializer
    filter_backends: list[Any] = []  # the selector restricts to the workspace and the reader
    write_permission = Perm.EDIT
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def selected(self) -> QuerySet[Indicator]:
        return custom_indicator_list(
            user=self.request.user,
            workspace=self.workspace,
            search=self.request.query_params.get("search", ""),
            dimension=_int_param(self.request, "dimension"),
        )

    @extend_schema(parameters=[DIMENSION_FILTER, SEARCH_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = services.custom_indicator_create(
            actor=cast(User, request.user), workspace=self.workspace, **serializer.validated_data
        )
        output = self.get_serializer(self.reread(indicator))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.custom_indicator_update(
            actor=cast(User, self.request.user),
            indicator=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Indicator) -> None:
        services.custom_indicator_delete(actor=cast(User, self.request.user), indicator=instance)

    def reread(self, obj: Indicator) -> Indicator:
        return custom_indicator_list(user=self.request.user, workspace=self.workspace).get(
            pk=obj.pk
        )


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path("frameworks/", FrameworkViewSet.as_view({"get": "list"}), name="framework-list"),
    path(
        "frameworks/<int:pk>/",
        FrameworkViewSet.as_view({"get": "retrieve"}),
        name="framework-detail",
    ),
    path("dimensions/", DimensionViewSet.as_view({"get": "list"}), name="dimension-list"),
    path("indicators/", IndicatorViewSet.as_view({"get": "list"}), name="indicator-list"),
    path(
        "indicators/<int:pk>/",
        IndicatorViewSet.as_view({"get": "retrieve"}),
        name="indicator-detail",
    ),
    path(
        f"{NESTED}/indicators/",
        CustomIndicatorViewSet.as_view({"get": "list", "post": "create"}),
        name="custom-indicator-list",
    ),
    path(
        f"{NESTED}/indicators/<int:pk>/",
        CustomIndicatorViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="custom-indicator-detail",
    ),
]
