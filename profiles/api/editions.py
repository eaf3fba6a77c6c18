"""API of migration-profile templates and editions; routes at the bottom.

* `/api/profile-templates/` — the presets (read-only, any signed-in user).
* `/api/workspaces/<slug>/profile-templates/` — the workspace's own templates: POST copies a
  template (`based_on`: a preset or one of the workspace's own), PATCH renames, DELETE removes.
* `/api/workspaces/<slug>/profile-editions/` — editions; POST starts one from a template;
  `…/<pk>/clone/`, `…/<pk>/publish/` (coordinators; 400 with the unapproved sections) and
  `…/<pk>/compare/?with=<id>` (section by section: text diff and every quoted value).

Readers who may not see drafts see published editions only (`selectors.editions`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import Platform
from stakeholders.permissions import Perm

from ..models import Edition, ProfileTemplate, TemplateSection
from ..selectors import editions as selectors
from ..services import editions as services
from ..services import templates as template_services

# Serializers -----------------------------------------------------------------------------------


class TemplateSectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TemplateSection
        fields = [
            "id",
            "code",
            "part",
            "title",
            "guidance",
            "suggested_indicators",
            "has_recommendations",
            "position",
        ]
        read_only_fields = fields


class ProfileTemplateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A template; `based_on` (write) names the template to copy when creating one."""

    sections = TemplateSectionSerializer(many=True, read_only=True)
    based_on = serializers.PrimaryKeyRelatedField(
        queryset=ProfileTemplate.objects.all(), required=False, allow_null=True
    )
    is_preset = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProfileTemplate
        fields = ["id", "code", "name", "description", "is_preset", "based_on", "sections"]
        read_only_fields = ["code", "is_preset", "sections"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.context.get("workspace")
        if workspace is not None:
            fields["based_on"].queryset = ProfileTemplate.objects.filter(
                Q(workspace__isnull=True) | Q(workspace=workspace)
            )
        return fields


class EditionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An edition; `template` is needed to start one and cannot change afterwards."""

    section_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    template = serializers.PrimaryKeyRelatedField(queryset=ProfileTemplate.objects.all())
    working_group = serializers.PrimaryKeyRelatedField(
        queryset=Platform.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Edition
        fields = [
            "id",
            "number",
            "title",
            "reference_start_year",
            "reference_end_year",
            "template",
            "language",
            "stage",
            "working_group",
            "status",
            "previous",
            "published_at",
            "section_count",
            "approved_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "previous",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.context.get("workspace")
        if workspace is not None:
            fields["template"].queryset = ProfileTemplate.objects.filter(
                Q(workspace__isnull=True) | Q(workspace=workspace)
            )
            fields["working_group"].queryset = Platform.objects.filter(workspace=workspace)
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["template"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("reference_start_year", getattr(self.instance, "reference_start_year", 0))
        end = attrs.get("reference_end_year", getattr(self.instance, "reference_end_year", 0))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"reference_end_year": ["The reference period cannot end before it starts."]}
            )
        return attrs


class CloneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(required=False, allow_blank=True, max_length=250, default="")


class ValueChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.CharField()
    row = serializers.CharField()
    year = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    status = serializers.CharField()


class SectionComparisonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    title = serializers.CharField()
    left = serializers.IntegerField(source="left.pk", allow_null=True, default=None)
    right = serializers.IntegerField(source="right.pk", allow_null=True, default=None)
    text_changed = serializers.BooleanField()
    narrative_diff = serializers.CharField(help_text="HTML: removed words in <del>, added <ins>.")
    values = ValueChangeSerializer(many=True)


# Viewsets --------------------------------------------------------------------------------------


class PresetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StakeholdersViewSet):
    """The template presets (Extended Migration Profile, full and light); read-only."""

    model = ProfileTemplate
    serializer_class = ProfileTemplateSerializer
    filter_backends: list[Any] = []

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        """Presets belong to no workspace: signed-in users read them all."""

    def selected(self) -> QuerySet[ProfileTemplate]:
        return (
            ProfileTemplate.objects.filter(workspace__isnull=True)
            .prefetch_related("sections")
            .order_by("name", "pk")
        )


@extend_schema(parameters=[WORKSPACE_SLUG])
class WorkspaceTemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """A workspace's own templates. POST copies `based_on` (required) under `name`."""

    model = ProfileTemplate
    serializer_class = ProfileTemplateSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def selected(self) -> QuerySet[ProfileTemplate]:
        return (
            ProfileTemplate.objects.filter(workspace=self.workspace)
            .prefetch_related("sections")
            .order_by("name", "pk")
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        based_on = data.get("based_on")
        if based_on is None:
            raise serializers.ValidationError({"based_on": ["Name the template to copy."]})
        template = template_services.template_customise(
            actor=self.actor, workspace=self.workspace, preset=based_on, name=data.get("name", "")
        )
        serializer.instance = self.reread(template)

    def perform_update(self, serializer: Any) -> None:
        template = serializer.instance
        data = serializer.validated_data
        template_services.template_update(
            actor=self.actor,
            template=template,
            name=data.get("name", template.name),
            description=data.get("description", template.description),
        )
        serializer.instance = self.reread(template)

    def perform_destroy(self, instance: ProfileTemplate) -> None:
        template_services.template_delete(actor=self.actor, template=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class EditionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Editions of the workspace's migration profile, newest first. POST starts one."""

    model = Edition
    serializer_class = EditionSerializer
    read_permission = Perm.ACCESS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def write_permission(self) -> Perm:  # type: ignore[override]
        return Perm.PUBLISH if getattr(self, "action", None) == "publish" else Perm.EDIT

    def selected(self) -> QuerySet[Edition]:
        return selectors.edition_list(
            user=self.request.user, workspace=self.workspace, perms=self.workspace_perms
        )

    def perform_create(self, serializer: Any) -> None:
        edition = services.edition_start(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(edition)

    def perform_update(self, serializer: Any) -> None:
        edition = services.edition_update(
            actor=self.actor, edition=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.reread(edition)

    def perform_destroy(self, instance: Edition) -> None:
        services.edition_delete(actor=self.actor, edition=instance)

    @extend_schema(request=CloneSerializer, responses={201: EditionSerializer})
    @action(detail=True, methods=["post"])
    def clone(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the next edition from this one, the reference period moved forward."""
        edition = self.get_object()
        given = CloneSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        clone = services.edition_clone(
            actor=self.actor, edition=edition, title=given.validated_data["title"]
        )
        return Response(self.get_serializer(self.reread(clone)).data, status=201)

    @extend_schema(request=None, responses={200: EditionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Publish the edition (coordinators); 400 while a section is not approved."""
        edition = self.get_object()
        services.edition_publish(actor=self.actor, edition=edition)
        return Response(self.get_serializer(self.reread(edition)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("with", OpenApiTypes.INT, description="The earlier edition's id.")
        ],
        responses={200: SectionComparisonSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def compare(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """This edition against `with` (default: its previous edition), in the reader's view."""
        edition = self.get_object()
        other_id = str(request.query_params.get("with") or edition.previous_id or "")
        other = self.get_queryset().filter(pk=other_id).first() if other_id.isdigit() else None
        if other is None:
            raise Http404("No edition to compare with")
        comparisons = selectors.edition_compare(
            left=other, right=edition, perms=self.workspace_perms
        )
        return Response(SectionComparisonSerializer(comparisons, many=True).data)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns: list[URLPattern] = [
    path(
        "profile-templates/",
        PresetViewSet.as_view({"get": "list"}),
        name="profile-preset-list",
    ),
    path(
        "profile-templates/<int:pk>/",
        PresetViewSet.as_view({"get": "retrieve"}),
        name="profile-preset-detail",
    ),
    path(
        f"{NESTED}/profile-templates/",
        WorkspaceTemplateViewSet.as_view({"get": "list", "post": "create"}),
        name="profile-template-list",
    ),
    path(
        f"{NESTED}/profile-templates/<int:pk>/",
        WorkspaceTemplateViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="profile-template-detail",
    ),
    path(
        f"{NESTED}/profile-editions/",
        EditionViewSet.as_view({"get": "list", "post": "create"}),
        name="profile-edition-list",
    ),
    path(
        f"{NESTED}/profile-editions/<int:pk>/",
        EditionViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="profile-edition-detail",
    ),
    path(
        f"{NESTED}/profile-editions/<int:pk>/clone/",
        EditionViewSet.as_view({"post": "clone"}),
        name="profile-edition-clone",
    ),
    path(
        f"{NESTED}/profile-editions/<int:pk>/publish/",
        EditionViewSet.as_view({"post": "publish"}),
        name="profile-edition-publish",
    ),
    path(
        f"{NESTED}/profile-editions/<int:pk>/compare/",
        EditionViewSet.as_view({"get": "compare"}),
        name="profile-edition-compare",
    ),
]
