"""API of profile sections (under /api/workspaces/<slug>/): sections of an edition (detail with
ETag, PATCH with If-Match; review actions through the generic review endpoints with kind
`profiles.section`), their indicator tables and their recommendations. Routes at the bottom."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import path
from django.utils.functional import cached_property
from rest_framework import mixins, serializers

from indicators.models import Indicator
from stakeholders.api.review import (
    REVIEW_STATE_FIELDS,
    ReviewableViewSetMixin,
    ReviewStateSerializerMixin,
)
from stakeholders.api.views import StakeholdersViewSet
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import sees_drafts

from ..models import Recommendation, Section, SectionTable
from ..selectors import sections as selectors
from ..services import sections as services


class SectionSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """A section; `title` and `narrative` are reviewed content."""

    class Meta:
        model = Section
        fields = [
            "id",
            "edition",
            "code",
            "part",
            "title",
            "narrative",
            "has_recommendations",
            "position",
            *REVIEW_STATE_FIELDS,
        ]
        read_only_fields = ["edition", "code", "part", "has_recommendations", "position"]


class SectionDetailSerializer(SectionSerializer):
    """A section with its tables as the reader sees them: live values for a draft read by
    someone who sees drafts, the values frozen at approval otherwise."""

    tables = serializers.SerializerMethodField()
    sources = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    gaps = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(SectionSerializer.Meta):
        fields = [*SectionSerializer.Meta.fields, "guidance", "tables", "sources", "gaps"]
        read_only_fields = [*SectionSerializer.Meta.read_only_fields, "guidance"]

    def get_tables(self, section: Section) -> list[dict[str, Any]]:
        perms = self.context.get("workspace_perms") or frozenset()
        return selectors.section_tables_for_display(
            section, sees_drafts=sees_drafts(perms, section)
        )


class SectionObjectMixin:
    workspace: Any
    kwargs: dict[str, Any]
    request: Any

    @cached_property
    def perms(self) -> frozenset[Perm]:
        return workspace_perms(self.request.user, self.workspace)

    @cached_property
    def section(self) -> Section:
        section = (
            selectors.section_list(workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["section_pk"])
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return section


class SectionViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    StakeholdersViewSet,
):
    """Sections of an edition, in order (`?edition=<id>` filters the list).

    PATCH/PUT need the `If-Match` of the section's ETag (from GET)."""

    model = Section
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    def get_serializer_class(self) -> Any:
        return SectionDetailSerializer if self.action == "retrieve" else SectionSerializer

    def selected(self) -> QuerySet[Section]:
        perms = workspace_perms(self.request.user, self.workspace)
        sections = selectors.section_list(workspace=self.workspace, perms=perms).order_by(
            "edition", "position", "pk"
        )
        edition = self.request.query_params.get("edition")
        if edition and edition.isdigit():
            sections = sections.filter(edition=edition)
        return sections


class SectionTableSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.none())
    # A plain string (checked by the model): an enum here would duplicate the axis choice set.
    axis = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Empty for totals only, or one of the indicator's disaggregation axes.",
    )
    first_year = serializers.IntegerField(required=False, min_value=1950, max_value=2100)
    last_year = serializers.IntegerField(required=False, min_value=1950, max_value=2100)

    class Meta:
        model = SectionTable
        fields = [
            "id",
            "section",
            "indicator",
            "axis",
            "first_year",
            "last_year",
            "kind",
            "position",
        ]
        read_only_fields = ["section", "position"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.context.get("workspace")
        if workspace is not None:
            fields["indicator"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
                Q(workspace__isnull=True) | Q(workspace=workspace)
            )
        return fields


class SectionTableViewSet(
    SectionObjectMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Indicator tables of a section; adding or removing one reopens an approved section."""

    model = SectionTable
    serializer_class = SectionTableSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    # A table has no workspace of its own: its section was fetched restricted (SectionObjectMixin)
    # and the workspace permission was checked by WorkspacePermission.has_permission.
    filter_backends: list[Any] = []

    def check_object_permissions(self, request: Any, obj: Any) -> None:
        """The object is a table of `self.section`, already read through the restriction."""

    def selected(self) -> QuerySet[SectionTable]:
        return selectors.section_table_list(section=self.section)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.section_table_add(
            actor=self.actor,
            section=self.section,
            indicator=data["indicator"],
            axis=data.get("axis") or "",
            first_year=data.get("first_year"),
            last_year=data.get("last_year"),
            kind=data.get("kind") or "table",
        )

    def perform_destroy(self, instance: SectionTable) -> None:
        services.section_table_remove(actor=self.actor, table=instance)


class RecommendationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    priorities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "section", "text", "target", "position", "priorities"]
        read_only_fields = ["section", "position"]


class RecommendationViewSet(
    SectionObjectMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Recommendations of a Part D section, each with its target."""

    model = Recommendation
    serializer_class = RecommendationSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    def selected(self) -> QuerySet[Recommendation]:
        return selectors.recommendation_list(section=self.section)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.recommendation_create(
            actor=self.actor, section=self.section, text=data["text"], target=data["target"]
        )

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.recommendation_update(
            actor=self.actor,
            recommendation=instance,
            text=data.get("text", instance.text),
            target=data.get("target", instance.target),
        )

    def perform_destroy(self, instance: Recommendation) -> None:
        services.recommendation_delete(actor=self.actor, recommendation=instance)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/profile-sections/",
        SectionViewSet.as_view({"get": "list"}),
        name="profile-section-list",
    ),
    path(
        f"{NESTED}/profile-sections/<int:pk>/",
        SectionViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="profile-section-detail",
    ),
    path(
        f"{NESTED}/profile-sections/<int:section_pk>/tables/",
        SectionTableViewSet.as_view({"get": "list", "post": "create"}),
        name="profile-section-table-list",
    ),
    path(
        f"{NESTED}/profile-sections/<int:section_pk>/tables/<int:pk>/",
        SectionTableViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="profile-section-table-detail",
    ),
    path(
        f"{NESTED}/profile-sections/<int:section_pk>/recommendations/",
        RecommendationViewSet.as_view({"get": "list", "post": "create"}),
        name="profile-recommendation-list",
    ),
    path(
        f"{NESTED}/profile-sections/<int:section_pk>/recommendations/<int:pk>/",
        RecommendationViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="profile-recommendation-detail",
    ),
]
