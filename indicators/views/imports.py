"""Pages of imports and exports: template, upload, preview with progress, commit; export.

An upload is checked in the background; its page polls itself with htmx (`hx-trigger="every
1s"`, the `status` partial) while the file is checked or imported, then shows the row errors or
the summary with the button that imports. Exports are streamed and hold only what the reader
may see (`indicators.exports`).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from core.htmx import HtmxTemplateMixin
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.models import User
from stakeholders.permissions import Perm

from ..choices import ImportStatus
from ..exports import (
    CONTENT_TYPES,
    EXTENSIONS,
    FORMATS,
    csv_lines,
    export_rows,
    template_csv,
    template_xlsx,
    xlsx_file,
)
from ..forms.imports import ExportFilterForm, ImportUploadForm
from ..models import ImportJob
from ..services import imports as services

W = "w/<slug:slug>/indicators/"
PER_PAGE = 25
ERRORS_PER_PAGE = 50
RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.IMPORTING)


def import_job_list(workspace: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(workspace=workspace).select_related("created_by")


def observation_list_url(slug: str, job: ImportJob) -> str:
    """The observation list filtered by this import (where its batch is submitted/approved)."""
    return reverse("indicators:observation_list", kwargs={"slug": slug}) + f"?import_job={job.pk}"


class ImportJobMixin(WorkspaceMixin):
    """`self.job`: an import of this workspace (404 otherwise)."""

    permission = Perm.VIEW_DRAFTS
    write_permission = Perm.EDIT

    @cached_property
    def job(self) -> ImportJob:
        job = import_job_list(self.workspace).filter(pk=self.kwargs["pk"]).first()
        if job is None:
            raise Http404("No such import")
        return job

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        return context


class ImportJobListView(WorkspaceMixin, ListView):
    """The workspace's imports, newest first."""

    permission = Perm.VIEW_DRAFTS
    template_name = "indicators/imports/import_list.html"
    context_object_name = "jobs"
    paginate_by = PER_PAGE

    def get_queryset(self) -> QuerySet[ImportJob]:
        return import_job_list(self.workspace)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_range"] = page_range(context.get("page_obj"))
        context["can_edit"] = Perm.EDIT in self.perms
        return context


class ImportJobCreateView(WorkspaceMixin, FormView):
    """Upload a CSV or XLSX file of values; it is checked in the background."""

    permission = Perm.EDIT
    template_name = "indicators/imports/import_form.html"
    form_class = ImportUploadForm

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        try:
            job = services.import_job_create(
                actor=cast(User, self.request.user),
                workspace=self.workspace,
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
            return self.form_invalid(form)
        return HttpResponseRedirect(
            reverse("indicators:import_detail", kwargs={"slug": self.workspace.slug, "pk": job.pk})
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        slug = self.workspace.slug
        context["template_xlsx_url"] = reverse(
            "indicators:import_template", kwargs={"slug": slug, "fmt": "xlsx"}
        )
        context["template_csv_url"] = reverse(
            "indicators:import_template", kwargs={"slug": slug, "fmt": "csv"}
        )
        return context


class ImportJobDetailView(HtmxTemplateMixin, ImportJobMixin, TemplateView):
    """An upload's progress, then its errors or its summary and the button that imports it."""

    template_name = "indicators/imports/import_detail.html"
    htmx_partial = "status"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.job
        page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            {
                "running": job.status in RUNNING,
                "errors_page": page,
                "page_obj": page,
                "page_range": page_range(page),
                "hidden_errors": max(0, job.error_count - len(job.errors)),
                "can_edit": Perm.EDIT in self.perms,
                "can_commit": Perm.EDIT in self.perms and job.status == ImportStatus.READY,
                "observations_url": observation_list_url(self.workspace.slug, job),
                "to_write": job.created_count + job.updated_count,
            }
        )
        return context


class ImportJobCommitView(ImportJobMixin, View):
    """POST: import a checked file (in the background); back to its page."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.import_job_commit(actor=cast(User, request.user), job=self.job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(
            reverse(
                "indicators:import_detail", kwargs={"slug": self.workspace.slug, "pk": self.job.pk}
            )
        )


class ImportJobCancelView(ImportJobMixin, TemplateView):
    """Confirm, then cancel an upload that will not be imported."""

    permission = Perm.EDIT
    template_name = "indicators/imports/import_confirm_cancel.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.import_job_cancel(actor=cast(User, request.user), job=self.job)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages), status=400)
        messages.success(request, _("The import was cancelled; nothing was saved."))
        return HttpResponseRedirect(
            reverse("indicators:import_list", kwargs={"slug": self.workspace.slug})
        )


class ImportTemplateView(WorkspaceMixin, View):
    """The file to fill in: one row per indicator (XLSX with a sheet describing each)."""

    permission = Perm.EDIT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = kwargs["fmt"]
        name = f"{self.workspace.slug}-indicator-values-template"
        if fmt == "xlsx":
            response = HttpResponse(
                template_xlsx(self.workspace), content_type=CONTENT_TYPES["xlsx"]
            )
        elif fmt == "csv":
            response = HttpResponse(template_csv(self.workspace), content_type=CONTENT_TYPES["csv"])
        else:
            raise Http404("No such format")
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class ExportView(WorkspaceMixin, TemplateView):
    """Choose a selection of values and a format (CSV, Excel, SDMX-CSV)."""

    template_name = "indicators/imports/export_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ExportFilterForm(
            self.request.GET or None,
            workspace=self.workspace,
            sees_drafts=Perm.VIEW_DRAFTS in self.perms,
        )
        context["form"] = form
        query = self.request.GET.urlencode()
        context["downloads"] = [
            (
                label,
                reverse(
                    "indicators:export_download", kwargs={"slug": self.workspace.slug, "fmt": fmt}
                )
                + (f"?{query}" if query else ""),
            )
            for fmt, label in (
                ("csv", _("CSV")),
                ("xlsx", _("Excel (XLSX)")),
                ("sdmx", _("SDMX-CSV (SDMX 2.1)")),
            )
        ]
        context["sees_drafts"] = Perm.VIEW_DRAFTS in self.perms
        return context


def export_response(workspace: Any, perms: frozenset[Perm], form: ExportFilterForm, fmt: str):
    """The download of a valid selection in `fmt` (streamed for CSV and SDMX-CSV)."""
    rows = export_rows(workspace, perms, form.selection())
    filename = f"{workspace.slug}-indicator-values.{EXTENSIONS[fmt]}"
    response: HttpResponseBase
    if fmt == "xlsx":
        response = FileResponse(
            xlsx_file(rows), content_type=CONTENT_TYPES["xlsx"], as_attachment=True,
            filename=filename,
        )  # fmt: skip
    else:
        response = StreamingHttpResponse(
            csv_lines(rows, sdmx=fmt == "sdmx", ref_area=workspace.country),
            content_type=CONTENT_TYPES[fmt],
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportDownloadView(WorkspaceMixin, View):
    """GET: the selection (query string of the export form) as a file in the URL's format."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404("No such format")
        form = ExportFilterForm(
            request.GET, workspace=self.workspace, sees_drafts=Perm.VIEW_DRAFTS in self.perms
        )
        if not form.is_valid():
            url = reverse("indicators:export", kwargs={"slug": self.workspace.slug})
            return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}")
        return export_response(self.workspace, self.perms, form, fmt)


urlpatterns = [
    path(f"{W}imports/", ImportJobListView.as_view(), name="import_list"),
    path(f"{W}imports/new/", ImportJobCreateView.as_view(), name="import_create"),
    path(f"{W}imports/template.<slug:fmt>", ImportTemplateView.as_view(), name="import_template"),
    path(f"{W}imports/<int:pk>/", ImportJobDetailView.as_view(), name="import_detail"),
    path(f"{W}imports/<int:pk>/commit/", ImportJobCommitView.as_view(), name="import_commit"),
    path(f"{W}imports/<int:pk>/cancel/", ImportJobCancelView.as_view(), name="import_cancel"),
    path(f"{W}export/", ExportView.as_view(), name="export"),
    path(f"{W}export/<slug:fmt>/", ExportDownloadView.as_view(), name="export_download"),
]
