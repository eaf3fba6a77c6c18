"""API of the planning cycle: cycles, stage sign-off, situation sections and their evidence.

Nested under /api/workspaces/<workspace_slug>/. Reads come from `mainstreaming.selectors.cycles`,
writes go to `mainstreaming.services.cycles` (section content through `review_edit`, with
ETag / If-Match). Readers who may not see drafts get the approved snapshot of each section, and
only the evidence added up to its approved version. Review transitions are the generic
endpoints of `stakeholders.api.review`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from indicators.models import Indicator
from profiles.models import Edition
from stakeholders.api.review import (
    REVIEW_STATE_FIELDS,
    ReviewableViewSetMixin,
    ReviewStateSerializerMixin,
)
from stakeholders.api.serializers import PublicUserSerializer
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.permissions import Perm, workspace_perms

from ..choices import CycleStage
from ..models import Cycle, Evidence, SituationSection, StageSignoff
from ..selectors import cycles as selectors
from ..services import cycles as services

# Serializers -----------------------------------------------------------------------------------


STAGES_HELP = "situation_analysis, priorities, action_plan or monitoring."


class CycleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A planning cycle; its stage moves on only through sign-off."""

    # Plain strings: several enum fields over one choice set would make several schema components.
    current_stage = serializers.CharField(read_only=True, help_text=STAGES_HELP)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "title",
            "start_year",
            "end_year",
            "plan",
            "current_stage",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["current_stage", "completed_at", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        end = attrs.get("end_year", getattr(self.instance, "end_year", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_year": [_("The last year cannot be before the first year.")]}
            )
        return attrs


class StageSignoffRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.ChoiceField(choices=CycleStage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class StageSignoffSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    signed_by = PublicUserSerializer(read_only=True)
    stage = serializers.CharField(read_only=True, help_text=STAGES_HELP)
    cycle_stage = serializers.CharField(
        source="cycle.current_stage", read_only=True, help_text="The cycle's stage now."
    )
    cycle_completed_at = serializers.DateTimeField(source="cycle.completed_at", read_only=True)

    class Meta:
        model = StageSignoff
        fields = [
            "id",
            "stage",
            "signed_by",
            "signed_at",
            "note",
            "cycle_stage",
            "cycle_completed_at",
        ]
        read_only_fields = fields


class SituationSectionSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """A section of the situation analysis; `title` and `narrative` are reviewed content."""

    class Meta:
        model = SituationSection
        fields = ["id", "cycle", "title", "narrative", "position", *REVIEW_STATE_FIELDS]
        read_only_fields = ["cycle", "position"]


class SectionMoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField(
        min_value=0, help_text="The new place of the section, 0 for the first."
    )


class EvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A document (multipart upload, `file`), a web link (`url`) or an indicator (`indicator`,
    a catalogue indicator's id or one of the workspace's own) backing a section."""

    file = serializers.FileField(
        write_only=True, required=False, help_text="The document (multipart/form-data)."
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=1000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=250)
    added_by = PublicUserSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "section",
            "kind",
            "title",
            "url",
            "file",
            "indicator",
            "edition",
            "content_type",
            "size",
            "added_in_version",
            "added_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = [
            "section",
            "kind",
            "content_type",
            "size",
            "added_in_version",
            "created_at",
        ]

    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse(
            "evidence-download",
            kwargs={"workspace_slug": self.context["workspace"].slug, "pk": evidence.pk},
        )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.context.get("workspace")
        if workspace is not None and "indicator" in fields:
            fields["indicator"].queryset = Indicator.objects.filter(
                Q(workspace__isnull=True) | Q(workspace=workspace)
            )
        if workspace is not None and "edition" in fields:
            # The service accepts only a published edition (a draft one answers 400 with why).
            fields["edition"].queryset = Edition.objects.filter(workspace=workspace)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("file", "url", "indicator", "edition") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Send one of a document (`file`), a web address (`url`) or an "
                            "indicator (`indicator`)."
                        )
                    ]
                }
            )
        if not attrs.get("title") and not (attrs.get("indicator") or attrs.get("edition")):
            raise serializers.ValidationError({"title": [_("Enter a title for the evidence.")]})
        return attrs


# Viewsets --------------------------------------------------------------------------------------


@extend_schema(parameters=[WORKSPACE_SLUG])
class CycleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    StakeholdersViewSet,
):
    """Planning cycles of a workspace, current ones first; editors open and change them."""

    model = Cycle
    serializer_class = CycleSerializer
    read_permission = Perm.ACCESS
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def write_permission(self) -> Perm:  # type: ignore[override]
        return Perm.PUBLISH if getattr(self, "action", None) == "signoff" else Perm.EDIT

    def selected(self) -> QuerySet[Cycle]:
        return selectors.cycle_list(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: Any) -> None:
        cycle = services.cycle_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(cycle)

    def perform_update(self, serializer: Any) -> None:
        cycle = services.cycle_update(
            actor=self.actor, cycle=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.reread(cycle)

    @extend_schema(
        request=StageSignoffRequestSerializer,
        responses={
            200: StageSignoffSerializer,
            400: OpenApiResponse(description="Not the current stage, or what is missing."),
        },
    )
    @action(detail=True, methods=["post"])
    def signoff(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Sign off the cycle's current stage (coordinators) once all its items are approved."""
        cycle = self.get_object()
        given = StageSignoffRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        signoff = services.stage_signoff(actor=self.actor, cycle=cycle, **given.validated_data)
        return Response(StageSignoffSerializer(signoff).data)


class SectionViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Sections of a cycle's situation analysis, in order.

    PATCH/PUT need the `If-Match` of the section's ETag (from GET). DELETE: editors delete a
    section never approved; once approved, only a coordinator.
    """

    model = SituationSection
    serializer_class = SituationSectionSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    @cached_property
    def cycle(self) -> Cycle:
        cycle = (
            selectors.cycle_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["cycle_pk"])
            .first()
        )
        if cycle is None:
            raise Http404("No such cycle")
        return cycle

    def selected(self) -> QuerySet[SituationSection]:
        if "cycle_pk" in self.kwargs:
            return selectors.situation_section_list(user=self.request.user, cycle=self.cycle)
        return selectors.situation_section_for(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        section = services.situation_section_create(
            actor=self.actor,
            cycle=self.cycle,
            title=data["title"],
            narrative=data.get("narrative", ""),
        )
        serializer.instance = self.reread(section)

    def perform_destroy(self, instance: SituationSection) -> None:
        perms = workspace_perms(self.request.user, self.workspace)
        if not services.can_delete_item(perms, instance):
            raise PermissionDenied
        services.situation_section_delete(actor=self.actor, section=instance)

    @extend_schema(
        request=SectionMoveSerializer,
        responses={200: SituationSectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put the section at `position` (0 is the first; beyond the end means last)."""
        section = self.get_object()
        given = SectionMoveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.situation_section_move(
            actor=self.actor, section=section, position=given.validated_data["position"]
        )
        return Response(self.get_serializer(self.reread(section)).data)


class EvidenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Evidence of a section: documents (multipart) and web links (JSON).

    Readers of the approved snapshot see only evidence added up to the section's approved
    version. Files come only through `download`, which checks the same.
    """

    model = Evidence
    serializer_class = EvidenceSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @cached_property
    def perms(self) -> frozenset[Perm]:
        return workspace_perms(self.request.user, self.workspace)

    @cached_property
    def section(self) -> SituationSection:
        section = (
            selectors.situation_section_for(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["section_pk"])
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return section

    def selected(self) -> QuerySet[Evidence]:
        if "section_pk" in self.kwargs:
            return selectors.evidence_list(
                user=self.request.user, section=self.section, perms=self.perms
            )
        return selectors.evidence_for(user=self.request.user, workspace=self.workspace)

    def get_object(self) -> Evidence:
        evidence = cast(Evidence, super().get_object())
        if not selectors.evidence_visible_to(evidence, section=evidence.section, perms=self.perms):
            raise Http404("No such evidence")
        return evidence

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        evidence = services.evidence_create(
            actor=self.actor,
            section=self.section,
            title=data.get("title") or "",
            file=data.get("file"),
            url=data.get("url") or "",
            indicator=data.get("indicator"),
            edition=data.get("edition"),
        )
        serializer.instance = evidence

    def perform_destroy(self, instance: Evidence) -> None:
        services.evidence_delete(actor=self.actor, evidence=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        """The document, as an attachment of its checked type."""
        evidence = self.get_object()
        if not evidence.file:
            raise Http404("This evidence is a web link")
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=PurePath(evidence.file.name).name,
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/cycles/",
        CycleViewSet.as_view({"get": "list", "post": "create"}),
        name="cycle-list",
    ),
    path(
        f"{NESTED}/cycles/<int:pk>/",
        CycleViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="cycle-detail",
    ),
    path(
        f"{NESTED}/cycles/<int:pk>/signoff/",
        CycleViewSet.as_view({"post": "signoff"}),
        name="cycle-signoff",
    ),
    path(
        f"{NESTED}/cycles/<int:cycle_pk>/sections/",
        SectionViewSet.as_view({"get": "list", "post": "create"}),
        name="section-list",
    ),
    path(
        f"{NESTED}/sections/<int:pk>/",
        SectionViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="section-detail",
    ),
    path(
        f"{NESTED}/sections/<int:pk>/move/",
        SectionViewSet.as_view({"post": "move"}),
        name="section-move",
    ),
    path(
        f"{NESTED}/sections/<int:section_pk>/evidence/",
        EvidenceViewSet.as_view({"get": "list", "post": "create"}),
        name="evidence-list",
    ),
    path(
        f"{NESTED}/evidence/<int:pk>/",
        EvidenceViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="evidence-detail",
    ),
    path(
        f"{NESTED}/evidence/<int:pk>/download/",
        EvidenceViewSet.as_view({"get": "download"}),
        name="evidence-download",
    ),
]
