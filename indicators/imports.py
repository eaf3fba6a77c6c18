"""Reading observation files (CSV, XLSX) and checking every row before anything is written.

`read_rows` yields each data row with the row number a spreadsheet shows (the header is row 1).
`RowChecker` loads what the checks need once per workspace (indicators by code, data sources by
name, the existing observations by natural key) and then checks rows in plain Python: no query
per row, so a file of 100,000 rows is checked in seconds. Its result says, for each row, whether
it adds a value, changes one or changes nothing, and lists every problem as (row, column,
reason).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from core.periods import period_error
from stakeholders.models import Workspace
from stakeholders.review import ReviewState

from .choices import FIRST_YEAR, LAST_YEAR, TOTAL, Axis, Quality
from .models import AXIS_FIELDS, DataSource, Indicator, Observation
from .validation import breakdown_errors, observation_errors, parse_value

# The columns of an import file, in the template's order; `unit` is shown, never read.
COLUMNS = (
    "indicator_code",
    "period",
    *AXIS_FIELDS,
    "value",
    "unit",
    "quality",
    "source",
    "note",
)
REQUIRED_COLUMNS = ("indicator_code", "period", "value")
# Alternative header spellings accepted for a column.
COLUMN_ALIASES = {
    "indicator": "indicator_code",
    "code": "indicator_code",
    "education": "education_level",
}

# An import stores at most this many error rows; the count of all errors is kept apart.
MAX_STORED_ERRORS = 1000
VALUE_PLACES = Decimal("0.000001")
VALUE_LIMIT = Decimal(10) ** 18  # max_digits=24, decimal_places=6

# What a row does to the workspace's observations.
NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, no header, a required column missing)."""

    def __init__(self, message: str, *, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# Reading ---------------------------------------------------------------------------------------


def file_kind(head: bytes) -> str | None:
    """'xlsx' or 'csv' judged from the file's content (not its name); None for anything else.

    An XLSX file is a ZIP archive holding `xl/workbook.xml`; a CSV file is UTF-8 text without
    NUL bytes (the first 64 KiB are enough to tell; a character cut at the end is allowed).
    """
    if head[:4] == b"PK\x03\x04":
        return "xlsx"
    if not head or b"\x00" in head:
        return None
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return None
    return "csv"


def xlsx_is_workbook(stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        stream.seek(0)


def _header(cells: Iterable[Any]) -> list[str]:
    names = []
    for cell in cells:
        name = str(cell or "").strip().lower().replace(" ", "_")
        names.append(COLUMN_ALIASES.get(name, name))
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)},
            column=missing[0],
        )
    return names


def _cell(value: Any) -> Any:
    """A spreadsheet cell as the checks read it: text, or a number kept as a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        # A period typed as 2024-05 may come back from a spreadsheet as a date.
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int | float | Decimal):
        return value
    return str(value)


def read_rows(stream: IO[bytes], kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: cell}) for each non-empty data row; header = row 1."""
    if kind == "xlsx":
        yield from _read_xlsx(stream)
    else:
        yield from _read_csv(stream)


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    first = text.readline()
    if not first.strip():
        raise ImportFileError(_("The file is empty."))
    # Spreadsheets in many locales save CSV with semicolons.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    names = _header(next(reader))
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, dict(zip(names, cells, strict=False))


def _read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("This Excel file cannot be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        names = _header(header)
        for number, cells in enumerate(rows, start=2):
            values = [_cell(cell) for cell in cells]
            if not any(str(value).strip() for value in values):
                continue
            yield number, dict(zip(names, values, strict=False))
    finally:
        workbook.close()


# Checking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Existing:
    """What is stored for a natural key: the current (draft) content and the review state."""

    pk: int
    value: Decimal
    source_id: int | None
    quality: str
    note: str
    review_state: str
    version: int


@dataclass
class CheckedRow:
    """A valid row, ready to be written."""

    row: int
    indicator_id: int
    period: str
    axes: dict[str, str]
    value: Decimal
    quality: str
    source_id: int | None
    note: str
    action: str = NEW
    existing: Existing | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.indicator_id, self.period, *(self.axes[axis] for axis in AXIS_FIELDS))


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    total: int = 0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class RowChecker:
    """Checks rows for one workspace; everything it needs is read once, when it is created."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        indicators = Indicator.objects.filter(workspace__isnull=True) | Indicator.objects.filter(
            workspace=workspace
        )
        self.indicators: dict[str, Indicator | None] = {}
        for indicator in indicators.select_related("unit", "framework"):
            # A code used by two frameworks is ambiguous without its framework (`sdg:10.7.1`).
            code = indicator.code.upper()
            if indicator.workspace_id is not None:
                self.indicators[code] = indicator  # the workspace's own code wins
                continue
            if code in self.indicators:
                current = self.indicators[code]
                if current is None or current.workspace_id is None:
                    self.indicators[code] = None
            else:
                self.indicators[code] = indicator
            if indicator.framework is not None:
                self.indicators[f"{indicator.framework.code}:{indicator.code}".upper()] = indicator
        self.sources = {
            source.name.casefold(): source
            for source in DataSource.objects.filter(workspace=workspace)
        }
        self.qualities = {value.casefold(): value for value in Quality.values}
        self.qualities.update({str(label).casefold(): value for value, label in Quality.choices})
        self.existing: dict[tuple[Any, ...], Existing] = {}
        fields = ("indicator_id", "period", *AXIS_FIELDS)
        for values in Observation.objects.filter(workspace=workspace).values_list(
            *fields, "pk", "value", "source_id", "quality", "note", "review_state", "version"
        ):
            key = tuple(values[: len(fields)])
            self.existing[key] = Existing(*values[len(fields) :])

    def check(
        self,
        rows: Iterable[tuple[int, dict[str, Any]]],
        *,
        on_progress: Callable[[int], None] | None = None,
        every: int = 5000,
    ) -> CheckResult:
        result = CheckResult()
        # Messages are kept for one check only (they are translated in the current language).
        self._period_errors: dict[tuple[int, str], dict[str, str]] = {}
        self._breakdown_errors: dict[tuple[Any, ...], dict[str, str]] = {}
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in rows:
            result.total += 1
            checked = self._check_row(number, cells, result)
            if checked is not None:
                key = checked.key()
                if key in seen:
                    result.add_error(
                        number,
                        "period",
                        _(
                            "Row %(first)s already has a value for this indicator, period and "
                            "breakdown."
                        )
                        % {"first": seen[key]},
                    )
                else:
                    seen[key] = number
                    self._plan(checked, key, result)
            if on_progress is not None and result.total % every == 0:
                on_progress(result.total)
        if on_progress is not None:
            on_progress(result.total)
        return result

    def _check_row(
        self, number: int, cells: dict[str, Any], result: CheckResult
    ) -> CheckedRow | None:
        errors_before = result.error_count
        code = str(cells.get("indicator_code", "")).strip()
        indicator = self.indicators.get(code.upper()) if code else None
        if not code:
            result.add_error(number, "indicator_code", _("Enter an indicator code."))
        elif indicator is None:
            if code.upper() in self.indicators:
                message = _(
                    "%(code)s is the code of indicators in several frameworks; write it as "
                    "framework:code."
                ) % {"code": code}
            else:
                message = _("%(code)s is not the code of an indicator of this workspace.") % {
                    "code": code
                }
            result.add_error(number, "indicator_code", message)
        period = str(cells.get("period", "")).strip().upper()
        axes = {}
        for axis in AXIS_FIELDS:
            raw = str(cells.get(axis, "") or "").strip().upper()
            axes[axis] = raw or TOTAL
        quality_text = str(cells.get("quality", "") or "").strip()
        quality = (
            self.qualities.get(quality_text.casefold()) if quality_text else Quality.PROVISIONAL
        )
        if quality is None:
            result.add_error(
                number,
                "quality",
                _("“%(quality)s” is not a quality; use one of %(choices)s.")
                % {"quality": quality_text, "choices": ", ".join(Quality.values)},
            )
        source_name = str(cells.get("source", "") or "").strip()
        source = self.sources.get(source_name.casefold()) if source_name else None
        if source_name and source is None:
            result.add_error(
                number,
                "source",
                _("“%(source)s” is not a data source of this workspace; add it first.")
                % {"source": source_name},
            )
        note = str(cells.get("note", "") or "").strip()
        if indicator is None:
            # The other columns cannot be judged without the indicator, except the period.
            problem = period_error(period, first_year=FIRST_YEAR, last_year=LAST_YEAR)
            if problem:
                result.add_error(number, "period", problem)
            return None
        value, problem = parse_value(indicator, cells.get("value"))
        if problem:
            result.add_error(number, "value", problem)
        elif value is not None and abs(value) >= VALUE_LIMIT:
            result.add_error(number, "value", _("This number is too large."))
            value = None
        problems = self._errors(indicator, period, axes, value)
        for column, message in problems.items():
            result.add_error(number, "indicator_code" if column == "indicator" else column, message)
        if result.error_count != errors_before or value is None or quality is None:
            return None
        # Stored with six decimals: compare and write the value as it will be kept.
        value = value.quantize(VALUE_PLACES)
        return CheckedRow(
            row=number,
            indicator_id=indicator.pk,
            period=period,
            axes=axes,
            value=value,
            quality=quality,
            source_id=source.pk if source else None,
            note=note,
        )

    def _errors(
        self, indicator: Indicator, period: str, axes: dict[str, str], value: Decimal | None
    ) -> dict[str, str]:
        """`observation_errors(indicator, workspace, period, axes, value)`, computed faster.

        Its parts that do not depend on the value are the same for many rows: the period's (with
        the indicator's) and the breakdown's are kept per check (`_period_errors`,
        `_breakdown_errors`); only the value is judged per row. Same messages, same order.
        """
        key = (indicator.pk, period)
        fixed = self._period_errors.get(key)
        if fixed is None:
            fixed = self._period_errors[key] = observation_errors(
                indicator=indicator,
                workspace_id=self.workspace.pk,
                period=period,
                axes={},
                value=None,
            )
        breakdown_key = (indicator.pk, *axes.values())
        breakdown = self._breakdown_errors.get(breakdown_key)
        if breakdown is None:
            breakdown = self._breakdown_errors[breakdown_key] = breakdown_errors(indicator, axes)
        value_problem = indicator.value_error(value) if value is not None else ""
        if not (fixed or breakdown or value_problem):
            return {}
        errors = {**fixed, **breakdown}
        if value_problem:
            errors["value"] = value_problem
        return errors

    def _plan(self, checked: CheckedRow, key: tuple[Any, ...], result: CheckResult) -> None:
        existing = self.existing.get(key)
        checked.existing = existing
        if existing is None:
            checked.action = NEW
        elif (
            existing.value == checked.value
            and existing.source_id == checked.source_id
            and existing.quality == checked.quality
            and existing.note == checked.note
        ):
            checked.action = UNCHANGED
        elif existing.review_state == ReviewState.SUBMITTED:
            result.add_error(
                checked.row,
                "value",
                _(
                    "This value is waiting for review and cannot be changed until it is "
                    "approved or returned."
                ),
            )
            return
        else:
            checked.action = CHANGED
        result.rows.append(checked)


def axis_label(axis: str) -> str:
    return str(Axis(axis).label)
