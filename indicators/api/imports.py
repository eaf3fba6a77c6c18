"""API of imports and exports (serializers, views and routes).

- `imports/`: POST a CSV/XLSX file (multipart, field `file`) → an import job, checked in the
  background; GET lists the workspace's imports. `imports/<pk>/`: status, progress, counts and
  the first row errors (with their total). `imports/<pk>/commit/`: POST to import a `ready` job.
- `observations/bulk/`: POST a JSON list of rows (the columns of an import file) →
  checked and written at once, all or nothing; 400 with the row errors, or the counts.
  Up to 5,000 rows.
- `exports/<fmt>/` (`csv`, `xlsx`, `sdmx`) and `exports/?format=…` (or an Accept header of
  text/csv, application/vnd.sdmx.data+csv or the XLSX type): the selection given by the query
  string (indicator, dimension, year_from, year_to, the axes, review_state) as a file holding
  only what the requester may see.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBase
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stakeholders.access import WorkspacePermission
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm, workspace_perms

from ..exports import CONTENT_TYPES, FORMATS
from ..forms.imports import ExportFilterForm
from ..models import ImportJob
from ..services import imports as services
from ..views.imports import export_response, import_job_list

ERRORS_SHOWN = 200


class ImportJobSerializer(serializers.ModelSerializer):
    """An uploaded file of values: its status, progress, counts and row errors."""

    percent_done = serializers.IntegerField(read_only=True)
    errors = serializers.SerializerMethodField()
    created_by = serializers.StringRelatedField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "status",
            "created_by",
            "created_at",
            "finished_at",
            "total_rows",
            "processed_rows",
            "percent_done",
            "error_count",
            "errors",
            "created_count",
            "updated_count",
            "unchanged_count",
            "message",
        ]
        read_only_fields = fields

    def get_errors(self, job: ImportJob) -> list[dict[str, Any]]:
        """The first row errors ({row, column, message}); `error_count` counts them all."""
        if self.context.get("list"):
            return []
        return list(job.errors[:ERRORS_SHOWN])


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class BulkRowSerializer(serializers.Serializer):
    """One row, with the columns of an import file (only the first three are required)."""

    indicator_code = serializers.CharField()
    period = serializers.CharField()
    value = serializers.JSONField()
    sex = serializers.CharField(required=False, allow_blank=True)
    age = serializers.CharField(required=False, allow_blank=True)
    migratory_status = serializers.CharField(required=False, allow_blank=True)
    urbanisation = serializers.CharField(required=False, allow_blank=True)
    education_level = serializers.CharField(required=False, allow_blank=True)
    partner_country = serializers.CharField(required=False, allow_blank=True)
    quality = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema(parameters=[WORKSPACE_SLUG])
class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StakeholdersViewSet):
    """Imports of observation files; editors upload (multipart `file`) and commit them."""

    model = ImportJob
    serializer_class = ImportJobSerializer
    read_permission = Perm.VIEW_DRAFTS
    write_permission = Perm.EDIT
    filter_backends: list[Any] = []  # scoped to the workspace resolved by WorkspacePermission
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def selected(self) -> QuerySet[ImportJob]:
        return import_job_list(self.workspace)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "list": self.action == "list"}

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        job = services.import_job_create(
            actor=cast(User, request.user),
            workspace=self.workspace,
            file=upload.validated_data["file"],
        )
        job.refresh_from_db()  # checked already when tasks run eagerly
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    def commit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        job = services.import_job_commit(actor=cast(User, request.user), job=job)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


@extend_schema(
    parameters=[WORKSPACE_SLUG],
    request=BulkRowSerializer(many=True),
    responses=BulkResultSerializer,
)
class ObservationBulkView(APIView):
    """Add or change up to 5,000 values at once, all or nothing (upsert by natural key)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.EDIT
    write_permission = Perm.EDIT
    parser_classes = [JSONParser]

    def post(self, request: Request, workspace_slug: str) -> Response:
        rows = request.data
        if isinstance(rows, dict) and isinstance(rows.get("rows"), list):
            rows = rows["rows"]
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Send a JSON list of rows (objects).")]}
            )
        if len(rows) > services.BULK_MAX_ROWS:
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Send at most %(limit)s rows at once; upload a file through an "
                            "import for more."
                        )
                        % {"limit": services.BULK_MAX_ROWS}
                    ]
                }
            )
        try:
            result = services.observations_bulk_upsert(
                actor=cast(User, request.user),
                workspace=self.workspace,  # type: ignore[attr-defined]
                rows=rows,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from error
        if result.counts is None:
            return Response(
                {"error_count": result.error_count, "errors": result.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": result.counts.created,
                "updated": result.counts.updated,
                "unchanged": result.counts.unchanged,
            }
        )


class _FileNegotiation(DefaultContentNegotiation):
    """Exports are files, not DRF renderings: `?format=` names the file format here."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


EXPORT_FORMAT = OpenApiParameter(
    "format", str, enum=list(FORMATS), description="File format (else from the Accept header)."
)


@extend_schema(parameters=[WORKSPACE_SLUG, EXPORT_FORMAT], responses={(200, "text/csv"): bytes})
class ExportView(APIView):
    """The selected observations as CSV, XLSX or SDMX-CSV (only what the requester may see).

    Filters: `indicator` (id), `dimension` (id), `year_from`, `year_to`, one per axis (`sex`,
    `age`, …), `review_state` (for readers of drafts)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS
    content_negotiation_class = _FileNegotiation

    def requested_format(self, request: Request, fmt: str | None) -> str:
        if fmt:
            return fmt
        asked = request.query_params.get("format", "")
        if asked:
            return asked
        accept = request.headers.get("Accept", "")
        for name, content_type in (("sdmx", "application/vnd.sdmx"), ("xlsx", "spreadsheetml")):
            if content_type in accept:
                return name
        return "csv"  # the default, whatever else the Accept header names

    def get(
        self, request: Request, workspace_slug: str, fmt: str | None = None
    ) -> HttpResponseBase:
        chosen = self.requested_format(request, fmt)
        if chosen not in FORMATS:
            if fmt:
                raise Http404("No such format")
            raise exceptions.ValidationError(
                _("Ask for one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}
            )
        workspace = self.workspace  # type: ignore[attr-defined]
        perms = workspace_perms(request.user, workspace)
        query = request.query_params.copy()
        query.pop("format", None)
        form = ExportFilterForm(query, workspace=workspace, sees_drafts=Perm.VIEW_DRAFTS in perms)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors.get_json_data())
        response = export_response(workspace, perms, form, chosen)
        response["Content-Type"] = CONTENT_TYPES[chosen]
        return response


class ExportFormatView(ExportView):
    """The same export, with the format in the path (`csv`, `xlsx` or `sdmx`)."""

    @extend_schema(
        operation_id="workspaces_exports_format_retrieve",
        parameters=[WORKSPACE_SLUG],
        responses={(200, "text/csv"): bytes},
    )
    def get(
        self, request: Request, workspace_slug: str, fmt: str | None = None
    ) -> HttpResponseBase:
        return super().get(request, workspace_slug, fmt)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/imports/",
        ImportJobViewSet.as_view({"get": "list", "post": "create"}),
        name="import-job-list",
    ),
    path(
        f"{NESTED}/imports/<int:pk>/",
        ImportJobViewSet.as_view({"get": "retrieve"}),
        name="import-job-detail",
    ),
    path(
        f"{NESTED}/imports/<int:pk>/commit/",
        ImportJobViewSet.as_view({"post": "commit"}),
        name="import-job-commit",
    ),
    path(
        f"{NESTED}/observations/bulk/",
        ObservationBulkView.as_view(),
        name="observation-bulk",
    ),
    path(f"{NESTED}/exports/", ExportView.as_view(), name="observation-export"),
    path(
        f"{NESTED}/exports/<slug:fmt>/",
        ExportFormatView.as_view(),
        name="observation-export-format",
    ),
]
