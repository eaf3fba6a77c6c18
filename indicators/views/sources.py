"""Pages of data sources: the registry of where a workspace's figures come from. Routes at the
bottom. Every member reads the registry; editors and coordinators keep it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm
from stakeholders.selectors import organisation_list

from ..forms.sources import DataSourceForm
from ..models import DataSource
from ..selectors.observations import data_source_list
from ..services import sources as services

PER_PAGE = 25


def list_url(slug: str) -> str:
    return reverse("indicators:data_source_list", kwargs={"slug": slug})


class DataSourceListView(WorkspaceMixin, TemplateView):
    template_name = "indicators/sources/data_source_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sources = data_source_list(workspace=self.workspace, perms=self.perms).order_by("name")
        page = Paginator(sources, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            {
                "sources": page.object_list,
                "page_obj": page,
                "page_range": page_range(page),
                "can_edit": Perm.EDIT in self.perms,
            }
        )
        return context


class DataSourceObjectMixin(WorkspaceMixin):
    @cached_property
    def source(self) -> DataSource:
        found = (
            data_source_list(workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if found is None:
            raise Http404("No such data source")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["source"] = self.source
        return context


class DataSourceFormMixin(WorkspaceMixin):
    permission = Perm.EDIT
    form_class = DataSourceForm
    template_name = "indicators/sources/data_source_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs


class DataSourceCreateView(DataSourceFormMixin, FormView):
    def form_valid(self, form: DataSourceForm) -> HttpResponse:
        try:
            source = services.data_source_create(
                actor=cast(Any, self.request.user), workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The data source “%(name)s” was added.") % {"name": source}
        )
        return HttpResponseRedirect(list_url(self.workspace.slug))


class DataSourceUpdateView(DataSourceFormMixin, DataSourceObjectMixin, FormView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.source
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: DataSourceForm) -> HttpResponse:
        try:
            services.data_source_update(
                actor=cast(Any, self.request.user), source=self.source, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return HttpResponseRedirect(list_url(self.workspace.slug))


class DataSourceDeleteView(DataSourceObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "indicators/sources/data_source_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["observation_count"] = self.source.observations.count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = self.source.name
        services.data_source_delete(actor=cast(Any, request.user), source=self.source)
        messages.success(request, _("The data source “%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(list_url(self.workspace.slug))


W = "w/<slug:slug>/indicators/sources/"

urlpatterns = [
    path(W, DataSourceListView.as_view(), name="data_source_list"),
    path(f"{W}new/", DataSourceCreateView.as_view(), name="data_source_create"),
    path(f"{W}<int:pk>/edit/", DataSourceUpdateView.as_view(), name="data_source_update"),
    path(f"{W}<int:pk>/delete/", DataSourceDeleteView.as_view(), name="data_source_delete"),
]
