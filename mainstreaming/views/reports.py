"""Pages of PDF reports: archive, request form, report page (htmx progress), download, retry.

Everyone who may request reports reads the archive, but only reports at or below their own
rights level (an observer never sees a drafts-level report; DESIGN §6). Files are served only
by `ReportDownloadView`, which checks access and records the download.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.htmx import HtmxTemplateMixin
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm

from ..choices import REPORT_IN_PROGRESS, ReportStatus
from ..forms.reports import ReportRequestForm
from ..models import Report
from ..selectors.reports import report_list, report_of_workspace
from ..services import reports as services

# How often the report page asks for news while the report is being produced.
POLL_SECONDS = 2


class ReportMixin(WorkspaceMixin):
    permission = Perm.REQUEST_REPORTS

    @cached_property
    def report(self) -> Report:
        report = report_of_workspace(
            workspace=self.workspace, perms=self.perms, pk=self.kwargs["pk"]
        )
        if report is None:
            raise Http404("No such report")
        return report


class ReportListView(WorkspaceMixin, ListView):
    """The workspace's reports archive (at or below the reader's rights level)."""

    permission = Perm.REQUEST_REPORTS
    template_name = "reports/jobs/report_list.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self) -> Any:
        return report_list(workspace=self.workspace, perms=self.perms)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_range"] = page_range(context["page_obj"])
        context["query_string"] = ""
        context["sees_drafts"] = Perm.VIEW_DRAFTS in self.perms
        return context


class ReportCreateView(WorkspaceMixin, FormView):
    """Request a report; an identical one being produced is shown instead of a new one."""

    permission = Perm.REQUEST_REPORTS
    form_class = ReportRequestForm
    template_name = "reports/jobs/report_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("kind", "cycle", "edition", "indicator"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(workspace=self.workspace, perms=self.perms)
        return kwargs

    def form_valid(self, form: ReportRequestForm) -> HttpResponse:
        try:
            report, created = services.report_request(
                actor=cast(Any, self.request.user),
                workspace=self.workspace,
                kind=form.cleaned_data["kind"],
                parameters=form.parameters(),
                language=getattr(self.request, "LANGUAGE_CODE", None),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("Your report is being produced."))
        else:
            messages.info(
                self.request,
                _("The same report is already being produced; here it is."),
            )
        return HttpResponseRedirect(report.get_absolute_url())


class ReportDetailView(ReportMixin, HtmxTemplateMixin, TemplateView):
    """A report's status; polled by htmx while it is produced, with the download link when done."""

    template_name = "reports/jobs/report_detail.html"
    htmx_partial = "status"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.report
        context["report"] = report
        context["in_progress"] = report.status in REPORT_IN_PROGRESS
        context["is_done"] = report.status == ReportStatus.DONE and bool(report.file)
        context["is_failed"] = report.status == ReportStatus.FAILED
        context["error_message"] = _(report.error) if report.error else ""
        context["poll_seconds"] = POLL_SECONDS
        return context


class ReportDownloadView(ReportMixin, View):
    """The report's PDF, as an attachment; every download is recorded."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        report = self.report
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404("The report is not ready")
        return report_file_response(report, actor=request.user)


def report_file_response(report: Report, *, actor: Any) -> FileResponse:
    """Record the download and answer the file (the caller has checked access)."""
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("The report's file is missing") from None
    services.report_download_record(actor=actor, report=report)
    name = f"{slugify(report.title)[:80] or 'report'}-{report.pk}.pdf"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ReportRetryView(ReportMixin, View):
    """Queue a failed report again (POST only: the button on the report page)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.report_retry(actor=cast(Any, request.user), report=self.report)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The report is being produced again."))
        return HttpResponseRedirect(self.report.get_absolute_url())


W = "w/<slug:slug>/reports"

urlpatterns = [
    path(f"{W}/", ReportListView.as_view(), name="report_list"),
    path(f"{W}/new/", ReportCreateView.as_view(), name="report_create"),
    path(f"{W}/<int:pk>/", ReportDetailView.as_view(), name="report_detail"),
    path(f"{W}/<int:pk>/download/", ReportDownloadView.as_view(), name="report_download"),
    path(f"{W}/<int:pk>/retry/", ReportRetryView.as_view(), name="report_retry"),
]
