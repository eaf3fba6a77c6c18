"""Inline SVG charts (line, bar, grid) for pages and WeasyPrint PDFs alike.

Each function returns one self-contained `<svg role="img">` named by its `<title>` and a generated
one-sentence `<desc>`. Styling uses presentation attributes only (the CSP forbids inline styles),
series differ by colour *and* marker, dash or fill pattern, and every piece of text is escaped.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FONT_FAMILY = "DejaVu Sans, sans-serif"
# Every colour has at least 3:1 contrast against white (checked in the tests).
PALETTE = ("#0072B2", "#D55E00", "#1B7F3B", "#8E44AD", "#5F6B7A", "#A6197A")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2")
PATTERNS = (
    "",
    '<path d="M0 8L8 0" stroke="#FFFFFF" stroke-width="1.5"/>',
    '<circle cx="4" cy="4" r="1.4" fill="#FFFFFF"/>',
    '<path d="M0 4H8" stroke="#FFFFFF" stroke-width="1.5"/>',
    '<path d="M0 8L8 0M0 0L8 8" stroke="#FFFFFF" stroke-width="1"/>',
    '<path d="M4 0V8" stroke="#FFFFFF" stroke-width="1.5"/>',
)
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")
TEXT_COLOUR = "#1A1A1A"
AXIS_COLOUR = "#505A64"
GRID_COLOUR = "#D9DDE1"
MISSING = "—"
FONT_SIZE = 12
CHAR_WIDTH = 7.2  # average advance of DejaVu Sans at 12px, for layout estimates only
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class GridPoint:
    x: int
    y: int
    label: str


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    x_labels: Sequence[str],
    y_label: str = "",
    width: int = 640,
    height: int = 320,
    y_min: float | None = None,
    y_max: float | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Lines that break at None values; the y axis covers the data and any given y_min/y_max.

    Pass `chart_id` for byte-identical output (e.g. reports hashed for de-duplication);
    otherwise a random id keeps two charts on one page from clashing.
    """
    _check_series(series, len(x_labels), "x_labels")
    chart = _Chart(title, width, height, chart_id)
    values = _present(series)
    if not values or not x_labels:
        return chart.no_data()
    low = min([*values, *(v for v in (y_min,) if v is not None)])
    high = max([*values, *(v for v in (y_max,) if v is not None)])
    ticks, decimals = nice_ticks(low, high)
    summary = _(
        "Line chart of %(series)s over %(count)d points from %(first)s to %(last)s; "
        "values range from %(min)s to %(max)s."
    ) % {
        "series": _series_count(len(series)),
        "count": len(x_labels),
        "first": x_labels[0],
        "last": x_labels[-1],
        "min": format_number(min(values)),
        "max": format_number(max(values)),
    }
    plot = chart.layout(ticks, decimals, y_label, [s.name for s in series], len(x_labels))
    chart.y_axis(plot, ticks, decimals, y_label)
    chart.x_axis(plot, x_labels)
    for index, one in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        chart.body.append(f'<g class="chart-series" data-series="{index}">')
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(one.values):
            if len(run) < 2:
                continue
            points = " ".join(f"{_n(plot.x(i))},{_n(plot.y(v))}" for i, v in run)
            chart.body.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                f' stroke-linejoin="round"{dash_attr}/>'
            )
        for i, value in enumerate(one.values):
            if value is None:
                continue
            tip = f"{one.name} — {x_labels[i]}: {format_number(value)}"
            chart.body.append(_marker(index, plot.x(i), plot.y(value), colour, tip))
        chart.body.append("</g>")
    chart.legend(series, bars=False)
    return chart.render(summary)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str = "",
    width: int = 640,
    height: int = 320,
    chart_id: str | None = None,
) -> SafeString:
    """Grouped bars drawn from a baseline at 0, so negative values hang below it."""
    _check_series(series, len(categories), "categories")
    chart = _Chart(title, width, height, chart_id)
    values = _present(series)
    if not values or not categories:
        return chart.no_data()
    ticks, decimals = nice_ticks(min(0.0, *values), max(0.0, *values))
    summary = _(
        "Bar chart of %(series)s across %(count)d categories; values range from %(min)s to %(max)s."
    ) % {
        "series": _series_count(len(series)),
        "count": len(categories),
        "min": format_number(min(values)),
        "max": format_number(max(values)),
    }
    plot = chart.layout(ticks, decimals, y_label, [s.name for s in series], len(categories))
    chart.defs.extend(chart.patterns(len(series)))
    chart.y_axis(plot, ticks, decimals, y_label)
    chart.x_axis(plot, categories)
    group = plot.band * 0.8
    bar = group / len(series)
    baseline = plot.y(0.0)
    for index, one in enumerate(series):
        chart.body.append(f'<g class="chart-series" data-series="{index}">')
        for i, value in enumerate(one.values):
            if value is None:
                continue
            left = plot.x(i) - group / 2 + index * bar
            top = min(baseline, plot.y(value))
            tip = f"{one.name} — {categories[i]}: {format_number(value)}"
            chart.body.append(
                chart.swatch(
                    index, left + 1, top, max(bar - 2, 1), abs(plot.y(value) - baseline), tip
                )
            )
        chart.body.append("</g>")
    chart.body.append(
        f'<line class="chart-baseline" x1="{_n(plot.left)}" x2="{_n(plot.right)}"'
        f' y1="{_n(baseline)}" y2="{_n(baseline)}" stroke="{TEXT_COLOUR}" stroke-width="1.5"/>'
    )
    chart.legend(series, bars=True)
    return chart.render(summary)


def grid_chart(
    *,
    title: str,
    x_label: str,
    y_label: str,
    points: Sequence[GridPoint],
    x_range: tuple[int, int] = (1, 5),
    y_range: tuple[int, int] = (1, 5),
    width: int = 640,
    height: int = 480,
    chart_id: str | None = None,
) -> SafeString:
    """Labelled points on a discrete grid (e.g. interest × influence); points sharing a cell
    are stacked, then set in columns, so none hides another. The 640px default fits an A4 page
    in WeasyPrint; pass a larger width on screen pages to truncate fewer labels."""
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    if x_lo > x_hi or y_lo > y_hi:
        raise ValueError("grid ranges must be (low, high)")
    for point in points:
        if not (x_lo <= point.x <= x_hi and y_lo <= point.y <= y_hi):
            raise ValueError(f"point {point.label!r} lies outside the grid")
    chart = _Chart(title, width, height, chart_id)
    if not points:
        return chart.no_data()
    summary = ngettext(
        "Grid of %(count)d point: %(x)s from %(x_lo)d to %(x_hi)d against %(y)s from "
        "%(y_lo)d to %(y_hi)d.",
        "Grid of %(count)d points: %(x)s from %(x_lo)d to %(x_hi)d against %(y)s from "
        "%(y_lo)d to %(y_hi)d.",
        len(points),
    ) % {
        "count": len(points),
        "x": x_label,
        "x_lo": x_lo,
        "x_hi": x_hi,
        "y": y_label,
        "y_lo": y_lo,
        "y_hi": y_hi,
    }
    left, right, top, bottom = 64.0, width - 16.0, chart.top + 8, height - 48.0
    columns, rows = x_hi - x_lo + 1, y_hi - y_lo + 1
    cell_w, cell_h = (right - left) / columns, (bottom - top) / rows
    for col in range(columns):
        for row in range(rows):
            chart.body.append(
                f'<rect x="{_n(left + col * cell_w)}" y="{_n(top + row * cell_h)}"'
                f' width="{_n(cell_w)}" height="{_n(cell_h)}" fill="none"'
                f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
            )
    for col in range(columns):
        chart.body.append(
            chart.text(left + (col + 0.5) * cell_w, bottom + 16, str(x_lo + col), anchor="middle")
        )
    for row in range(rows):
        chart.body.append(
            chart.text(left - 8, bottom - (row + 0.5) * cell_h + 4, str(y_lo + row), anchor="end")
        )
    chart.body.append(
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(right - left)}"'
        f' height="{_n(bottom - top)}" fill="none" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    chart.body.append(
        chart.text(
            (left + right) / 2,
            height - 10,
            x_label,
            anchor="middle",
            max_width=right - left,
        )
    )
    chart.body.append(
        chart.text(
            16,
            (top + bottom) / 2,
            y_label,
            anchor="middle",
            max_width=bottom - top,
            rotate=True,
        )
    )
    cells: dict[tuple[int, int], list[GridPoint]] = {}
    for point in points:
        cells.setdefault((point.x, point.y), []).append(point)
    colour = PALETTE[0]
    chart.body.append('<g class="chart-points">')
    for (x, y), members in cells.items():
        cell_left, cell_top = left + (x - x_lo) * cell_w, bottom - (y - y_lo + 1) * cell_h
        per_column = max(1, int((cell_h - 4) // 16))
        slots = math.ceil(len(members) / per_column)
        slot_w = cell_w / slots
        rows_used = min(len(members), per_column)
        row_h = min(16.0, (cell_h - 4) / rows_used)
        first_y = cell_top + cell_h / 2 - row_h * (rows_used - 1) / 2
        for n, point in enumerate(members):
            px = cell_left + (n // per_column) * slot_w + 9
            py = first_y + (n % per_column) * row_h
            tip = escape(f"{point.label} ({x_label} {point.x}, {y_label} {point.y})")
            chart.body.append(
                f'<circle class="chart-point" cx="{_n(px)}" cy="{_n(py)}" r="4.5"'
                f' fill="{colour}"><title>{tip}</title></circle>'
            )
            chart.body.append(
                chart.text(px + 8, py + 4, point.label, max_width=slot_w - 20, size=11)
            )
    chart.body.append("</g>")
    return chart.render(summary)


def series_table_rows(
    x_labels: Sequence[str], series: Sequence[Series], *, x_heading: str = ""
) -> list[list[str]]:
    """Cells for the accessible `<table>` shown beside a chart.

    The first row is the header (`x_heading`, then one name per series); each further row is an
    x label followed by the locale-formatted values, with "—" where a value is missing.
    """
    _check_series(series, len(x_labels), "x_labels")
    rows = [[x_heading, *(s.name for s in series)]]
    for i, label in enumerate(x_labels):
        values = (s.values[i] for s in series)
        rows.append([label, *(MISSING if v is None else format_number(v) for v in values)])
    return rows


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], int]:
    """About `count` ticks stepping by 1, 2 or 5 × 10ⁿ that cover [low, high], and the number of
    decimals their labels need. An empty range is padded so nothing divides by zero."""
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))

    def span(step: float) -> tuple[int, int]:
        return math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)

    def distance(step: float) -> tuple[int, float]:
        first, last = span(step)
        return abs(last - first + 1 - count), (last - first) * step

    step = min((m * magnitude for m in (1, 2, 5, 10)), key=distance)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    first, last = span(step)
    return [round(k * step, decimals) for k in range(first, last + 1)], decimals


def format_number(value: float, decimals: int | None = None) -> str:
    """Locale-aware number; without `decimals`, as many as the value needs (at most six)."""
    number = Decimal(repr(round(value, 6)))
    if decimals is None:
        exponent = number.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=decimals)


def truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 1)].rstrip() + "…"


# --- internals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plot:
    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float
    count: int

    @property
    def band(self) -> float:
        return (self.right - self.left) / self.count

    def x(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)


class _Chart:
    def __init__(self, title: str, width: int, height: int, chart_id: str | None) -> None:
        if chart_id is not None and not _ID_RE.match(chart_id):
            raise ValueError("chart_id must be a letter followed by letters, digits, - or _")
        self.id = chart_id or f"chart-{uuid.uuid4().hex[:12]}"
        self.title, self.width, self.height = title, width, height
        self.defs: list[str] = []
        self.body: list[str] = []
        self.legend_rows: list[list[tuple[int, str, float]]] = []
        self.top = 36.0

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        max_width: float | None = None,
        size: int = FONT_SIZE,
        weight: str = "normal",
        rotate: bool = False,
    ) -> str:
        shown = content
        if max_width is not None:
            shown = truncate(content, max(int(max_width / (CHAR_WIDTH * size / FONT_SIZE)), 2))
        tip = f"<title>{escape(content)}</title>" if shown != content else ""
        extra = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if rotate else ""
        extra += ' font-weight="bold"' if weight == "bold" else ""
        return (
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{TEXT_COLOUR}"'
            f' text-anchor="{anchor}"{extra}>{tip}{escape(shown)}</text>'
        )

    def layout(
        self, ticks: list[float], decimals: int, y_label: str, names: list[str], count: int
    ) -> _Plot:
        self.legend_rows = self._legend_rows(names)
        top = self.top + 22.0 * len(self.legend_rows) + 10
        longest = max(len(format_number(t, decimals)) for t in ticks)
        left = 16 + longest * CHAR_WIDTH + (22 if y_label else 0)
        return _Plot(left, self.width - 16.0, top, self.height - 34.0, ticks[0], ticks[-1], count)

    def _legend_rows(self, names: list[str]) -> list[list[tuple[int, str, float]]]:
        rows: list[list[tuple[int, str, float]]] = [[]]
        x = 16.0
        for index, name in enumerate(names):
            label = truncate(name, 32)
            item = 34 + len(label) * CHAR_WIDTH + 18
            if rows[-1] and x + item > self.width - 16:
                rows.append([])
                x = 16.0
            rows[-1].append((index, name, x))
            x += item
        return rows

    def legend(self, series: Sequence[Series], *, bars: bool) -> None:
        self.body.append('<g class="chart-legend">')
        for row_number, row in enumerate(self.legend_rows):
            y = self.top + 12 + 22 * row_number
            for index, name, x in row:
                colour = PALETTE[index % len(PALETTE)]
                if bars:
                    self.body.append(self.swatch(index, x, y - 7, 26, 14, None))
                else:
                    dash = DASHES[index % len(DASHES)]
                    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                    self.body.append(
                        f'<line x1="{_n(x)}" x2="{_n(x + 26)}" y1="{_n(y)}" y2="{_n(y)}"'
                        f' stroke="{colour}" stroke-width="2"{dash_attr}/>'
                    )
                    self.body.append(_marker(index, x + 13, y, colour, None))
                self.body.append(self.text(x + 34, y + 4, name, max_width=32 * CHAR_WIDTH))
        self.body.append("</g>")

    def y_axis(self, plot: _Plot, ticks: list[float], decimals: int, y_label: str) -> None:
        self.body.append('<g class="chart-y-axis">')
        for tick in ticks:
            y = plot.y(tick)
            self.body.append(
                f'<line x1="{_n(plot.left)}" x2="{_n(plot.right)}" y1="{_n(y)}" y2="{_n(y)}"'
                f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
            )
            label = self.text(plot.left - 6, y + 4, format_number(tick, decimals), anchor="end")
            self.body.append(label.replace("<text ", '<text class="chart-tick" ', 1))
        if y_label:
            self.body.append(
                self.text(
                    16,
                    (plot.top + plot.bottom) / 2,
                    y_label,
                    anchor="middle",
                    max_width=plot.bottom - plot.top,
                    rotate=True,
                )
            )
        self.body.append(
            f'<line x1="{_n(plot.left)}" x2="{_n(plot.left)}" y1="{_n(plot.top)}"'
            f' y2="{_n(plot.bottom)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        self.body.append("</g>")

    def x_axis(self, plot: _Plot, labels: Sequence[str]) -> None:
        longest = max(len(label) for label in labels)
        label_chars = max(4, min(longest, int(plot.band / CHAR_WIDTH) - 1))
        # Too many labels for the width: show every nth one (all are in the tooltips and table).
        every = max(1, math.ceil((min(longest, 12) + 1) * CHAR_WIDTH / plot.band))
        if every > 1:
            label_chars = max(label_chars, int(every * plot.band / CHAR_WIDTH) - 1)
        self.body.append('<g class="chart-x-axis">')
        self.body.append(
            f'<line x1="{_n(plot.left)}" x2="{_n(plot.right)}" y1="{_n(plot.bottom)}"'
            f' y2="{_n(plot.bottom)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        for i, label in enumerate(labels):
            if i % every:
                continue
            self.body.append(
                self.text(
                    plot.x(i),
                    plot.bottom + 18,
                    label,
                    anchor="middle",
                    max_width=label_chars * CHAR_WIDTH,
                )
            )
        self.body.append("</g>")

    def patterns(self, count: int) -> list[str]:
        """Fill patterns so bars of different series differ by more than colour."""
        defs = []
        for index in range(count):
            shape = PATTERNS[index % len(PATTERNS)]
            if not shape:
                continue
            defs.append(
                f'<pattern id="{self.id}-fill-{index}" width="8" height="8"'
                f' patternUnits="userSpaceOnUse">{shape}</pattern>'
            )
        return defs

    def swatch(
        self, index: int, x: float, y: float, width: float, height: float, tip: str | None
    ) -> str:
        """A solid bar with its series' pattern laid over it (a transparent pattern tile, so
        renderers leave no seams between tiles)."""
        colour = PALETTE[index % len(PALETTE)]
        box = f'x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"'
        inner = f"<title>{escape(tip)}</title>" if tip is not None else ""
        cls = ' class="chart-bar"' if tip is not None else ""
        bar = f'<rect{cls} {box} fill="{colour}" stroke="{colour}" stroke-width="1">{inner}</rect>'
        if not PATTERNS[index % len(PATTERNS)]:
            return bar
        return f'{bar}<rect {box} fill="url(#{self.id}-fill-{index})"/>'

    def no_data(self) -> SafeString:
        self.body.append(
            self.text(self.width / 2, self.height / 2, _("No data"), anchor="middle", size=14)
        )
        return self.render(_("No data"))

    def render(self, summary: str) -> SafeString:
        title_id, desc_id = f"{self.id}-title", f"{self.id}-desc"
        heading = self.text(16, 22, self.title, max_width=self.width - 32, size=14, weight="bold")
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{self.id}"'
            f' width="{self.width}" height="{self.height}"'
            f' viewBox="0 0 {self.width} {self.height}" role="img"'
            f' aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}">'
            f'<title id="{title_id}">{escape(self.title)}</title>'
            f'<desc id="{desc_id}">{escape(summary)}</desc>{defs}'
            f'<rect width="{self.width}" height="{self.height}" fill="#FFFFFF"/>'
            f"{heading}{''.join(self.body)}</svg>"
        )
        return mark_safe(svg)  # noqa: S308 - every text and attribute above is escaped or ours


def _marker(index: int, x: float, y: float, colour: str, tip: str | None) -> str:
    shape = MARKERS[index % len(MARKERS)]
    inner = f"<title>{escape(tip)}</title>" if tip is not None else ""
    common = f'fill="{colour}" stroke="#FFFFFF" stroke-width="1"'
    cls = ' class="chart-marker"' if tip is not None else ""
    if shape == "circle":
        return f'<circle{cls} cx="{_n(x)}" cy="{_n(y)}" r="4" {common}>{inner}</circle>'
    if shape == "square":
        return (
            f'<rect{cls} x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" {common}>'
            f"{inner}</rect>"
        )
    outlines = {
        "triangle": ((0, -5), (5, 4), (-5, 4)),
        "triangle-down": ((0, 5), (5, -4), (-5, -4)),
        "diamond": ((0, -5), (5, 0), (0, 5), (-5, 0)),
        "cross": (
            (-2, -5),
            (2, -5),
            (2, -2),
            (5, -2),
            (5, 2),
            (2, 2),
            (2, 5),
            (-2, 5),
            (-2, 2),
            (-5, 2),
            (-5, -2),
            (-2, -2),
        ),
    }
    points = " ".join(f"{_n(x + dx)},{_n(y + dy)}" for dx, dy in outlines[shape])
    return f'<polygon{cls} points="{points}" {common}>{inner}</polygon>'


def _check_series(series: Sequence[Series], length: int, what: str) -> None:
    for one in series:
        if len(one.values) != length:
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {length} {what}"
            )
        for value in one.values:
            if value is not None and not math.isfinite(value):
                raise ValueError(f"series {one.name!r} holds a non-finite value: {value!r}")


def _present(series: Sequence[Series]) -> list[float]:
    return [float(v) for one in series for v in one.values if v is not None]


def _runs(values: Iterable[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive non-missing values: a line is drawn through each run and breaks between."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, float(value)))
    return [run for run in runs if run]


def _series_count(count: int) -> str:
    return ngettext("%(count)d series", "%(count)d series", count) % {"count": count}


def _n(value: float) -> str:
    """Coordinates with two decimals at most, so output stays small and stable."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
