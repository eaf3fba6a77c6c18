"""The indicator fact sheet: one indicator for one workspace across years and disaggregations,
with its chart, its table and its provenance, as the requester may read it.

Parameters: `{"indicator": <id>}`, optionally `"axis"` (a disaggregation axis the indicator
has) for the chart's lines; without it the chart shows totals.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from core.periods import period_sort_key
from indicators.charts import ChartPoint, axis_value_label, indicator_chart
from indicators.choices import TOTAL, Axis
from indicators.models import AXIS_FIELDS, DataSource, Indicator
from indicators.selectors.coverage import readable_indicator
from indicators.selectors.observations import readable_observations, shown
from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..choices import ReportKind
from ..models import Report
from . import register
from .common import (
    ReportParameterError,
    document_context,
    int_parameter,
    render_document,
    shown_count,
)

TEMPLATE = "reports/documents/fact_sheet.html"


def indicator_for(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> Indicator:
    pk = int_parameter(parameters, "indicator")
    indicator = None
    if pk is not None and Perm.ACCESS in perms:
        indicator = readable_indicator(workspace=workspace, pk=pk)
    if indicator is None:
        raise ReportParameterError(_("Choose an indicator of the catalogue or of this workspace."))
    return indicator


def axis_for(indicator: Indicator, parameters: Any) -> str | None:
    axis = parameters.get("axis") if isinstance(parameters, dict) else None
    if not axis:
        return None
    if axis not in Axis.values or axis not in [str(a) for a in indicator.allowed_axes()]:
        raise ReportParameterError(_("This indicator is not disaggregated by that axis."))
    return str(axis)


def validate_parameters(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    """'' when the parameters name an indicator available to the workspace, else the error."""
    try:
        indicator = indicator_for(workspace, parameters, perms)
        axis_for(indicator, parameters)
    except ReportParameterError as error:
        return str(error)
    return ""


def default_title(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    indicator = indicator_for(workspace, parameters, perms)
    return _("Fact sheet: %(code)s %(name)s") % {"code": indicator.code, "name": indicator.name}


def _breakdown_label(axes: dict[str, str]) -> str:
    parts = [
        f"{Axis(axis).label}: {axis_value_label(axis, code)}"
        for axis, code in axes.items()
        if code != TOTAL
    ]
    return "; ".join(parts) if parts else _("Total")


@register(ReportKind.INDICATOR_FACT_SHEET)
def build(report: Report, perms: frozenset[Perm]) -> str:
    workspace = report.workspace
    indicator = indicator_for(workspace, report.parameters, perms)
    axis = axis_for(indicator, report.parameters)
    observations = (
        readable_observations(workspace, perms)
        .filter(indicator=indicator)
        .select_related("source")
        .order_by("period", "pk")
    )
    points: list[ChartPoint] = []
    # breakdown label → period → cell text; totals first, then the breakdowns by name.
    table: dict[str, dict[str, str]] = defaultdict(dict)
    totals: set[str] = set()
    source_ids: set[int] = set()
    for observation in observations:
        value = shown(observation, perms)
        if value is None:
            continue
        axes = {name: getattr(observation, name) for name in AXIS_FIELDS}
        is_total = all(code == TOTAL for code in axes.values())
        text = shown_count(
            value.value,
            unit_code=indicator.unit.code,
            is_total=is_total,
            workspace=workspace,
            perms=perms,
        )
        if not text.startswith("<"):  # a suppressed count stays out of the chart too
            points.append(ChartPoint(period=observation.period, axes=axes, value=value.value))
        label = _breakdown_label(axes)
        if is_total:
            totals.add(label)
        table[label][observation.period] = text
        if value.source_id:
            source_ids.add(value.source_id)
    periods = sorted(
        {period for cells in table.values() for period in cells},
        key=lambda p: (*period_sort_key(p), -len(p)),
    )
    labels = sorted(table, key=lambda label: (label not in totals, label))
    chart = indicator_chart(
        indicator=indicator, points=points, axis=axis, chart_id=f"fact-sheet-{indicator.pk}"
    )
    sources = list(
        DataSource.objects.filter(workspace=workspace, pk__in=source_ids).order_by("name", "pk")
    )
    context = document_context(
        report,
        perms,
        title=report.title
        or _("Fact sheet: %(code)s %(name)s") % {"code": indicator.code, "name": indicator.name},
        indicator=indicator,
        axis_label=str(Axis(axis).label) if axis else "",
        chart=chart if points else None,
        periods=periods,
        rows=[
            {"label": label, "cells": [table[label].get(p, "—") for p in periods]}
            for label in labels
        ],
        sources=sources,
    )
    return render_document(TEMPLATE, context)
