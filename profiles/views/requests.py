"""Pages of data requests: who still owes what, asking, answering, reopening, cancelling, and
the answer file (served only here, after the access check). Routes at the bottom.

Readers: those who see drafts read every request; contributors read those asked of their own
organisation; others get 403 on the list and 404 on a request (see `selectors.requests`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from core.forms import add_service_errors
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm

from ..choices import RequestStatus
from ..forms.requests import DataRequestAnswerForm, DataRequestForm
from ..models import DataRequest, Edition
from ..selectors.requests import (
    answerable_observations,
    data_request_list,
    filter_requests,
    may_read_requests,
    organisations_of,
    owed_by_organisation,
    workspace_today,
)
from ..services import requests as services

PER_PAGE = 25


class DataRequestsMixin(WorkspaceMixin):
    """The requests this reader may read (403 for members who read none)."""

    @cached_property
    def organisation_id(self) -> int | None:
        return services.member_organisation_id(self.request.user, self.workspace)

    @cached_property
    def today(self) -> Any:
        return workspace_today(self.workspace)

    def readable(self) -> Any:
        if not may_read_requests(self.perms):
            raise PermissionDenied
        return data_request_list(
            workspace=self.workspace,
            perms=self.perms,
            organisation_id=self.organisation_id,
            today=self.today,
        )

    def list_url(self) -> str:
        return reverse("profiles:data_request_list", kwargs={"slug": self.workspace.slug})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["list_url"] = self.list_url()
        context["may_manage"] = services.REQUEST_MANAGE in self.perms
        return context


class DataRequestObjectMixin(DataRequestsMixin):
    """`self.data_request`: a request this reader may read (404 otherwise)."""

    @cached_property
    def data_request(self) -> DataRequest:
        found = self.readable().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404("No such data request")
        return found

    def readable(self) -> Any:
        # A request the reader may not read is not found, whatever their role.
        if not may_read_requests(self.perms):
            raise Http404("No such data request")
        return super().readable()

    def detail_url(self) -> str:
        return reverse(
            "profiles:data_request_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.data_request.pk},
        )

    def may_answer(self) -> bool:
        return self.data_request.status == RequestStatus.OPEN and services.data_request_may_answer(
            request=self.data_request, perms=self.perms, organisation_id=self.organisation_id
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["data_request"] = self.data_request
        context["detail_url"] = self.detail_url()
        context["may_answer"] = self.may_answer()
        return context


class RequestTableMixin(DataRequestsMixin):
    def table_context(self, queryset: Any, **filters: str) -> dict[str, Any]:
        shown = filter_requests(queryset, today=self.today, **filters)
        page = Paginator(shown, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "requests": list(page.object_list),
            "page_obj": page,
            "page_range": page_range(page),
            "query_string": query.urlencode(),
            "statuses": [("overdue", _("Overdue")), *RequestStatus.choices],
        }


class DataRequestListView(RequestTableMixin, TemplateView):
    """Who still owes what: open and overdue requests first, filters by organisation, status
    and edition, and a count per organisation."""

    template_name = "profiles/requests/request_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = self.readable()
        params = self.request.GET
        selected = {
            "organisation": params.get("organisation", ""),
            "status": params.get("status", ""),
            "edition": params.get("edition", ""),
        }
        context.update(self.table_context(queryset, **selected))
        context.update(
            selected=selected,
            filtered=any(selected.values()),
            owed=owed_by_organisation(queryset),
            organisations=list(organisations_of(self.workspace)),
            editions=list(
                Edition.objects.filter(workspace=self.workspace)
                .order_by("-number")
                .only("pk", "number", "title")
            ),
        )
        return context


class DataRequestOrganisationView(RequestTableMixin, TemplateView):
    """Every request asked of one organisation: what it still owes and what it answered."""

    template_name = "profiles/requests/request_organisation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = organisations_of(self.workspace).filter(pk=self.kwargs["org_pk"]).first()
        if organisation is None:
            raise Http404("No such organisation")
        queryset = self.readable().filter(organisation=organisation)
        status = self.request.GET.get("status", "")
        context.update(self.table_context(queryset, status=status))
        context.update(
            organisation=organisation, selected={"status": status}, filtered=bool(status)
        )
        return context


class DataRequestCreateView(DataRequestsMixin, FormView):
    permission = services.REQUEST_MANAGE
    template_name = "profiles/requests/request_form.html"
    form_class = DataRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["workspace"] = self.workspace
        initial = dict(kwargs.get("initial") or {})
        for name in ("edition", "section", "indicator", "organisation"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        kwargs["initial"] = initial
        return kwargs

    def form_valid(self, form: DataRequestForm) -> HttpResponse:
        try:
            created = services.data_request_create(
                actor=self.request.user,  # type: ignore[arg-type]
                workspace=self.workspace,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Request sent to %(organisation)s.") % {"organisation": created.organisation},
        )
        return HttpResponseRedirect(
            reverse(
                "profiles:data_request_detail",
                kwargs={"slug": self.workspace.slug, "pk": created.pk},
            )
        )


class DataRequestDetailView(DataRequestObjectMixin, TemplateView):
    template_name = "profiles/requests/request_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["observations"] = list(
            self.data_request.observations.select_related("indicator").order_by(
                "indicator__code", "period", "pk"
            )
        )
        context["file_name"] = (
            PurePath(self.data_request.answer_file.name).name
            if self.data_request.answer_file
            else ""
        )
        return context


class DataRequestAnswerView(DataRequestObjectMixin, FormView):
    """The asked organisation answers (coordinators may record an answer received otherwise)."""

    permission = Perm.ANSWER_REQUESTS
    template_name = "profiles/requests/request_answer.html"
    form_class = DataRequestAnswerForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_may_answer()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_may_answer()
        return super().post(request, *args, **kwargs)

    def check_may_answer(self) -> None:
        if not self.may_answer():
            raise PermissionDenied

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["observations"] = answerable_observations(self.data_request)
        return kwargs

    def form_valid(self, form: DataRequestAnswerForm) -> HttpResponse:
        try:
            services.data_request_answer(
                actor=self.request.user,  # type: ignore[arg-type]
                request=self.data_request,
                note=form.cleaned_data["answer_note"],
                file=form.cleaned_data["answer_file"],
                observations=form.cleaned_data["observations"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: your answer was recorded."))
        return HttpResponseRedirect(self.detail_url())


class DataRequestStatusView(DataRequestObjectMixin, TemplateView):
    """Reopen or cancel, after a confirmation page."""

    permission = services.REQUEST_MANAGE
    template_name = "profiles/requests/request_confirm.html"
    action = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        service = (
            services.data_request_cancel
            if self.action == "cancel"
            else services.data_request_reopen
        )
        try:
            service(actor=request.user, request=self.data_request)  # type: ignore[arg-type]
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("The request was cancelled.")
            if self.action == "cancel"
            else _("The request is open again."),
        )
        return HttpResponseRedirect(self.detail_url())


class DataRequestDownloadView(DataRequestObjectMixin, View):
    """The answer file, as an attachment of its checked type, never sniffed by the browser."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        answered = self.data_request
        if not answered.answer_file:
            raise Http404("No file")
        response = FileResponse(
            answered.answer_file.open("rb"),
            as_attachment=True,
            filename=PurePath(answered.answer_file.name).name,
            content_type=answered.answer_content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


W = "w/<slug:slug>/profiles/requests/"

urlpatterns = [
    path(W, DataRequestListView.as_view(), name="data_request_list"),
    path(f"{W}new/", DataRequestCreateView.as_view(), name="data_request_create"),
    path(
        f"{W}organisations/<int:org_pk>/",
        DataRequestOrganisationView.as_view(),
        name="data_request_organisation",
    ),
    path(f"{W}<int:pk>/", DataRequestDetailView.as_view(), name="data_request_detail"),
    path(f"{W}<int:pk>/answer/", DataRequestAnswerView.as_view(), name="data_request_answer"),
    path(
        f"{W}<int:pk>/reopen/",
        DataRequestStatusView.as_view(action="reopen"),
        name="data_request_reopen",
    ),
    path(
        f"{W}<int:pk>/cancel/",
        DataRequestStatusView.as_view(action="cancel"),
        name="data_request_cancel",
    ),
    path(f"{W}<int:pk>/download/", DataRequestDownloadView.as_view(), name="data_request_download"),
]
