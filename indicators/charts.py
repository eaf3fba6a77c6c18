"""Indicator charts built on `core.charts`: an indicator's time series by one disaggregation axis,
and the share of approved cells per dimension of the coverage matrix.

Each builder returns the SVG and the rows of the accessible table shown with it (header first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.charts import MISSING, Series, bar_chart, format_number, line_chart, series_table_rows
from core.countries import country_name
from core.periods import period_sort_key

from .choices import AXIS_CODES, TOTAL, Axis
from .models import AXIS_FIELDS, Indicator
from .selectors.coverage import CoverageMatrix


@dataclass(frozen=True)
class ChartPoint:
    """One value a reader may see: its period, its breakdown and the value shown."""

    period: str
    axes: dict[str, str]
    value: Decimal


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    head: list[str]
    rows: list[list[str]]
    series_count: int


def axis_value_label(axis: str, code: str) -> str:
    """The words for an axis code ("F" → "Female"; a partner country's name)."""
    if code == TOTAL:
        return _("Total")
    if axis == Axis.PARTNER_COUNTRY:
        return country_name(code) or code
    labels = AXIS_CODES.get(axis, {})
    return str(labels.get(code, code))


def _is_line_point(point: ChartPoint, axis: str | None) -> bool:
    """Points of the chart: every other axis is a total (the chosen axis may take any code)."""
    return all(point.axes.get(name, TOTAL) == TOTAL for name in AXIS_FIELDS if name != axis)


def indicator_chart(
    *,
    indicator: Indicator,
    points: Iterable[ChartPoint],
    axis: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    """One line per value of `axis` (totals only when `axis` is None), over the periods.

    An ordinal indicator is drawn on its ranks and its table shows the category labels."""
    chosen = [point for point in points if _is_line_point(point, axis)]
    periods = sorted(
        {point.period for point in chosen}, key=lambda p: (*period_sort_key(p), -len(p))
    )
    column = {period: index for index, period in enumerate(periods)}
    by_code: dict[str, list[float | None]] = {}
    for point in chosen:
        code = point.axes.get(axis, TOTAL) if axis else TOTAL
        values = by_code.setdefault(code, [None] * len(periods))
        values[column[point.period]] = float(point.value)
    order = list(AXIS_CODES.get(axis or "", {}))
    codes = sorted(
        by_code,
        key=lambda code: (code == TOTAL, order.index(code) if code in order else len(order), code),
    )
    series = [Series(axis_value_label(axis or "", code), by_code[code]) for code in codes]
    if axis:
        title = _("%(code)s %(name)s, by %(axis)s") % {
            "code": indicator.code,
            "name": indicator.name,
            "axis": Axis(axis).label.lower(),
        }
    else:
        title = _("%(code)s %(name)s, totals") % {"code": indicator.code, "name": indicator.name}
    if indicator.is_ordinal:
        y_label = _("category rank (1 = %(lowest)s)") % {
            "lowest": indicator.category_label(Decimal(1))
        }
    else:
        y_label = indicator.unit.name
    svg = line_chart(
        title=title, series=series, x_labels=periods, y_label=y_label, chart_id=chart_id
    )
    table = (
        _ordinal_rows(indicator, periods, series)
        if indicator.is_ordinal
        else series_table_rows(periods, series, x_heading=_("Period"))
    )
    return Chart(svg=svg, head=table[0], rows=table[1:], series_count=len(series))


def _ordinal_rows(
    indicator: Indicator, periods: Sequence[str], series: Sequence[Series]
) -> list[list[str]]:
    rows = [[_("Period"), *(one.name for one in series)]]
    for index, period in enumerate(periods):
        cells = [period]
        for one in series:
            value = one.values[index]
            if value is None:
                cells.append(MISSING)
            else:
                label = indicator.category_label(Decimal(str(value)))
                cells.append(f"{label} ({format_number(value)})" if label else format_number(value))
        rows.append(cells)
    return rows


def coverage_chart(matrix: CoverageMatrix, *, chart_id: str | None = None) -> Chart:
    """Bars: the share of cells with approved data in each dimension of the matrix."""
    names = [group.name for group in matrix.groups]
    shares: list[float | None] = [float(group.approved_share) for group in matrix.groups]
    series = [Series(_("Cells with approved data (%)"), shares)]
    title = _("Share of indicator-years with approved data, %(first)s–%(last)s") % {
        "first": matrix.years[0],
        "last": matrix.years[-1],
    }
    svg = bar_chart(
        title=title, categories=names, series=series, y_label=_("percent"), chart_id=chart_id
    )
    table = series_table_rows(names, series, x_heading=_("Dimension"))
    return Chart(svg=svg, head=table[0], rows=table[1:], series_count=1)
