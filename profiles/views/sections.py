"""Pages of profile sections: reading a section (narrative, live or frozen indicator tables,
sources, gaps, recommendations, review panel), editing it, managing its tables, sources, gaps and
recommendations. Routes at the bottom.

Every object is fetched through `profiles.selectors.sections` scoped to the URL's workspace and
the reader's rights (404 otherwise). Readers who do not see drafts get the approved snapshot,
its frozen tables included.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.charts import Series, line_chart
from core.forms import add_service_errors
from indicators.models import DataGap, DataSource, Indicator
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm
from stakeholders.review import sees_drafts, visible_content
from stakeholders.review_views import ReviewableUpdateMixin, review_panel_context

from ..forms.sections import (
    MoveForm,
    RecommendationForm,
    SectionGapForm,
    SectionSourcesForm,
    SectionTableForm,
    SectionUpdateForm,
)
from ..models import Recommendation, Section, SectionTable
from ..selectors import sections as selectors
from ..services import sections as services


class SectionObjectMixin:
    """`self.section`: the section of the URL's `pk` (or `section_pk`) if readable, else 404."""

    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any
    perms: frozenset[Perm]
    section_kwarg = "pk"

    @cached_property
    def section(self) -> Section:
        section = (
            selectors.section_list(workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs[self.section_kwarg])
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return section

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["section"] = self.section
        context["edition"] = self.section.edition
        context["edition_url"] = reverse(
            "profiles:edition_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.section.edition_id},
        )
        context["content"] = visible_content(self.section, perms=self.perms)
        return context


def _chart(table: dict[str, Any]) -> Any:
    series = [
        Series(
            name=row["label"],
            values=[float(v) if v is not None else None for v in row["cells"]],
        )
        for row in table["rows"]
    ]
    return line_chart(
        title=f"{table['indicator']} {table['name']}",
        series=series,
        x_labels=[str(year) for year in table["years"]],
        y_label=table["unit"],
    )


class SectionDetailView(WorkspaceMixin, SectionObjectMixin, TemplateView):
    template_name = "profiles/sections/section_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        section = self.section
        drafts = sees_drafts(self.perms, section)
        tables = selectors.section_tables_for_display(section, sees_drafts=drafts)
        for table in tables:
            if table["kind"] == "chart":
                table["chart"] = _chart(table)
        context["tables"] = tables
        context["sees_drafts"] = drafts
        context["can_edit"] = Perm.EDIT in self.perms
        context["table_rows"] = (
            list(selectors.section_table_list(section=section)) if context["can_edit"] else []
        )
        context["sources"] = list(section.sources.select_related("producer"))
        context["gaps"] = list(section.gaps.select_related("indicator"))
        context["recommendations"] = (
            list(selectors.recommendation_list(section=section))
            if section.has_recommendations
            else []
        )
        context["review"] = review_panel_context(
            request=self.request, item=section, perms=self.perms
        )
        return context


class SectionUpdateView(ReviewableUpdateMixin, WorkspaceMixin, SectionObjectMixin, FormView):
    """Edit the title and narrative; a stale save shows the shared conflict page (409)."""

    permission = Perm.EDIT
    form_class = SectionUpdateForm
    template_name = "profiles/sections/section_form.html"

    def get_reviewable(self) -> Section:
        return self.section

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.section
        return kwargs


def _workspace_indicators(workspace: Any) -> Any:
    return Indicator.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace)).order_by(
        "framework__position", "workspace", "code"
    )


class SectionTableCreateView(WorkspaceMixin, SectionObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = SectionTableForm
    template_name = "profiles/sections/table_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["indicators"] = _workspace_indicators(self.workspace)
        return kwargs

    def form_valid(self, form: SectionTableForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            table = services.section_table_add(
                actor=cast(Any, self.request.user),
                section=self.section,
                indicator=data["indicator"],
                axis=data.get("axis") or "",
                first_year=data.get("first_year"),
                last_year=data.get("last_year"),
                kind=data["kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The table “%(table)s” was added.") % {"table": table})
        return HttpResponseRedirect(self.section.get_absolute_url() + "#tables-heading")


class TableObjectMixin:
    """`self.table`: a table of a section the user may edit (Perm.EDIT sees every draft)."""

    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any

    @cached_property
    def table(self) -> SectionTable:
        table = (
            SectionTable.objects.filter(section__workspace=self.workspace, pk=self.kwargs["pk"])
            .select_related("section__workspace", "section__edition", "indicator")
            .first()
        )
        if table is None:
            raise Http404("No such table")
        return table


class SectionTableDeleteView(WorkspaceMixin, TableObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "profiles/sections/table_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["table"] = self.table
        context["section"] = self.table.section
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        table = self.table
        section = table.section
        try:
            services.section_table_remove(actor=cast(Any, request.user), table=table)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The table “%(table)s” was removed.") % {"table": table})
        return HttpResponseRedirect(section.get_absolute_url() + "#tables-heading")


class SectionTableMoveView(WorkspaceMixin, TableObjectMixin, View):
    """POST `direction` (up|down)."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        table = self.table
        form = MoveForm(request.POST)
        if form.is_valid():
            step = -1 if form.cleaned_data["direction"] == "up" else 1
            try:
                services.section_table_move(
                    actor=cast(Any, request.user), table=table, position=table.position + step
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
        return HttpResponseRedirect(table.section.get_absolute_url() + "#tables-heading")


class SectionSourcesView(WorkspaceMixin, SectionObjectMixin, FormView):
    """Cite the workspace's data sources and flag its data gaps."""

    permission = Perm.EDIT
    form_class = SectionSourcesForm
    template_name = "profiles/sections/sources_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["sources"] = DataSource.objects.filter(workspace=self.workspace).order_by("name")
        kwargs["gaps"] = (
            DataGap.objects.filter(workspace=self.workspace)
            .select_related("indicator")
            .order_by("indicator__code", "year", "pk")
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"sources": self.section.sources.all(), "gaps": self.section.gaps.all()}

    def form_valid(self, form: SectionSourcesForm) -> HttpResponse:
        try:
            services.section_sources_set(
                actor=cast(Any, self.request.user),
                section=self.section,
                sources=form.cleaned_data["sources"],
                gaps=form.cleaned_data["gaps"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The sources and gaps of the section were saved."))
        return HttpResponseRedirect(self.section.get_absolute_url() + "#sources-heading")


class SectionGapCreateView(WorkspaceMixin, SectionObjectMixin, FormView):
    """Record a new data gap for an indicator of the section's tables, and flag it."""

    permission = Perm.EDIT
    form_class = SectionGapForm
    template_name = "profiles/sections/gap_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["indicators"] = Indicator.objects.filter(
            pk__in=self.section.tables.values("indicator")
        ).order_by("code")
        return kwargs

    def form_valid(self, form: SectionGapForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.section_gap_flag_new(
                actor=cast(Any, self.request.user),
                section=self.section,
                indicator=data["indicator"],
                year=data.get("year"),
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The data gap was recorded and flagged."))
        return HttpResponseRedirect(self.section.get_absolute_url() + "#gaps-heading")


# Recommendations -------------------------------------------------------------------------------


class RecommendationCreateView(WorkspaceMixin, SectionObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = RecommendationForm
    template_name = "profiles/sections/recommendation_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.section.has_recommendations:
            raise Http404("This section holds no recommendations")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: RecommendationForm) -> HttpResponse:
        try:
            services.recommendation_create(
                actor=cast(Any, self.request.user), section=self.section, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The recommendation was added."))
        return HttpResponseRedirect(self.section.get_absolute_url() + "#recommendations-heading")


class RecommendationObjectMixin:
    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any

    @cached_property
    def recommendation(self) -> Recommendation:
        recommendation = (
            Recommendation.objects.filter(workspace=self.workspace, pk=self.kwargs["pk"])
            .select_related("section__workspace", "section__edition")
            .first()
        )
        if recommendation is None:
            raise Http404("No such recommendation")
        return recommendation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["recommendation"] = self.recommendation
        context["section"] = self.recommendation.section
        return context


class RecommendationUpdateView(WorkspaceMixin, RecommendationObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = RecommendationForm
    template_name = "profiles/sections/recommendation_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.recommendation.text, "target": self.recommendation.target}

    def form_valid(self, form: RecommendationForm) -> HttpResponse:
        try:
            services.recommendation_update(
                actor=cast(Any, self.request.user),
                recommendation=self.recommendation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The recommendation was saved."))
        return HttpResponseRedirect(
            self.recommendation.section.get_absolute_url() + "#recommendations-heading"
        )


class RecommendationDeleteView(WorkspaceMixin, RecommendationObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "profiles/sections/recommendation_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        section = self.recommendation.section
        try:
            services.recommendation_delete(
                actor=cast(Any, request.user), recommendation=self.recommendation
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The recommendation was removed."))
        return HttpResponseRedirect(section.get_absolute_url() + "#recommendations-heading")


class RecommendationMoveView(WorkspaceMixin, RecommendationObjectMixin, View):
    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        recommendation = self.recommendation
        form = MoveForm(request.POST)
        if form.is_valid():
            step = -1 if form.cleaned_data["direction"] == "up" else 1
            try:
                services.recommendation_move(
                    actor=cast(Any, request.user),
                    recommendation=recommendation,
                    position=recommendation.position + step,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
        return HttpResponseRedirect(
            recommendation.section.get_absolute_url() + "#recommendations-heading"
        )


W = "w/<slug:slug>/profiles"

urlpatterns = [
    path(f"{W}/sections/<int:pk>/", SectionDetailView.as_view(), name="section_detail"),
    path(f"{W}/sections/<int:pk>/edit/", SectionUpdateView.as_view(), name="section_update"),
    path(
        f"{W}/sections/<int:pk>/tables/new/",
        SectionTableCreateView.as_view(),
        name="section_table_create",
    ),
    path(
        f"{W}/section-tables/<int:pk>/delete/",
        SectionTableDeleteView.as_view(),
        name="section_table_delete",
    ),
    path(
        f"{W}/section-tables/<int:pk>/move/",
        SectionTableMoveView.as_view(),
        name="section_table_move",
    ),
    path(f"{W}/sections/<int:pk>/sources/", SectionSourcesView.as_view(), name="section_sources"),
    path(
        f"{W}/sections/<int:pk>/gaps/new/",
        SectionGapCreateView.as_view(),
        name="section_gap_create",
    ),
    path(
        f"{W}/sections/<int:pk>/recommendations/new/",
        RecommendationCreateView.as_view(),
        name="recommendation_create",
    ),
    path(
        f"{W}/recommendations/<int:pk>/edit/",
        RecommendationUpdateView.as_view(),
        name="recommendation_update",
    ),
    path(
        f"{W}/recommendations/<int:pk>/delete/",
        RecommendationDeleteView.as_view(),
        name="recommendation_delete",
    ),
    path(
        f"{W}/recommendations/<int:pk>/move/",
        RecommendationMoveView.as_view(),
        name="recommendation_move",
    ),
]
