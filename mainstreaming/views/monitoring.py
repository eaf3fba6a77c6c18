"""Pages of the planning cycle: monitoring. Routes are listed at the bottom, next to their views.

KPIs and progress updates are reviewable: readers without the right to see drafts are shown the
approved snapshot of a KPI and only approved updates, and the status computed from those
(`mainstreaming.progress`).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from core.charts import Series, line_chart, series_table_rows
from core.forms import add_service_errors
from core.paging import page_range
from core.periods import period_sort_key
from stakeholders.access import WorkspaceMixin
from stakeholders.cache import CachedSummaryMixin
from stakeholders.models import Organisation
from stakeholders.permissions import Perm
from stakeholders.review import visible_content
from stakeholders.review_views import ReviewableUpdateMixin, review_panel_context
from stakeholders.selectors import organisation_list

from ..choices import Direction, ProgressStatus
from ..forms.monitoring import KPIForm, ProgressUpdateForm
from ..models import KPI, Action, Cycle, Objective, ProgressUpdate
from ..progress import update_values_for
from ..selectors.cycles import cycle_list, cycle_of_workspace_with
from ..selectors.monitoring import (
    KpiLine,
    KpiRow,
    display_number,
    filter_rows,
    kpi_list,
    kpi_row,
    kpi_rows_for,
    kpi_statuses,
    objective_or_action_list,
    organisation_summaries,
    organisations_by_id,
    progress_update_list,
    sort_updates,
    status_counts,
)
from ..services import monitoring as services

PER_PAGE = 25


def url_or_none(name: str, **kwargs: Any) -> str | None:
    """The URL if the page is routed (pages of other stages may not be yet)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def parent_url(workspace_slug: str, parent: Objective | Action | None) -> str | None:
    if parent is None:
        return None
    name = "objective_detail" if isinstance(parent, Objective) else "action_detail"
    return url_or_none(f"mainstreaming:{name}", slug=workspace_slug, pk=parent.pk)


class CycleMixin(WorkspaceMixin):
    """`self.cycle`: the cycle of the URL, in this workspace (404 otherwise)."""

    cycle_kwarg = "pk"

    @cached_property
    def cycle(self) -> Cycle:
        cycle = (
            cycle_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs[self.cycle_kwarg])
            .first()
        )
        if cycle is None:
            raise Http404("No such cycle")
        return cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        context["cycle_url"] = url_or_none(
            "mainstreaming:cycle_detail", slug=self.workspace.slug, pk=self.cycle.pk
        )
        context["dashboard_url"] = reverse(
            "mainstreaming:monitoring_dashboard",
            kwargs={"slug": self.workspace.slug, "pk": self.cycle.pk},
        )
        return context


class KPIObjectMixin(CycleMixin):
    """`self.kpi`: a KPI of this workspace the user may read (404 otherwise)."""

    @cached_property
    def kpi(self) -> KPI:
        kpi = (
            kpi_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if kpi is None:
            raise Http404("No such KPI")
        return kpi

    @cached_property
    def cycle(self) -> Cycle:
        return self.kpi.cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kpi"] = self.kpi
        context["kpi_content"] = visible_content(self.kpi, perms=self.perms)
        return context


class ProgressUpdateObjectMixin(CycleMixin):
    """`self.update`: a progress update of this workspace the user may read (404 otherwise)."""

    @cached_property
    def update(self) -> ProgressUpdate:
        update = (
            progress_update_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if update is None:
            raise Http404("No such progress update")
        return update

    @cached_property
    def cycle(self) -> Cycle:
        return self.update.kpi.cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpi = self.update.kpi
        context["update"] = self.update
        context["kpi"] = kpi
        context["kpi_content"] = visible_content(kpi, perms=self.perms)
        return context


# Dashboards ------------------------------------------------------------------------------------


class MonitoringListMixin(CycleMixin):
    """The KPI table with its status filter and pagination.

    Every KPI's status comes from `kpi_statuses` (minimal columns, no progress update loaded);
    only the KPIs of the page shown are fetched as model instances."""

    def all_rows(self) -> list[KpiLine]:
        return kpi_statuses(
            user=self.request.user, workspace=self.workspace, cycle=self.cycle, perms=self.perms
        )

    def selected_status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in ProgressStatus.values else ""

    def table_context(self, lines: list[KpiLine], *, organisation_id: int | None) -> dict[str, Any]:
        shown = filter_rows(lines, status=self.selected_status(), organisation_id=organisation_id)
        page = Paginator(shown, PER_PAGE).get_page(self.request.GET.get("page"))
        rows = kpi_rows_for(
            page.object_list, user=self.request.user, workspace=self.workspace, perms=self.perms
        )
        for row in rows:
            row.parent_url = parent_url(self.workspace.slug, row.parent)  # type: ignore[attr-defined]
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "rows": rows,
            "page_obj": page,
            "page_range": page_range(page),
            "query_string": query.urlencode(),
            "shown_count": len(shown),
            "statuses": ProgressStatus.choices,
            "selected_status": self.selected_status(),
            "can_edit": Perm.EDIT in self.perms,
            "sees_drafts": Perm.VIEW_DRAFTS in self.perms,
        }


class MonitoringDashboardView(CachedSummaryMixin, MonitoringListMixin, TemplateView):
    """Every KPI of the cycle with its status; filters by status and responsible organisation.

    The content is cached like the workspace home's (`stakeholders.cache`), per cycle, filter
    and page; the cycle itself is still fetched (and checked) on every request."""

    template_name = "mainstreaming/monitoring/dashboard.html"
    summary_name = "monitoring"
    summary_template_name = "mainstreaming/monitoring/dashboard.html#summary"

    @cached_property
    def cycle(self) -> Cycle:
        # Read on every request, cached summary or not: the workspace's permissions are known.
        cycle = cycle_of_workspace_with(
            workspace=self.workspace, perms=self.perms, pk=self.kwargs[self.cycle_kwarg]
        )
        if cycle is None:
            raise Http404("No such cycle")
        return cycle

    def selected_organisation(self) -> int | None:
        value = self.request.GET.get("organisation", "")
        return int(value) if value.isdigit() else None

    def summary_key_extra(self) -> tuple[Any, ...]:
        # The whole query string: filters, page, and what the pagination links carry on.
        return (self.cycle.pk, sorted(self.request.GET.lists()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.add_summary(context)
        return context

    def summary_context(self, context: dict[str, Any]) -> dict[str, Any]:
        """What the content of the page shows (the queries of a cache miss)."""
        context = dict(context)
        rows = self.all_rows()
        context.update(self.table_context(rows, organisation_id=self.selected_organisation()))
        context["counts"] = status_counts(rows)
        context["total"] = len(rows)
        context["organisations"] = organisation_summaries(rows)
        context["selected_organisation"] = self.selected_organisation()
        return context


class MonitoringOrganisationView(MonitoringListMixin, TemplateView):
    """One responsible organisation's KPIs in the cycle, with their statuses."""

    template_name = "mainstreaming/monitoring/organisation.html"

    @cached_property
    def organisation(self) -> Organisation:
        organisation = (
            organisation_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["org_pk"])
            .first()
        )
        if organisation is None:
            raise Http404("No such organisation")
        return organisation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = self.organisation
        rows = filter_rows(self.all_rows(), organisation_id=organisation.pk)
        context.update(self.table_context(rows, organisation_id=None))
        context["organisation"] = organisation
        context["counts"] = status_counts(rows)
        context["total"] = len(rows)
        return context


# KPIs ------------------------------------------------------------------------------------------


class KPICreateView(CycleMixin, FormView):
    """Add a KPI to an objective (?objective=<id>) or an action (?action=<id>) of the cycle."""

    permission = Perm.EDIT
    form_class = KPIForm
    template_name = "mainstreaming/monitoring/kpi_form.html"

    @cached_property
    def parent(self) -> Objective | Action:
        kind = "objective" if "objective" in self.request.GET else "action"
        found = objective_or_action_list(
            user=self.request.user,
            workspace=self.workspace,
            cycle=self.cycle,
            kind=kind,
            pk=self.request.GET.get(kind, ""),
        )
        if found is None:
            raise Http404("No such objective or action in this cycle")
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.parent  # noqa: B018 - 404 before anything is shown
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.parent  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"baseline_year": self.cycle.start_year - 1}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["cycle"] = self.cycle
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["parent"] = self.parent
        context["parent_title"] = visible_content(self.parent, perms=self.perms).get("title", "")
        context["parent_url"] = parent_url(self.workspace.slug, self.parent)
        return context

    def form_valid(self, form: KPIForm) -> HttpResponse:
        parent = self.parent
        try:
            kpi = services.kpi_create(
                actor=cast(Any, self.request.user),
                cycle=self.cycle,
                objective=parent if isinstance(parent, Objective) else None,
                action=parent if isinstance(parent, Action) else None,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The KPI was added as a draft."))
        return HttpResponseRedirect(kpi.get_absolute_url())


def kpi_chart(row: KpiRow, *, sees: bool) -> tuple[str, list[list[str]]]:
    """The SVG line chart of a KPI's baseline, targets and actual values, and its table."""
    content = row.content
    title = _("%(name)s: baseline, targets and actual values") % {"name": row.name}
    baseline_year = content.get("baseline_year")
    baseline = row.baseline_value
    targets = {
        int(year): Decimal(str(value)) for year, value in (content.get("targets") or {}).items()
    }
    actuals = {u.period: u.actual_value for u in update_values_for(row.updates, sees_drafts=sees)}
    labels = set(actuals) | {str(year) for year in targets}
    if baseline_year:
        labels.add(str(baseline_year))
    x_labels = sorted(labels, key=lambda p: (*period_sort_key(p), -len(p)))
    # The target path: straight lines from the baseline through each target.
    points: list[tuple[Decimal, Decimal]] = []
    if baseline is not None and baseline_year:
        points.append((Decimal(int(baseline_year) + 1), baseline))
    points += [(Decimal(year + 1), value) for year, value in sorted(targets.items())]

    def path_value(label: str) -> float | None:
        year, month = period_sort_key(label)
        at = Decimal(year) + Decimal(month) / 12
        for (x0, y0), (x1, y1) in pairwise(points):
            if x0 <= at <= x1 and x1 > x0:
                return float(y0 + (y1 - y0) * (at - x0) / (x1 - x0))
        if len(points) == 1 and points[0][0] == at:
            return float(points[0][1])
        return None

    path_series = Series(_("Baseline and targets"), [path_value(label) for label in x_labels])
    actual_values: list[float | None] = []
    for label in x_labels:
        if label in actuals:
            actual_values.append(float(actuals[label]))
        elif baseline is not None and label == str(baseline_year):
            actual_values.append(float(baseline))
        else:
            actual_values.append(None)
    actual_series = Series(_("Actual values"), actual_values)
    series = [path_series, actual_series]
    svg = line_chart(
        title=title,
        series=series,
        x_labels=x_labels,
        y_label=row.unit,
        chart_id=f"kpi-{row.kpi.pk}",
    )
    return svg, series_table_rows(x_labels, series, x_heading=_("Period"))


class KPIDetailView(KPIObjectMixin, TemplateView):
    template_name = "mainstreaming/monitoring/kpi_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpi = self.kpi
        organisations = organisations_by_id(user=self.request.user, workspace=self.workspace)
        row = kpi_row(kpi, perms=self.perms, organisations=organisations)
        sees = Perm.VIEW_DRAFTS in self.perms
        context["row"] = row
        context["parent_url"] = parent_url(self.workspace.slug, row.parent)
        context["targets"] = sorted(
            (int(year), display_number(value))
            for year, value in (row.content.get("targets") or {}).items()
        )
        direction = row.content.get("direction")
        context["direction_label"] = (
            Direction(direction).label if direction in Direction.values else ""
        )
        updates = []
        for update in sort_updates(row.updates):
            content = visible_content(update, perms=self.perms)
            updates.append(
                {
                    "update": update,
                    "content": content,
                    "value": display_number(content.get("actual_value")),
                }
            )
        context["updates"] = updates
        chart, table = kpi_chart(row, sees=sees)
        context["chart"] = chart
        context["chart_head"], context["chart_rows"] = table[0], table[1:]
        context["review"] = review_panel_context(request=self.request, item=kpi, perms=self.perms)
        context["can_edit"] = Perm.EDIT in self.perms
        context["sees_drafts"] = sees
        context["tracked_indicator"] = services.tracked_indicator(
            kpi, code=str(row.content.get("catalogue_code") or "")
        )
        context["can_delete"] = services.kpi_may_delete(
            actor=cast(Any, self.request.user), kpi=kpi, perms=self.perms
        )
        return context


class KPIUpdateView(ReviewableUpdateMixin, KPIObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = KPIForm
    template_name = "mainstreaming/monitoring/kpi_form.html"

    def get_reviewable(self) -> KPI:
        return self.kpi

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial.update(KPIForm.initial_for(self.kpi.review_content()))
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["cycle"] = self.kpi.cycle
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def review_changes(self, form: Any) -> dict[str, Any]:
        return cast(dict[str, Any], form.review_changes())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context


class KPIDeleteView(KPIObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "mainstreaming/monitoring/kpi_confirm_delete.html"

    def check(self) -> None:
        if not services.kpi_may_delete(
            actor=cast(Any, self.request.user), kpi=self.kpi, perms=self.perms
        ):
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["update_count"] = len(self.kpi.visible_updates)  # type: ignore[attr-defined]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        name = visible_content(self.kpi, perms=self.perms).get("name", "")
        target = reverse(
            "mainstreaming:monitoring_dashboard",
            kwargs={"slug": self.workspace.slug, "pk": self.kpi.cycle_id},
        )
        try:
            services.kpi_delete(actor=cast(Any, request.user), kpi=self.kpi)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The KPI “%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(target)


class KPIFeedView(KPIObjectMixin, TemplateView):
    """Bring the tracked indicator's approved values in as draft progress updates (confirmed)."""

    permission = Perm.EDIT
    template_name = "mainstreaming/monitoring/kpi_feed.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = services.tracked_indicator(self.kpi)
        context["indicator"] = indicator
        context["candidates"] = [
            {"period": fed.period, "value": display_number(fed.value)}
            for fed in services.kpi_feed_candidates(self.kpi)
        ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            created = services.kpi_feed_from_indicator(actor=cast(Any, request.user), kpi=self.kpi)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)s value was added as a draft progress update; submit it for review.",
                    "%(count)s values were added as draft progress updates; submit them for "
                    "review.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("There was no new approved value to bring in."))
        return HttpResponseRedirect(self.kpi.get_absolute_url())


# Progress updates ------------------------------------------------------------------------------


class ProgressUpdateCreateView(KPIObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = ProgressUpdateForm
    template_name = "mainstreaming/monitoring/progress_update_form.html"

    def form_valid(self, form: ProgressUpdateForm) -> HttpResponse:
        try:
            update = services.progress_update_create(
                actor=cast(Any, self.request.user), kpi=self.kpi, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The value for %(period)s was saved as a draft.") % {"period": update.period},
        )
        return HttpResponseRedirect(self.kpi.get_absolute_url())


class ProgressUpdateDetailView(ProgressUpdateObjectMixin, TemplateView):
    template_name = "mainstreaming/monitoring/progress_update_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        update = self.update
        context["content"] = visible_content(update, perms=self.perms)
        context["value_display"] = display_number(context["content"].get("actual_value"))
        context["review"] = review_panel_context(
            request=self.request, item=update, perms=self.perms
        )
        context["can_edit"] = Perm.EDIT in self.perms
        context["can_delete"] = services.progress_update_may_delete(update=update, perms=self.perms)
        return context


class ProgressUpdateUpdateView(ReviewableUpdateMixin, ProgressUpdateObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = ProgressUpdateForm
    template_name = "mainstreaming/monitoring/progress_update_form.html"

    def get_reviewable(self) -> ProgressUpdate:
        return self.update

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.update
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context


class ProgressUpdateDeleteView(ProgressUpdateObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "mainstreaming/monitoring/progress_update_confirm_delete.html"

    def check(self) -> None:
        if not services.progress_update_may_delete(update=self.update, perms=self.perms):
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        kpi = self.update.kpi
        period = self.update.period
        try:
            services.progress_update_delete(actor=cast(Any, request.user), update=self.update)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The value for %(period)s was deleted.") % {"period": period})
        return HttpResponseRedirect(kpi.get_absolute_url())


W = "w/<slug:slug>/"

urlpatterns = [
    path(f"{W}cycles/<int:pk>/kpis/new/", KPICreateView.as_view(), name="kpi_create"),
    path(f"{W}kpis/<int:pk>/", KPIDetailView.as_view(), name="kpi_detail"),
    path(f"{W}kpis/<int:pk>/edit/", KPIUpdateView.as_view(), name="kpi_update"),
    path(f"{W}kpis/<int:pk>/delete/", KPIDeleteView.as_view(), name="kpi_delete"),
    path(f"{W}kpis/<int:pk>/feed/", KPIFeedView.as_view(), name="kpi_feed"),
    path(
        f"{W}kpis/<int:pk>/updates/new/",
        ProgressUpdateCreateView.as_view(),
        name="progress_update_create",
    ),
    path(
        f"{W}updates/<int:pk>/", ProgressUpdateDetailView.as_view(), name="progress_update_detail"
    ),
    path(
        f"{W}updates/<int:pk>/edit/",
        ProgressUpdateUpdateView.as_view(),
        name="progress_update_update",
    ),
    path(
        f"{W}updates/<int:pk>/delete/",
        ProgressUpdateDeleteView.as_view(),
        name="progress_update_delete",
    ),
    path(
        f"{W}cycles/<int:pk>/monitoring/",
        MonitoringDashboardView.as_view(),
        name="monitoring_dashboard",
    ),
    path(
        f"{W}cycles/<int:pk>/monitoring/organisations/<int:org_pk>/",
        MonitoringOrganisationView.as_view(),
        name="monitoring_organisation",
    ),
]
