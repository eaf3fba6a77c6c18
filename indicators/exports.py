"""Exporting a selection of observations as CSV, XLSX or SDMX-CSV (SDMX 2.1 CSV, "SDMX-CSV 1.0").

Exports hold only what the requester may see: `readable_observations` chooses the rows and
`shown` the values, so a reader without the right to see drafts gets the last approved value
of each observation and never a draft. Rows are read in chunks and written as they come, so a
large selection streams instead of filling memory.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from .choices import AXIS_CODES, OBS_STATUS, SDMX_COLUMN, TOTAL, Axis, Quality
from .imports import COLUMNS
from .models import AXIS_FIELDS, DataSource, Indicator, Observation
from .selectors.observations import readable_observations, sees_draft_values, shown
from .suppression import CONFIDENTIAL, FREE, is_total, suppressed, suppression_applies

FORMATS = ("csv", "xlsx", "sdmx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "sdmx": "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "sdmx": "sdmx.csv", "xlsx": "xlsx"}
DATAFLOW = "MMPORTAL:MIGDEV(1.0)"
SDMX_COLUMNS = (
    "DATAFLOW",
    "REF_AREA",
    "INDICATOR",
    "TIME_PERIOD",
    *(SDMX_COLUMN[Axis(axis)] for axis in AXIS_FIELDS),
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    # Small cells (indicators/suppression.py): OBS_VALUE empty and CONF_STATUS "C".
    "CONF_STATUS",
)
# The import file's columns (so that an export can be edited and imported again), plus two.
PLAIN_COLUMNS = (*COLUMNS, "indicator_name", "review_state")
CHUNK = 2000


@dataclass
class ExportFilter:
    """A selection of observations; empty fields select everything."""

    indicator_ids: list[int] = field(default_factory=list)
    dimension_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    axes: dict[str, str] = field(default_factory=dict)
    review_state: str = ""
    import_job_id: int | None = None


@dataclass(frozen=True)
class ExportRow:
    indicator_code: str
    indicator_name: str
    unit_code: str
    unit_name: str
    period: str
    axes: dict[str, str]
    value: Decimal
    quality: str
    source: str
    note: str
    review_state: str
    # "<5" when small-cell suppression hides the value from this reader (value then unused).
    hidden_as: str | None = None


def export_observations(
    workspace: Workspace, perms: frozenset[Perm], selection: ExportFilter
) -> QuerySet[Observation]:
    """The observations of the selection that a reader holding `perms` may see."""
    queryset = readable_observations(workspace, perms)
    if selection.indicator_ids:
        queryset = queryset.filter(indicator_id__in=selection.indicator_ids)
    if selection.dimension_id:
        queryset = queryset.filter(indicator__dimension_id=selection.dimension_id)
    if selection.year_from:
        queryset = queryset.filter(year__gte=selection.year_from)
    if selection.year_to:
        queryset = queryset.filter(year__lte=selection.year_to)
    for axis, code in selection.axes.items():
        if code and axis in AXIS_FIELDS:
            queryset = queryset.filter(**{axis: code})
    if sees_draft_values(perms):
        # Only readers of drafts may select by review state or by import (an import's rows
        # are drafts until they are approved).
        if selection.review_state:
            queryset = queryset.filter(review_state=selection.review_state)
        if selection.import_job_id:
            queryset = queryset.filter(import_job_id=selection.import_job_id)
    return queryset.select_related("indicator", "indicator__unit").order_by(
        "indicator__code", "year", "period", *AXIS_FIELDS, "pk"
    )


def export_rows(
    workspace: Workspace, perms: frozenset[Perm], selection: ExportFilter
) -> Iterator[ExportRow]:
    """What the reader sees of each observation of the selection, in chunks."""
    sources = dict(DataSource.objects.filter(workspace=workspace).values_list("pk", "name"))
    queryset = export_observations(workspace, perms, selection)
    threshold = workspace.suppression_threshold
    applies = suppression_applies(perms)
    for observation in queryset.iterator(chunk_size=CHUNK):
        seen = shown(observation, perms)
        if seen is None:
            continue
        indicator = observation.indicator
        axes = {axis: getattr(observation, axis) for axis in AXIS_FIELDS}
        yield ExportRow(
            indicator_code=indicator.code,
            indicator_name=indicator.name,
            unit_code=indicator.unit.code,
            unit_name=indicator.unit.name,
            period=observation.period,
            axes=axes,
            value=seen.value,
            quality=seen.quality,
            source=sources.get(seen.source_id, "") if seen.source_id else "",
            note=seen.note,
            review_state=seen.review_state,
            hidden_as=suppressed(
                seen.value,
                unit_code=indicator.unit.code,
                is_total=is_total(axes),
                threshold=threshold,
                applies=applies,
            ),
        )


def plain_number(value: Decimal) -> str:
    """A decimal as text without exponent or trailing zeros (12.5, 100, -3.25)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def sdmx_unit(unit_code: str) -> str:
    return unit_code.upper().replace("-", "_")


def _plain_cells(row: ExportRow) -> list[str]:
    return [
        row.indicator_code,
        row.period,
        *(row.axes[axis] for axis in AXIS_FIELDS),
        row.hidden_as or plain_number(row.value),
        row.unit_name,
        row.quality,
        row.source,
        row.note,
        row.indicator_name,
        row.review_state,
    ]


def _sdmx_cells(row: ExportRow, ref_area: str) -> list[str]:
    return [
        DATAFLOW,
        ref_area,
        row.indicator_code,
        row.period,
        *(row.axes[axis] for axis in AXIS_FIELDS),
        "" if row.hidden_as else plain_number(row.value),
        sdmx_unit(row.unit_code),
        OBS_STATUS.get(Quality(row.quality), "") if row.quality in Quality.values else "",
        CONFIDENTIAL if row.hidden_as else FREE,
    ]


class _Line:
    """A file-like object whose write() returns the text, for csv.writer in a generator."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    rows: Iterator[ExportRow], *, sdmx: bool = False, ref_area: str = ""
) -> Iterator[str]:
    """CSV text, one line at a time (for a streaming response)."""
    writer: Any = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(SDMX_COLUMNS if sdmx else PLAIN_COLUMNS)
    for row in rows:
        yield writer.writerow(_sdmx_cells(row, ref_area) if sdmx else _plain_cells(row))


def xlsx_file(rows: Iterator[ExportRow]) -> IO[bytes]:
    """An XLSX workbook of the rows in a temporary file (write-only: memory stays flat)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Observations")
    sheet.append(list(PLAIN_COLUMNS))
    for row in rows:
        cells: list[Any] = _plain_cells(row)
        if not row.hidden_as:
            cells[COLUMNS.index("value")] = Decimal(plain_number(row.value))  # a number cell
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the response
    workbook.save(out)
    out.seek(0)
    return out


def export_text(
    workspace: Workspace, perms: frozenset[Perm], selection: ExportFilter, *, fmt: str
) -> str:
    """A whole CSV or SDMX-CSV export as one string (for tests and small selections)."""
    buffer = io.StringIO()
    for line in csv_lines(
        export_rows(workspace, perms, selection), sdmx=fmt == "sdmx", ref_area=workspace.country
    ):
        buffer.write(line)
    return buffer.getvalue()


# Templates -------------------------------------------------------------------------------------


def template_indicators(workspace: Workspace) -> QuerySet[Indicator]:
    """The indicators a workspace may enter values for: the catalogue and its own."""
    return (
        Indicator.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .select_related("unit", "framework", "dimension")
        .order_by("workspace_id", "framework__position", "dimension__position", "position", "code")
    )


def _template_code(indicator: Indicator, ambiguous: set[str]) -> str:
    if indicator.framework is not None and indicator.code.upper() in ambiguous:
        return f"{indicator.framework.code}:{indicator.code}"
    return indicator.code


def _ambiguous(indicators: list[Indicator]) -> set[str]:
    seen: dict[str, int] = {}
    for indicator in indicators:
        if indicator.workspace_id is None:
            seen[indicator.code.upper()] = seen.get(indicator.code.upper(), 0) + 1
    return {code for code, count in seen.items() if count > 1}


def template_rows(workspace: Workspace) -> list[list[str]]:
    """One row per indicator: its code, an empty period and value, totals on every axis."""
    indicators = list(template_indicators(workspace))
    ambiguous = _ambiguous(indicators)
    rows = []
    for indicator in indicators:
        rows.append(
            [
                _template_code(indicator, ambiguous),
                "",
                *(TOTAL for _axis in AXIS_FIELDS),
                "",
                indicator.unit.name,
                "",
                "",
                "",
            ]
        )
    return rows


def template_csv(workspace: Workspace) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(template_rows(workspace))
    return buffer.getvalue()


def _axis_codes(axis: str) -> str:
    if axis == Axis.PARTNER_COUNTRY:
        return str(_("ISO 3166-1 alpha-3 code (e.g. SEN) or _T"))
    return ", ".join(AXIS_CODES[axis])


def template_xlsx(workspace: Workspace) -> bytes:
    """The template as a workbook: the rows to fill, and a sheet describing each indicator."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    indicators = list(template_indicators(workspace))
    ambiguous = _ambiguous(indicators)
    sources = list(DataSource.objects.filter(workspace=workspace).values_list("name", flat=True))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Observations"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = template_rows(workspace)
    for cells in rows:
        sheet.append(cells)
    sheet.freeze_panes = "A2"
    last = max(len(rows) + 1, 1000)
    lists = {axis: list(AXIS_CODES[axis]) for axis in AXIS_FIELDS if axis in AXIS_CODES}
    lists["quality"] = list(Quality.values)
    if sources and sum(len(name) + 1 for name in sources) < 250:
        lists["source"] = sources
    for column, values in lists.items():
        letter = chr(ord("A") + COLUMNS.index(column))
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)

    info = workbook.create_sheet("Indicators")
    info.append(
        [
            str(_("code")),
            str(_("name")),
            str(_("framework")),
            str(_("unit")),
            str(_("lowest value")),
            str(_("highest value")),
            str(_("categories (rank: label)")),
            str(_("disaggregations and their codes")),
        ]
    )
    for cell in info[1]:
        cell.font = Font(bold=True)
    for indicator in indicators:
        unit = indicator.unit
        axes = "; ".join(f"{axis}: {_axis_codes(axis)}" for axis in indicator.disaggregations or [])
        categories = "; ".join(
            f"{rank}: {label}" for rank, label in enumerate(indicator.categories or [], start=1)
        )
        info.append(
            [
                _template_code(indicator, ambiguous),
                indicator.name,
                str(indicator.framework) if indicator.framework else str(_("this workspace")),
                unit.name,
                plain_number(unit.minimum) if unit.minimum is not None else "",
                plain_number(unit.maximum) if unit.maximum is not None else "",
                categories,
                axes or str(_("totals only (_T)")),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
