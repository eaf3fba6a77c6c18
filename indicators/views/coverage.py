"""Pages of coverage and gaps: the coverage matrix, data gaps, an indicator's data and chart.

Routes are listed at the bottom, next to their views. Readers without the right to see drafts
see approved values only (`indicators.selectors.observations`); the matrix and the charts follow
the same rule.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.charts import MISSING
from core.forms import add_service_errors
from core.paging import page_range
from core.periods import period_sort_key
from stakeholders.access import WorkspaceMixin
from stakeholders.models import User
from stakeholders.permissions import Perm
from stakeholders.selectors import organisation_list

from ..charts import Chart, ChartPoint, axis_value_label, coverage_chart, indicator_chart
from ..choices import TOTAL, GapStatus
from ..forms.gaps import DataGapFilterForm, DataGapForm
from ..models import AXIS_FIELDS, DataGap, Dimension, Indicator
from ..selectors.coverage import (
    coverage_framework,
    coverage_matrix,
    coverage_window,
    data_gap_list,
    framework_list,
    gap_indicator_list,
    readable_indicator,
)
from ..selectors.observations import readable_observations, shown
from ..services import gaps as services
from ..suppression import is_total, suppressed, suppression_applies

PER_PAGE = 25


# Coverage --------------------------------------------------------------------------------------


class CoverageView(WorkspaceMixin, TemplateView):
    """Indicators by dimension × the last ten years: approved, draft or missing, and gaps."""

    template_name = "indicators/coverage/matrix.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        framework = coverage_framework(self.request.GET.get("framework"))
        if framework is None:
            raise Http404("No indicator framework")
        years = coverage_window(self.request.GET.get("end"))
        matrix = coverage_matrix(
            workspace=self.workspace, perms=self.perms, framework=framework, years=years
        )
        base = reverse("indicators:coverage", kwargs={"slug": self.workspace.slug})

        def window_url(end: int) -> str:
            return f"{base}?{urlencode({'framework': framework.code, 'end': str(end)})}"

        context.update(
            {
                "matrix": matrix,
                "chart": coverage_chart(matrix, chart_id="coverage-by-dimension"),
                "frameworks": framework_list(),
                "framework": framework,
                "years": years,
                "end_choices": list(range(years[-1] + 5, years[-1] - 16, -1)),
                "earlier_url": window_url(years[-1] - len(years)),
                "later_url": window_url(years[-1] + len(years)),
                "can_edit": Perm.EDIT in self.perms,
                "column_count": len(years) + 2,
                "return_to": self.request.get_full_path(),
            }
        )
        return context


class DataGapFromCellView(WorkspaceMixin, View):
    """One click on a matrix cell without approved data: record a gap for it, then edit it."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        indicator = readable_indicator(workspace=self.workspace, pk=request.POST.get("indicator"))
        year = request.POST.get("year", "")
        if indicator is None or not year.isdigit():
            raise Http404("No such cell")
        try:
            gap = services.data_gap_create_for_cell(
                actor=cast(User, request.user),
                workspace=self.workspace,
                indicator=indicator,
                year=int(year),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(
                reverse("indicators:coverage", kwargs={"slug": self.workspace.slug})
            )
        messages.success(
            request,
            _("A data gap was recorded for %(code)s in %(year)s. Add who will close it and how.")
            % {"code": indicator.code, "year": year},
        )
        return HttpResponseRedirect(
            reverse(
                "indicators:data_gap_update", kwargs={"slug": self.workspace.slug, "pk": gap.pk}
            )
        )


# Data gaps -------------------------------------------------------------------------------------


class DataGapMixin(WorkspaceMixin):
    """`self.gap`: a data gap of this workspace (404 otherwise)."""

    @cached_property
    def gap(self) -> DataGap:
        gap = (
            data_gap_list(workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if gap is None:
            raise Http404("No such data gap")
        return gap

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["gap"] = self.gap
        return context


class DataGapListView(WorkspaceMixin, TemplateView):
    """The workspace's data gaps; filters by status, reason, dimension and owner."""

    template_name = "indicators/coverage/gap_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DataGapFilterForm(
            self.request.GET or None,
            dimensions=Dimension.objects.select_related("framework").order_by(
                "framework__position", "position"
            ),
            organisations=organisation_list(user=self.request.user, workspace=self.workspace),
        )
        filters = form.filters() if self.request.GET else {}
        indicator = self.request.GET.get("indicator", "")
        gaps = data_gap_list(
            workspace=self.workspace, perms=self.perms, indicator=indicator, **filters
        )
        page = Paginator(gaps, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filter_form": form,
                "page_obj": page,
                "gaps": page.object_list,
                "page_range": page_range(page),
                "query_string": query.urlencode(),
                "shown_count": page.paginator.count,
                "can_edit": Perm.EDIT in self.perms,
                "closed": GapStatus.CLOSED,
            }
        )
        return context


class DataGapFormMixin(WorkspaceMixin):
    permission = Perm.EDIT
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["indicators"] = gap_indicator_list(workspace=self.workspace)
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def list_url(self) -> str:
        return reverse("indicators:data_gap_list", kwargs={"slug": self.workspace.slug})


class DataGapCreateView(DataGapFormMixin, FormView):
    form_class = DataGapForm
    template_name = "indicators/coverage/gap_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"status": GapStatus.OPEN}
        indicator = readable_indicator(
            workspace=self.workspace, pk=self.request.GET.get("indicator", "")
        )
        if indicator is not None:
            initial["indicator"] = indicator.pk
        year = self.request.GET.get("year", "")
        if year.isdigit():
            initial["year"] = int(year)
        return initial

    def form_valid(self, form: DataGapForm) -> HttpResponse:
        try:
            services.data_gap_create(
                actor=cast(User, self.request.user),
                workspace=self.workspace,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The data gap was recorded."))
        return HttpResponseRedirect(self.list_url())


class DataGapUpdateView(DataGapFormMixin, DataGapMixin, FormView):
    form_class = DataGapForm
    template_name = "indicators/coverage/gap_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.gap
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        context["history"] = self.gap.history.select_related("history_user").order_by(
            "-history_date"
        )[:20]
        return context

    def form_valid(self, form: DataGapForm) -> HttpResponse:
        try:
            services.data_gap_update(
                actor=cast(User, self.request.user), gap=self.gap, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The data gap was saved."))
        return HttpResponseRedirect(self.list_url())


class DataGapCloseView(DataGapMixin, View):
    """Mark a gap closed (a POST from the list or the edit page)."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.data_gap_close(actor=cast(User, request.user), gap=self.gap)
        messages.success(
            request,
            _("The data gap for %(code)s was closed.") % {"code": self.gap.indicator.code},
        )
        return HttpResponseRedirect(
            reverse("indicators:data_gap_list", kwargs={"slug": self.workspace.slug})
        )


class DataGapDeleteView(DataGapMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "indicators/coverage/gap_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        code = self.gap.indicator.code
        services.data_gap_delete(actor=cast(User, request.user), gap=self.gap)
        messages.success(request, _("The data gap for %(code)s was deleted.") % {"code": code})
        return HttpResponseRedirect(
            reverse("indicators:data_gap_list", kwargs={"slug": self.workspace.slug})
        )


# An indicator's data and chart -----------------------------------------------------------------


class IndicatorDataView(WorkspaceMixin, TemplateView):
    """An indicator's values in this workspace as a chart (one line per value of an axis) and a
    table; the values the reader may see only."""

    template_name = "indicators/coverage/indicator_data.html"

    @cached_property
    def indicator(self) -> Indicator:
        indicator = readable_indicator(workspace=self.workspace, pk=self.kwargs["indicator_pk"])
        if indicator is None:
            raise Http404("No such indicator")
        return indicator

    def selected_axis(self) -> str | None:
        axis = self.request.GET.get("axis", "")
        return axis if axis in self.indicator.allowed_axes() else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = self.indicator
        points = []
        # Small cells (indicators/suppression.py): left out of the chart, "<5" in its table.
        hidden: list[tuple[ChartPoint, str]] = []
        threshold = self.workspace.suppression_threshold
        applies = suppression_applies(self.perms)
        observations = readable_observations(self.workspace, self.perms).filter(indicator=indicator)
        for observation in observations.order_by("year", "period", "pk"):
            visible = shown(observation, self.perms)
            if visible is None:
                continue
            axes = {name: getattr(observation, name) for name in AXIS_FIELDS}
            point = ChartPoint(period=observation.period, axes=axes, value=visible.value)
            mask = suppressed(
                visible.value,
                unit_code=indicator.unit.code,
                is_total=is_total(axes),
                threshold=threshold,
                applies=applies,
            )
            if mask:
                hidden.append((point, mask))
            else:
                points.append(point)
        axis = self.selected_axis()
        chart = indicator_chart(
            indicator=indicator, points=points, axis=axis, chart_id=f"indicator-{indicator.pk}"
        )
        table_head, table_rows = _table_with_hidden(chart, hidden, axis)
        context.update(
            {
                "indicator": indicator,
                "axes": _axis_choices(indicator),
                "selected_axis": axis or "",
                "chart": chart,
                "has_data": bool(points or hidden),
                "table_head": table_head,
                "table_rows": table_rows,
                "suppression_note": bool(hidden),
                "threshold": threshold,
                "sees_drafts": Perm.VIEW_DRAFTS in self.perms,
                "can_edit": Perm.EDIT in self.perms,
            }
        )
        return context


def _table_with_hidden(
    chart: Chart, hidden: list[tuple[ChartPoint, str]], axis: str | None
) -> tuple[list[str], list[list[str]]]:
    """The chart's table with the suppressed cells of its lines written as "<5"."""
    head, rows = list(chart.head), [list(cells) for cells in chart.rows]
    for point, mask in hidden:
        if any(point.axes.get(name, TOTAL) != TOTAL for name in AXIS_FIELDS if name != axis):
            continue  # not on a line of this chart
        label = axis_value_label(axis or "", point.axes.get(axis, TOTAL) if axis else TOTAL)
        if label not in head:
            head.append(label)
            for cells in rows:
                cells.append(MISSING)
        row = next((cells for cells in rows if cells[0] == point.period), None)
        if row is None:
            row = [point.period, *(MISSING for _label in head[1:])]
            rows.append(row)
        row[head.index(label)] = mask
    rows.sort(key=lambda cells: (*period_sort_key(cells[0]), -len(cells[0])))
    return head, rows


def _axis_choices(indicator: Indicator) -> list[tuple[str, str]]:
    return [(str(axis), str(axis.label)) for axis in indicator.allowed_axes()]


W = "w/<slug:slug>/indicators/"

urlpatterns = [
    path(f"{W}coverage/", CoverageView.as_view(), name="coverage"),
    path(f"{W}coverage/gap/", DataGapFromCellView.as_view(), name="data_gap_from_cell"),
    path(f"{W}gaps/", DataGapListView.as_view(), name="data_gap_list"),
    path(f"{W}gaps/new/", DataGapCreateView.as_view(), name="data_gap_create"),
    path(f"{W}gaps/<int:pk>/edit/", DataGapUpdateView.as_view(), name="data_gap_update"),
    path(f"{W}gaps/<int:pk>/close/", DataGapCloseView.as_view(), name="data_gap_close"),
    path(f"{W}gaps/<int:pk>/delete/", DataGapDeleteView.as_view(), name="data_gap_delete"),
    path(f"{W}<int:indicator_pk>/data/", IndicatorDataView.as_view(), name="indicator_data"),
]
