"""API of the good-practice exchange; routes at the bottom.

- `/api/practices/` and `/api/practices/<pk>/`: the library, published practices of every
  workspace, for every signed-in user; search with `q`, filter with `area`, `country` (ISO
  alpha-3 of the workspace) and `level` (national or local). `workspace.slug` and
  `workspace.url` are given only to those who may open the workspace.
- `/api/workspaces/<slug>/practices/…`: a workspace's practices as its members see them
  (create, PATCH, DELETE a draft) and `…/<pk>/<action>/` (POST propose, publish, return with
  `reason`, withdraw). Who may do what: `stakeholders.practices_selectors`.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from .. import practices_services as services
from .. import practices_views  # noqa: F401 - registers the `practiceaction` path converter
from ..access import WorkspacePermission
from ..choices import PracticeArea, PracticeStatus, WorkspaceLevel
from ..coordination_models import Practice
from ..models import User, Workspace
from ..permissions import Perm
from ..practices_forms import PracticeLibraryFilterForm
from ..practices_selectors import practice_actions, practice_library, practice_list
from .serializers import WorkspaceOrganisationField, WorkspaceScoped
from .views import WORKSPACE_SLUG, StakeholdersViewSet

LIBRARY_FILTERS = [
    OpenApiParameter("q", str, description="Words from the title, summary or lessons."),
    OpenApiParameter("area", str, enum=PracticeArea.values, description="Only this area."),
    OpenApiParameter("country", str, description="ISO 3166-1 alpha-3 of the workspace."),
    OpenApiParameter("level", str, enum=WorkspaceLevel.values, description="Workspace level."),
]


class ContactOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LibraryWorkspaceSerializer(serializers.Serializer):
    """The publishing workspace: name, level and country for all, its address for members."""

    name = serializers.CharField()
    level = serializers.ChoiceField(choices=WorkspaceLevel.choices)
    country = serializers.CharField()
    slug = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)


class PracticeLibrarySerializer(serializers.ModelSerializer):
    """A published practice as the library shows it."""

    workspace = serializers.SerializerMethodField()
    contact_organisation = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "summary",
            "area",
            "what_worked",
            "what_did_not",
            "contact_organisation",
            "workspace",
            "published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(LibraryWorkspaceSerializer)
    def get_workspace(self, practice: Practice) -> dict[str, Any]:
        workspace = practice.workspace
        member = bool(getattr(practice, "links_to_workspace", False))
        return {
            "name": workspace.name,
            "level": workspace.level,
            "country": workspace.country,
            "slug": workspace.slug if member else None,
            "url": workspace.get_absolute_url() if member else None,
        }

    @extend_schema_field(ContactOrganisationSerializer(allow_null=True))
    def get_contact_organisation(self, practice: Practice) -> dict[str, Any] | None:
        organisation = practice.contact_organisation
        if organisation is None:
            return None
        return {"id": organisation.pk, "name": str(organisation)}


@extend_schema(parameters=LIBRARY_FILTERS)
class PracticeLibraryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The good-practice library: published practices of every workspace."""

    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []
    serializer_class = PracticeLibrarySerializer

    def get_queryset(self) -> QuerySet[Practice]:
        if getattr(self, "swagger_fake_view", False):
            return Practice.objects.none()
        if self.action == "retrieve":
            return practice_library(user=self.request.user)
        form = PracticeLibraryFilterForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    field: [str(message) for message in errors]
                    for field, errors in form.errors.items()
                }
            )
        return practice_library(user=self.request.user, **form.filters())


class WorkspacePracticeSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A practice of the workspace with its status and what the reader may do to it."""

    contact_organisation = WorkspaceOrganisationField(allow_null=True, required=False)
    actions = serializers.SerializerMethodField(
        help_text="What you may do: edit, delete, propose, publish, return, withdraw."
    )

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "summary",
            "area",
            "what_worked",
            "what_did_not",
            "contact_organisation",
            "status",
            "created_by",
            "published_at",
            "actions",
        ]
        read_only_fields = ["status", "created_by", "published_at"]

    def get_actions(self, practice: Practice) -> list[str]:
        request = self.context["request"]
        perms = self.context.get("workspace_perms") or frozenset()
        return sorted(practice_actions(user=request.user, perms=perms, practice=practice))


@extend_schema(parameters=[WORKSPACE_SLUG])
class WorkspacePracticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """A workspace's practices as the reader may see them. Anyone who comments (contributors
    included) may create one; its author or an editor changes (PATCH) or deletes a draft."""

    model = Practice
    serializer_class = WorkspacePracticeSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.COMMENT
    filter_backends: list[Any] = []  # the selector restricts
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    workspace_perms: frozenset[Perm]  # set by WorkspacePermission

    def selected(self) -> QuerySet[Practice]:
        queryset = practice_list(
            user=self.request.user, workspace=self.workspace, perms=self.workspace_perms
        )
        status_value = self.request.query_params.get("status", "")
        if self.action == "list" and status_value in PracticeStatus.values:
            queryset = queryset.filter(status=status_value)
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["workspace_perms"] = getattr(self, "workspace_perms", frozenset())
        return context

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        # Reading was decided by the selector; writes are decided by the service's rules.
        return None

    def perform_create(self, serializer: BaseSerializer[Practice]) -> None:
        practice = services.practice_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(practice)

    def perform_update(self, serializer: BaseSerializer[Practice]) -> None:
        practice = services.practice_update(
            actor=self.actor,
            practice=cast(Practice, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = self.reread(practice)

    def perform_destroy(self, instance: Practice) -> None:
        services.practice_delete(actor=self.actor, practice=instance)


class PracticeTransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to return a practice to draft; optional to withdraw it.",
    )


class PracticeTransitionView(APIView):
    """Propose (author or editor), publish, return with a reason, or withdraw (coordinator)."""

    permission_classes = [WorkspacePermission]
    write_permission = Perm.ACCESS  # the lifecycle's rules decide (403 otherwise)
    # Both set by WorkspacePermission.
    workspace: Workspace
    workspace_perms: frozenset[Perm]

    @extend_schema(
        parameters=[
            WORKSPACE_SLUG,
            OpenApiParameter(
                "action",
                str,
                OpenApiParameter.PATH,
                enum=["propose", "publish", "return", "withdraw"],
            ),
        ],
        request=PracticeTransitionSerializer,
        responses={200: WorkspacePracticeSerializer},
        operation_id="workspaces_practices_transition",
    )
    def post(
        self, request: Request, workspace_slug: str, pk: int, action: str, **kwargs: Any
    ) -> Response:
        practice = (
            practice_list(user=request.user, workspace=self.workspace, perms=self.workspace_perms)
            .filter(pk=pk)
            .first()
        )
        if practice is None:
            raise Http404("No such practice")
        serializer = PracticeTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        practice = services.practice_transition(
            actor=cast(User, request.user),
            practice=practice,
            action=action,
            reason=serializer.validated_data.get("reason", ""),
        )
        reread = practice_list(
            user=request.user, workspace=self.workspace, perms=self.workspace_perms
        ).get(pk=practice.pk)
        output = WorkspacePracticeSerializer(
            reread,
            context={
                "request": request,
                "workspace": self.workspace,
                "workspace_perms": self.workspace_perms,
            },
        )
        return Response(output.data, status=status.HTTP_200_OK)


NESTED = "workspaces/<slug:workspace_slug>/practices"

urlpatterns: list[URLPattern] = [
    path(
        "practices/",
        PracticeLibraryViewSet.as_view({"get": "list"}),
        name="practice-list",
    ),
    path(
        "practices/<int:pk>/",
        PracticeLibraryViewSet.as_view({"get": "retrieve"}),
        name="practice-detail",
    ),
    path(
        f"{NESTED}/",
        WorkspacePracticeViewSet.as_view({"get": "list", "post": "create"}),
        name="workspace-practice-list",
    ),
    path(
        f"{NESTED}/<int:pk>/",
        WorkspacePracticeViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="workspace-practice-detail",
    ),
    path(
        f"{NESTED}/<int:pk>/<practiceaction:action>/",
        PracticeTransitionView.as_view(),
        name="workspace-practice-transition",
    ),
]
