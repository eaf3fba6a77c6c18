"""API of PDF reports: request (201 new / 200 identical one in progress), status, download,
retry. Readers see only reports at or below their rights level (DESIGN §6); the file is served
only by the download endpoint, which records every download."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.permissions import Perm

from ..choices import ReportKind, ReportStatus
from ..models import Report
from ..selectors.reports import report_list
from ..services import reports as services
from ..views.reports import report_file_response


class ReportSerializer(serializers.ModelSerializer):
    """A report and its job: status, progress, and the file's digest, pages and size when done."""

    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "parameters",
            "rights_level",
            "language",
            "title",
            "status",
            "progress",
            "error",
            "attempts",
            "sha256",
            "page_count",
            "size",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
            "page_url",
        ]
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if report.status != ReportStatus.DONE:
            return None
        return reverse(
            "report-download",
            kwargs={"workspace_slug": report.workspace.slug, "pk": report.pk},
        )

    def get_page_url(self, report: Report) -> str:
        return report.get_absolute_url()


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    parameters = serializers.DictField(
        help_text='{"cycle": id}, {"edition": id} or {"indicator": id}, by kind.'
    )
    language = serializers.CharField(required=False, max_length=10)


@extend_schema_view(
    list=extend_schema(parameters=[WORKSPACE_SLUG]),
    retrieve=extend_schema(parameters=[WORKSPACE_SLUG]),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StakeholdersViewSet):
    """Reports of a workspace at or below the reader's rights level."""

    model = Report
    serializer_class = ReportSerializer
    read_permission = Perm.REQUEST_REPORTS
    write_permission = Perm.REQUEST_REPORTS

    def selected(self) -> Any:
        return report_list(workspace=self.workspace, perms=self.workspace_perms)

    @extend_schema(
        parameters=[WORKSPACE_SLUG],
        request=ReportRequestSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Request a report; an identical one still in progress is returned with 200."""
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, created = services.report_request(
            actor=self.actor,
            workspace=self.workspace,
            kind=data.validated_data["kind"],
            parameters=data.validated_data["parameters"],
            language=data.validated_data.get("language") or getattr(request, "LANGUAGE_CODE", None),
        )
        return Response(
            ReportSerializer(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        parameters=[WORKSPACE_SLUG], responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    )
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        """The report's PDF (404 until it is done); the download is recorded."""
        report = self.get_object()
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404("The report is not ready")
        return report_file_response(report, actor=self.actor)

    @extend_schema(parameters=[WORKSPACE_SLUG], request=None, responses={200: ReportSerializer})
    def retry(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Queue a failed report again (400 when it is not failed)."""
        report = services.report_retry(actor=self.actor, report=self.get_object())
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/reports/",
        ReportViewSet.as_view({"get": "list", "post": "create"}),
        name="report-list",
    ),
    path(
        f"{NESTED}/reports/<int:pk>/",
        ReportViewSet.as_view({"get": "retrieve"}),
        name="report-detail",
    ),
    path(
        f"{NESTED}/reports/<int:pk>/download/",
        ReportViewSet.as_view({"get": "download"}),
        name="report-download",
    ),
    path(
        f"{NESTED}/reports/<int:pk>/retry/",
        ReportViewSet.as_view({"post": "retry"}),
        name="report-retry",
    ),
]
