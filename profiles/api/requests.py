"""API of data requests (CRUD, answer, reopen, cancel, answer file) and of the reading of an
edition (JSON twin of the printable page). Routes at the bottom.

Readers as on the pages (`selectors.requests`): those who see drafts read every request,
contributors those asked of their own organisation, others none (403 on the list, 404 on a
request). Coordinators ask, change, reopen, cancel and delete; the asked organisation's editors
and contributors (and coordinators) answer.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.models import Indicator, Observation
from stakeholders.access import WorkspacePermission
from stakeholders.api.serializers import WorkspaceOrganisationField, WorkspaceScoped
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.permissions import Perm, workspace_perms

from ..choices import RequestStatus
from ..models import DataRequest, Edition, Section
from ..selectors.editions import edition_list
from ..selectors.reading import edition_reading, reading_as_json
from ..selectors.requests import (
    data_request_list,
    filter_requests,
    may_read_requests,
    workspace_today,
)
from ..services import requests as services

ORGANISATION_FILTER = OpenApiParameter("organisation", int, description="Asked of this one.")
STATUS_FILTER = OpenApiParameter(
    "status", str, enum=["overdue", *RequestStatus.values], description="Only this status."
)
EDITION_FILTER = OpenApiParameter("edition", int, description="Only for this edition.")
APPROVED_FILTER = OpenApiParameter(
    "approved", int, enum=[1], description="1: the approved version even if you see drafts."
)


class WorkspaceScopedField(serializers.PrimaryKeyRelatedField):
    """An id looked up among the objects of the serializer's workspace only."""

    def __init__(self, *, model: type[Any], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        serializer = self.root
        workspace = (
            serializer.workspace_scope() if isinstance(serializer, WorkspaceScoped) else None
        )
        if workspace is None:
            return self.model.objects.none()
        if self.model is Indicator:
            return Indicator.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        return self.model.objects.filter(workspace=workspace)


class DataRequestSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A data request; the answer is written through the `answer` action."""

    organisation = WorkspaceOrganisationField()
    edition: Any = WorkspaceScopedField(model=Edition, required=False, allow_null=True)
    section: Any = WorkspaceScopedField(model=Section, required=False, allow_null=True)
    indicator: Any = WorkspaceScopedField(model=Indicator, required=False, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    requested_by = serializers.StringRelatedField(read_only=True)
    answered_by = serializers.StringRelatedField(read_only=True)
    answer_file = serializers.SerializerMethodField()
    observations: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "organisation",
            "edition",
            "section",
            "indicator",
            "what",
            "period",
            "due_on",
            "status",
            "is_overdue",
            "requested_by",
            "created_at",
            "answer_note",
            "answer_file",
            "answer_content_type",
            "observations",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = [
            "status",
            "created_at",
            "answer_note",
            "answer_content_type",
            "answered_at",
        ]

    def get_answer_file(self, obj: DataRequest) -> str | None:
        """The access-checked download address of the answer file (null without one)."""
        if not obj.answer_file:
            return None
        return reverse(
            "data-request-download",
            kwargs={"workspace_slug": obj.workspace.slug, "pk": obj.pk},
        )


class DataRequestAnswerSerializer(serializers.Serializer):
    answer_note = serializers.CharField(required=False, allow_blank=True, default="")
    answer_file = serializers.FileField(required=False, allow_null=True, default=None)
    observations = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )


@extend_schema(parameters=[WORKSPACE_SLUG])
class DataRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Data requests, open and overdue first. Filter by `organisation`, `status` (or
    `overdue`) and `edition`. POST `answer` (multipart for a file) as the asked organisation;
    POST `reopen` and `cancel` as a coordinator; GET `download` for the answer file."""

    model = DataRequest
    serializer_class = DataRequestSerializer
    filter_backends: list[Any] = []  # the selector restricts
    read_permission = Perm.ACCESS
    write_permission = services.REQUEST_MANAGE
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_permissions(self) -> list[Any]:
        # Answering is decided per request (the asked organisation) by the service.
        if getattr(self, "action", None) == "answer":
            self.write_permission = Perm.ANSWER_REQUESTS
        return super().get_permissions()

    def perms(self) -> frozenset[Perm]:
        perms = getattr(self, "workspace_perms", None)
        if perms is None:
            perms = workspace_perms(self.request.user, self.workspace)
            self.workspace_perms = perms
        return cast(frozenset[Perm], perms)

    def selected(self) -> QuerySet[DataRequest]:
        perms = self.perms()
        if not may_read_requests(perms):
            if self.action == "list":
                raise exceptions.PermissionDenied
            raise Http404("No such data request")
        return data_request_list(
            workspace=self.workspace,
            perms=perms,
            organisation_id=services.member_organisation_id(self.request.user, self.workspace),
            today=workspace_today(self.workspace),
        ).prefetch_related("observations")

    def reread(self, obj: Any) -> Any:
        return self.selected().get(pk=obj.pk)

    @extend_schema(parameters=[ORGANISATION_FILTER, STATUS_FILTER, EDITION_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
        if self.action != "list":
            return queryset
        params = self.request.query_params
        return filter_requests(
            queryset,
            organisation=params.get("organisation", ""),
            status=params.get("status", ""),
            edition=params.get("edition", ""),
            today=workspace_today(self.workspace),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.data_request_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        return Response(
            self.get_serializer(self.reread(created)).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer: Any) -> None:
        services.data_request_update(
            actor=self.actor, request=serializer.instance, **serializer.validated_data
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().update(request, *args, **kwargs)
        return Response(self.get_serializer(self.reread(self.get_object())).data)

    def perform_destroy(self, instance: DataRequest) -> None:
        services.data_request_delete(actor=self.actor, request=instance)

    @extend_schema(request=DataRequestAnswerSerializer, responses=DataRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        serializer = DataRequestAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wanted = set(data["observations"])
        observations = list(Observation.objects.filter(workspace=self.workspace, pk__in=wanted))
        if len(observations) != len(wanted):
            raise exceptions.ValidationError(
                {"observations": [_("Choose values of this workspace.")]}
            )
        services.data_request_answer(
            actor=self.actor,
            request=found,
            note=data["answer_note"],
            file=data["answer_file"],
            observations=observations,
        )
        return Response(self.get_serializer(self.reread(found)).data)

    @extend_schema(request=None, responses=DataRequestSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        services.data_request_reopen(actor=self.actor, request=found)
        return Response(self.get_serializer(self.reread(found)).data)

    @extend_schema(request=None, responses=DataRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        services.data_request_cancel(actor=self.actor, request=found)
        return Response(self.get_serializer(self.reread(found)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        found = self.get_object()
        if not found.answer_file:
            raise Http404("No file")
        response = FileResponse(
            found.answer_file.open("rb"),
            as_attachment=True,
            filename=PurePath(found.answer_file.name).name,
            content_type=found.answer_content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class EditionReadSerializer(serializers.Serializer):
    """Schema only: the reading is plain JSON built by `reading_as_json`."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    sections = serializers.ListField(child=serializers.DictField())
    annex = serializers.ListField(child=serializers.DictField())
    sources = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=[WORKSPACE_SLUG, APPROVED_FILTER], responses=EditionReadSerializer)
class EditionReadView(APIView):
    """An edition as its reader reads it: sections in order with their tables (live for drafts
    you may see, frozen otherwise), the statistical annex and the data sources cited. Readers
    who do not see drafts reach published editions only."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS

    def get(self, request: Request, workspace_slug: str, pk: int) -> Response:
        workspace = self.workspace  # type: ignore[attr-defined]
        perms = self.workspace_perms  # type: ignore[attr-defined]
        edition = (
            edition_list(user=request.user, workspace=workspace, perms=perms).filter(pk=pk).first()
        )
        if edition is None:
            raise Http404("No such edition")
        reading = edition_reading(
            edition=edition,
            perms=perms,
            approved_only=request.query_params.get("approved") == "1",
        )
        return Response(reading_as_json(reading))


NESTED = "workspaces/<slug:workspace_slug>"
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        f"{NESTED}/data-requests/",
        DataRequestViewSet.as_view({"get": "list", "post": "create"}),
        name="data-request-list",
    ),
    path(
        f"{NESTED}/data-requests/<int:pk>/",
        DataRequestViewSet.as_view(DETAIL),
        name="data-request-detail",
    ),
    path(
        f"{NESTED}/data-requests/<int:pk>/answer/",
        DataRequestViewSet.as_view({"post": "answer"}),
        name="data-request-answer",
    ),
    path(
        f"{NESTED}/data-requests/<int:pk>/reopen/",
        DataRequestViewSet.as_view({"post": "reopen"}),
        name="data-request-reopen",
    ),
    path(
        f"{NESTED}/data-requests/<int:pk>/cancel/",
        DataRequestViewSet.as_view({"post": "cancel"}),
        name="data-request-cancel",
    ),
    path(
        f"{NESTED}/data-requests/<int:pk>/download/",
        DataRequestViewSet.as_view({"get": "download"}),
        name="data-request-download",
    ),
    path(f"{NESTED}/editions/<int:pk>/read/", EditionReadView.as_view(), name="edition-read"),
]
