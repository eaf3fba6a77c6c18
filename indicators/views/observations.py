"""Pages of observations: the list with its filters, one value, the data-entry grids and batch
review of a filtered selection. Routes are listed at the bottom, next to their views.

Readers who may not see drafts (contributors, observers, a national coordinator reading a city)
see only observations approved at least once, with their last approved value
(`selectors.observations.readable_observations` and `shown`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from core.periods import period_error, period_sort_key
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm
from stakeholders.review import (
    TRANSITIONS,
    ReviewConflict,
    ReviewState,
    review_transition,
)
from stakeholders.review_views import review_panel_context

from ..choices import AXIS_CODES, FIRST_YEAR, LAST_YEAR, TOTAL, Axis, Quality
from ..forms.observations import BatchReviewForm, ObservationFilterForm, ObservationForm
from ..models import AXIS_FIELDS, DataSource, Dimension, Indicator, Observation
from ..selectors.observations import (
    ObservationFilters,
    Shown,
    data_source_list,
    observable_indicators,
    observation_grid_values,
    observation_list,
    observation_periods,
    observation_review_selection,
    shown,
)
from ..services import observations as services
from ..suppression import observation_suppressed
from ..validation import axis_error, parse_value

PER_PAGE = 50
GRID_YEARS = 5


def display_value(indicator: Indicator, value: Decimal | None) -> str:
    """A value as a reader sees it: an ordinal's label, else the number without trailing zeros."""
    if value is None:
        return ""
    label = indicator.category_label(value)
    if label:
        return label
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def code_label(axis: str, code: str) -> str:
    if axis == Axis.PARTNER_COUNTRY:
        return _("Total") if code == TOTAL else code
    return str(AXIS_CODES.get(axis, {}).get(code, code))


def breakdown_text(observation: Observation) -> str:
    parts = [
        f"{Axis(axis).label}: {code_label(axis, code)}"
        for axis, code in observation.breakdown().items()
    ]
    return "; ".join(parts) or _("Total")


class ObservationFilterMixin(WorkspaceMixin):
    """The selection of the query string: `self.filter_form`, `self.filters`."""

    @cached_property
    def filter_form(self) -> ObservationFilterForm:
        return ObservationFilterForm(
            self.request.GET or None,
            dimensions=Dimension.objects.select_related("framework").order_by(
                "framework__position", "position"
            ),
        )

    @cached_property
    def filters(self) -> ObservationFilters:
        if not self.request.GET:
            return ObservationFilters()
        return self.filter_form.filters()

    def selection(self) -> QuerySet[Observation]:
        return observation_list(workspace=self.workspace, perms=self.perms, filters=self.filters)

    def filter_query(self) -> str:
        query = self.request.GET.copy()
        for name in ("page", "action"):
            query.pop(name, None)
        return query.urlencode()


@dataclass
class ObservationRow:
    observation: Observation
    shown: Shown
    value: str
    breakdown: str


class ObservationListView(ObservationFilterMixin, TemplateView):
    """Every observation the reader may see, filtered, a page at a time."""

    template_name = "indicators/observations/observation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(self.selection(), PER_PAGE).get_page(self.request.GET.get("page"))
        rows = []
        for observation in page.object_list:
            seen = shown(observation, self.perms)
            if seen is None:
                continue
            rows.append(
                ObservationRow(
                    observation=observation,
                    shown=seen,
                    value=observation_suppressed(
                        observation, seen.value, workspace=self.workspace, perms=self.perms
                    )
                    or display_value(observation.indicator, seen.value),
                    breakdown=breakdown_text(observation),
                )
            )
        query = self.filter_query()
        context.update(
            {
                "filter_form": self.filter_form,
                "rows": rows,
                "page_obj": page,
                "page_range": page_range(page),
                "query_string": query,
                "filtered": not self.filters.is_empty(),
                "sees_drafts": Perm.VIEW_DRAFTS in self.perms,
                "can_edit": Perm.EDIT in self.perms,
                "can_batch": bool({Perm.SUBMIT, Perm.REVIEW} & self.perms),
                "batch_url": reverse(
                    "indicators:observation_batch_review", kwargs={"slug": self.workspace.slug}
                )
                + (f"?{query}" if query else ""),
            }
        )
        return context


class ObservationObjectMixin(WorkspaceMixin):
    """`self.observation`: an observation of this workspace the reader may see (404 otherwise)."""

    @cached_property
    def observation(self) -> Observation:
        found = (
            observation_list(workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if found is None:
            raise Http404("No such observation")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["observation"] = self.observation
        context["indicator"] = self.observation.indicator
        return context


class ObservationDetailView(ObservationObjectMixin, TemplateView):
    template_name = "indicators/observations/observation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        observation = self.observation
        seen = shown(observation, self.perms)
        if seen is None:
            raise Http404("No such observation")
        source = None
        if seen.source_id is not None:
            source = data_source_list(workspace=self.workspace, perms=self.perms).filter(
                pk=seen.source_id
            )
            source = source.first()
        context.update(
            {
                "shown": seen,
                "value_display": observation_suppressed(
                    observation, seen.value, workspace=self.workspace, perms=self.perms
                )
                or display_value(observation.indicator, seen.value),
                "quality_label": Quality(seen.quality).label
                if seen.quality in Quality.values
                else "",
                "source": source,
                "breakdown": [
                    (Axis(axis).label, code_label(axis, code))
                    for axis, code in observation.breakdown().items()
                ],
                "review": review_panel_context(
                    request=self.request, item=observation, perms=self.perms
                ),
                "can_edit": Perm.EDIT in self.perms,
                "can_delete": services.observation_may_delete(
                    observation=observation, perms=self.perms
                ),
                "sees_drafts": Perm.VIEW_DRAFTS in self.perms,
            }
        )
        return context


class ObservationFormMixin(WorkspaceMixin):
    permission = Perm.EDIT
    template_name = "indicators/observations/observation_form.html"
    form_class = ObservationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["indicators"] = observable_indicators(workspace=self.workspace)
        kwargs["sources"] = data_source_list(workspace=self.workspace, perms=self.perms)
        return kwargs

    def save(self, form: ObservationForm, **key: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            observation, created = services.observation_save(
                actor=cast(Any, self.request.user),
                workspace=self.workspace,
                value=data["value"],
                source=data.get("source"),
                quality=data.get("quality") or Quality.PROVISIONAL,
                note=data.get("note") or "",
                expected_lock_version=data.get("lock_version"),
                **key,
            )
        except ReviewConflict as conflict:
            form.add_error(None, conflict.messages)
            form.data = form.data.copy()
            form.data["lock_version"] = str(conflict.lock_version)
            return cast(Any, self).render_to_response(
                cast(Any, self).get_context_data(form=form), status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return cast(Any, self).form_invalid(form)
        messages.success(
            self.request,
            _("The value was saved as a draft.")
            if created or observation.review_state == ReviewState.DRAFT
            else _("The value was saved."),
        )
        return HttpResponseRedirect(observation.get_absolute_url())


class ObservationCreateView(ObservationFormMixin, FormView):
    """Enter one value (the grids enter many at once)."""

    def get_initial(self) -> dict[str, Any]:
        initial = {"quality": Quality.PROVISIONAL}
        indicator = self.request.GET.get("indicator", "")
        if indicator.isdigit():
            initial["indicator"] = indicator
        return initial

    def form_valid(self, form: ObservationForm) -> HttpResponse:
        return self.save(
            form,
            indicator=form.cleaned_data["indicator"],
            period=form.cleaned_data["period"],
            axes=form.axes(),
        )


class ObservationUpdateView(ObservationFormMixin, ObservationObjectMixin, FormView):
    """Change a value: an approved one opens a new draft version (readers keep the approved)."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["fixed_key"] = True
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        observation = self.observation
        return {
            "indicator": observation.indicator_id,
            "period": observation.period,
            "value": display_value(observation.indicator, observation.value),
            "source": observation.source_id,
            "quality": observation.quality,
            "note": observation.note,
            "lock_version": observation.lock_version,
            **{axis: getattr(observation, axis) for axis in AXIS_FIELDS},
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: ObservationForm) -> HttpResponse:
        observation = self.observation
        return self.save(
            form,
            indicator=observation.indicator,
            period=observation.period,
            axes={axis: getattr(observation, axis) for axis in AXIS_FIELDS},
        )


class ObservationDeleteView(ObservationObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "indicators/observations/observation_confirm_delete.html"

    def check(self) -> None:
        if not services.observation_may_delete(observation=self.observation, perms=self.perms):
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        observation = self.observation
        target = (
            reverse("indicators:observation_list", kwargs={"slug": self.workspace.slug})
            + "?"
            + urlencode({"indicator": observation.indicator.code})
        )
        services.observation_delete(actor=cast(Any, request.user), observation=observation)
        messages.success(
            request,
            _("The value of %(indicator)s for %(period)s was deleted.")
            % {"indicator": observation.indicator.code, "period": observation.period},
        )
        return HttpResponseRedirect(target)


# Batch review of a filtered selection ----------------------------------------------------------


class ObservationBatchReviewView(ObservationFilterMixin, TemplateView):
    """Submit, approve or return every observation of the current selection in one action.

    GET shows how many values each action would concern; POST does it (all or nothing) and
    the review mechanism sends one e-mail per person for the whole batch. Values the reviewer
    submitted themselves are left out of approve/return (someone else must review them)."""

    template_name = "indicators/observations/batch_review.html"
    permission = Perm.VIEW_DRAFTS

    def required_permission(self) -> Perm:
        if self.request.method == "POST":
            return TRANSITIONS.get(self.request.POST.get("action", ""), Perm.SUBMIT)
        return Perm.VIEW_DRAFTS

    def eligible(self, action: str) -> QuerySet[Observation]:
        return observation_review_selection(
            self.selection(), action=action, actor=self.request.user
        )

    def actions(self) -> list[dict[str, Any]]:
        found = []
        if Perm.SUBMIT in self.perms:
            found.append({"action": "submit", "count": self.eligible("submit").count()})
        if Perm.REVIEW in self.perms:
            count = self.eligible("approve").count()
            own = (
                self.selection()
                .filter(review_state=ReviewState.SUBMITTED, submitted_by=self.request.user)
                .count()
            )
            found.append({"action": "approve", "count": count, "own": own})
            found.append({"action": "return", "count": count, "own": own})
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actions = self.actions()
        total = self.selection().count()
        form = kwargs.get("form") or BatchReviewForm(initial={"count": total})
        allowed = {entry["action"] for entry in actions}
        action_field: Any = form.fields["action"]
        action_field.choices = [choice for choice in action_field.choices if choice[0] in allowed]
        query = self.filter_query()
        context.update(
            {
                "form": form,
                "actions": actions,
                "total": total,
                "filter_form": self.filter_form,
                "filtered": not self.filters.is_empty(),
                "query_string": query,
                "list_url": reverse(
                    "indicators:observation_list", kwargs={"slug": self.workspace.slug}
                )
                + (f"?{query}" if query else ""),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BatchReviewForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action = form.cleaned_data["action"]
        items = list(self.eligible(action).select_related(None).only("pk", "workspace_id"))
        expected = form.cleaned_data.get("count")
        if not items:
            form.add_error(None, _("No value in this selection can be given this action now."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if expected is not None and expected != self.selection().count():
            form.add_error(
                None,
                _(
                    "The selection changed since you opened this page: it now holds %(count)s "
                    "values. Check the numbers and confirm again."
                )
                % {"count": self.selection().count()},
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            review_transition(
                actor=cast(Any, request.user),
                action=action,
                items=items,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        done = {
            "submit": _("%(count)s values were submitted for review."),
            "approve": _("%(count)s values were approved."),
            "return": _("%(count)s values were returned to their editors."),
        }[action]
        messages.success(request, done % {"count": len(items)})
        query = self.filter_query()
        target = reverse("indicators:observation_list", kwargs={"slug": self.workspace.slug})
        return HttpResponseRedirect(target + (f"?{query}" if query else ""))


# Data-entry grids ------------------------------------------------------------------------------


@dataclass
class GridCell:
    """One cell of a grid: a value of an indicator for a period and a breakdown."""

    token: str
    indicator: Indicator
    period: str
    axes: dict[str, str]
    label: str
    observation: Observation | None = None
    seen: Shown | None = None
    raw: str = ""
    error: str = ""
    saved: bool = False
    source_name: str = ""

    @property
    def dom_id(self) -> str:
        return "cell-" + "".join(ch if ch.isalnum() else "-" for ch in self.token)

    @property
    def lock(self) -> str:
        return str(self.observation.lock_version) if self.observation is not None else ""

    @property
    def display(self) -> str:
        return display_value(self.indicator, self.seen.value) if self.seen else ""

    @property
    def state(self) -> str:
        if self.seen is None:
            return ""
        return str(ReviewState(self.seen.review_state).label)


@dataclass
class GridRow:
    label: str
    cells: list[GridCell] = field(default_factory=list)
    url: str = ""


class GridMixin(WorkspaceMixin):
    """A table of cells, each an input saved on its own with htmx (or all with the form)."""

    write_permission = Perm.EDIT
    template_name = "indicators/observations/grid.html"

    def columns(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> list[GridRow]:
        raise NotImplementedError

    def grid_url(self) -> str:
        return self.request.get_full_path()

    @cached_property
    def sources(self) -> dict[int, DataSource]:
        return {
            source.pk: source
            for source in data_source_list(workspace=self.workspace, perms=self.perms)
        }

    def fill(self, cells: list[GridCell], found: dict[tuple[Any, ...], Observation]) -> None:
        for cell in cells:
            key = (cell.indicator.pk, cell.period, *(cell.axes[axis] for axis in AXIS_FIELDS))
            cell.observation = found.get(key)
            cell.seen = shown(cell.observation, self.perms) if cell.observation else None
            cell.raw = cell.display
            if cell.seen is not None and cell.seen.source_id in self.sources:
                cell.source_name = self.sources[cell.seen.source_id].name

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = kwargs.get("grid_rows") or self.rows()
        context.update(
            {
                "grid_columns": self.columns(),
                "grid_rows": rows,
                "grid_url": self.grid_url(),
                "can_edit": Perm.EDIT in self.perms,
                "sources": list(self.sources.values()),
                "qualities": Quality.choices,
                "selected_source": self.request.POST.get("source", ""),
                "selected_quality": self.request.POST.get("quality", ""),
            }
        )
        return context

    def save_cell(self, cell: GridCell) -> None:
        """Save the posted value of one cell, keeping the error on the cell."""
        data = self.request.POST
        raw = (data.get(f"v:{cell.token}") or "").strip()
        cell.raw = raw
        observation = cell.observation
        source_pk = data.get("source", "")
        source = self.sources.get(int(source_pk)) if source_pk.isdigit() else None
        quality = data.get("quality", "")
        if not raw:
            if observation is not None:
                cell.raw = cell.display
            return
        number, problem = parse_value(cell.indicator, raw)
        if (
            observation is not None
            and not problem
            and number == observation.value
            and (source is None or source.pk == observation.source_id)
            and (not quality or quality == observation.quality)
        ):
            cell.raw = cell.display
            return
        if observation is not None:
            source = source or (self.sources.get(observation.source_id or 0))
            quality = quality or observation.quality
        lock = data.get(f"l:{cell.token}", "")
        try:
            saved, _created = services.observation_save(
                actor=cast(Any, self.request.user),
                workspace=self.workspace,
                indicator=cell.indicator,
                period=cell.period,
                axes=cell.axes,
                value=raw,
                source=source,
                quality=quality or Quality.PROVISIONAL,
                note=observation.note if observation is not None else "",
                expected_lock_version=int(lock) if lock.isdigit() else None,
            )
        except ReviewConflict:
            cell.error = _("Someone else changed this value after you opened the grid. Reload it.")
            return
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                cell.error = " ".join(
                    str(message)
                    for messages_ in error.message_dict.values()
                    for message in messages_
                )
            else:
                cell.error = " ".join(str(message) for message in error.messages)
            return
        cell.observation = saved
        cell.seen = shown(saved, self.perms)
        cell.raw = cell.display
        cell.saved = True
        cell.source_name = saved.source.name if saved.source_id and saved.source else ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.rows()
        cells = {cell.token: cell for row in rows for cell in row.cells}
        if getattr(request, "htmx", False) and request.POST.get("cell"):
            cell = cells.get(request.POST["cell"])
            if cell is None:
                raise Http404("No such cell")
            self.save_cell(cell)
            context = self.get_context_data(grid_rows=rows)
            context["cell"] = cell
            return self.response_class(
                request=request,
                template=[f"{self.template_name}#cell"],
                context=context,
            )
        for cell in cells.values():
            self.save_cell(cell)
        errors = [cell for cell in cells.values() if cell.error]
        saved = sum(1 for cell in cells.values() if cell.saved)
        if errors:
            context = self.get_context_data(grid_rows=rows)
            context["errors"] = [
                _("%(cell)s: %(error)s") % {"cell": cell.label, "error": cell.error}
                for cell in errors
            ]
            context["saved_count"] = saved
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("%(count)s values were saved as drafts.") % {"count": saved}
            if saved
            else _("Nothing was changed."),
        )
        return HttpResponseRedirect(self.grid_url())


def recent_years(count: int = GRID_YEARS) -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year - count + 1, this_year + 1))


class IndicatorGridView(GridMixin, TemplateView):
    """One indicator: periods down, the breakdown of one allowed axis across (plus the total)."""

    @cached_property
    def indicator(self) -> Indicator:
        found = (
            observable_indicators(workspace=self.workspace)
            .filter(pk=self.kwargs["indicator_pk"])
            .first()
        )
        if found is None:
            raise Http404("No such indicator")
        return found

    @cached_property
    def axis(self) -> str:
        axis = self.request.GET.get("axis", "")
        return axis if axis in self.indicator.allowed_axes() else ""

    def query_codes(self, name: str) -> list[str]:
        return [value.strip().upper() for value in self.request.GET.getlist(name) if value.strip()]

    @cached_property
    def added_periods(self) -> tuple[list[str], list[str]]:
        periods, errors = [], []
        for period in self.query_codes("period"):
            problem = period_error(period, first_year=FIRST_YEAR, last_year=LAST_YEAR)
            if problem:
                errors.append(f"{period}: {problem}")
            else:
                periods.append(period)
        return periods, errors

    def periods(self) -> list[str]:
        periods = {str(year) for year in recent_years()}
        periods |= set(
            observation_periods(
                workspace=self.workspace, perms=self.perms, indicator_id=self.indicator.pk
            )
        )
        periods |= set(self.added_periods[0])
        return sorted(periods, key=lambda p: (*period_sort_key(p), -len(p)))

    def columns(self) -> list[str]:
        return [code_label(self.axis, code) if self.axis else _("Total") for code in self.codes]

    @cached_property
    def codes(self) -> list[str]:
        if not self.axis:
            return [TOTAL]
        if self.axis == Axis.PARTNER_COUNTRY:
            found = {
                code
                for code in self.query_codes("country")
                if not axis_error(Axis.PARTNER_COUNTRY, code)
            }
            found |= set(
                observation_list(workspace=self.workspace, perms=self.perms)
                .filter(indicator=self.indicator)
                .exclude(partner_country=TOTAL)
                .order_by()
                .values_list("partner_country", flat=True)
                .distinct()
            )
            return [TOTAL, *sorted(found)]
        return [TOTAL, *(code for code in AXIS_CODES[self.axis] if code != TOTAL)]

    def rows(self) -> list[GridRow]:
        indicator = self.indicator
        periods = self.periods()
        rows = []
        cells = []
        for period in periods:
            row = GridRow(label=period)
            for code in self.codes:
                axes = {axis: TOTAL for axis in AXIS_FIELDS}
                if self.axis:
                    axes[self.axis] = code
                column = code_label(self.axis, code) if self.axis else _("Total")
                row.cells.append(
                    GridCell(
                        token=f"{period}:{code}",
                        indicator=indicator,
                        period=period,
                        axes=axes,
                        label=f"{period}, {column}",
                    )
                )
            cells.extend(row.cells)
            rows.append(row)
        found = observation_grid_values(
            workspace=self.workspace,
            perms=self.perms,
            indicator_ids=[indicator.pk],
            periods=periods,
        )
        self.fill(cells, found)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = self.indicator
        context.update(
            {
                "indicator": indicator,
                "grid_title": _("Values of %(code)s") % {"code": indicator.code},
                "axis": self.axis,
                "axis_choices": [(axis.value, axis.label) for axis in indicator.allowed_axes()],
                "added_periods": self.added_periods[0],
                "period_errors": self.added_periods[1],
                "added_countries": self.query_codes("country"),
                "row_heading": _("Period"),
            }
        )
        return context


class DimensionGridView(GridMixin, TemplateView):
    """One dimension: its indicators down, the last five years across (totals only)."""

    @cached_property
    def dimension(self) -> Dimension:
        found = (
            Dimension.objects.select_related("framework")
            .filter(pk=self.kwargs["dimension_pk"])
            .first()
        )
        if found is None:
            raise Http404("No such dimension")
        return found

    @cached_property
    def indicators(self) -> list[Indicator]:
        return list(
            observable_indicators(workspace=self.workspace).filter(dimension=self.dimension)
        )

    def columns(self) -> list[str]:
        return [str(year) for year in recent_years()]

    def rows(self) -> list[GridRow]:
        years = recent_years()
        rows, cells = [], []
        totals = {axis: TOTAL for axis in AXIS_FIELDS}
        for indicator in self.indicators:
            row = GridRow(
                label=f"{indicator.code} {indicator.name}",
                url=reverse(
                    "indicators:indicator_grid",
                    kwargs={"slug": self.workspace.slug, "indicator_pk": indicator.pk},
                ),
            )
            for year in years:
                row.cells.append(
                    GridCell(
                        token=f"{indicator.pk}:{year}",
                        indicator=indicator,
                        period=str(year),
                        axes=dict(totals),
                        label=f"{indicator.code}, {year}",
                    )
                )
            cells.extend(row.cells)
            rows.append(row)
        found = observation_grid_values(
            workspace=self.workspace,
            perms=self.perms,
            indicator_ids=[indicator.pk for indicator in self.indicators],
            years=years,
            totals_only=True,
        )
        self.fill(cells, found)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "dimension": self.dimension,
                "grid_title": _("%(dimension)s: totals of the last five years")
                % {"dimension": self.dimension},
                "row_heading": _("Indicator"),
            }
        )
        return context


W = "w/<slug:slug>/indicators/"

urlpatterns = [
    path(f"{W}observations/", ObservationListView.as_view(), name="observation_list"),
    path(f"{W}observations/new/", ObservationCreateView.as_view(), name="observation_create"),
    path(
        f"{W}observations/review/",
        ObservationBatchReviewView.as_view(),
        name="observation_batch_review",
    ),
    path(f"{W}observations/<int:pk>/", ObservationDetailView.as_view(), name="observation_detail"),
    path(
        f"{W}observations/<int:pk>/edit/",
        ObservationUpdateView.as_view(),
        name="observation_update",
    ),
    path(
        f"{W}observations/<int:pk>/delete/",
        ObservationDeleteView.as_view(),
        name="observation_delete",
    ),
    path(f"{W}<int:indicator_pk>/grid/", IndicatorGridView.as_view(), name="indicator_grid"),
    path(
        f"{W}dimensions/<int:dimension_pk>/grid/",
        DimensionGridView.as_view(),
        name="dimension_grid",
    ),
]
