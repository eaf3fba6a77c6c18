"""Loading indicator frameworks from catalogue files (the starter set, the SDGs, imported ones).

The same row checks serve the data migration that loads the starter data and the staff import of
another framework: each row's problems are collected with its row number, and nothing is loaded
while any row has one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .choices import AXIS_BY_CATALOGUE_NAME, IndicatorDirection, IndicatorLevel, ValueType

DATA_DIR = Path(__file__).resolve().parent / "data"

# Units as data, with their bounds (DESIGN §7): (code, name, minimum, maximum).
UNITS: tuple[tuple[str, str, Decimal | None, Decimal | None], ...] = (
    ("percent", "percent", Decimal(0), Decimal(100)),
    ("percent-change", "percent change", Decimal(-100), None),
    ("percent-of-monthly-earnings", "percent of monthly earnings", Decimal(0), None),
    ("number", "number", Decimal(0), None),
    ("net-number", "net number", None, None),
    ("usd", "USD", Decimal(0), None),
    ("per-100", "per 100 working-age people", Decimal(0), None),
    ("per-1000-people", "per 1,000 people", Decimal(0), None),
    ("per-1000-live-births", "per 1,000 live births", Decimal(0), Decimal(1000)),
    ("per-100000-people", "per 100,000 people", Decimal(0), Decimal(100000)),
    ("per-100000-workers", "per 100,000 workers", Decimal(0), Decimal(100000)),
    ("score-0-10", "score 0-10 (0 = best)", Decimal(0), Decimal(10)),
    ("score-0-1", "score 0-1", Decimal(0), Decimal(1)),
    ("ordinal", "ordinal category", None, None),
)
UNIT_BY_NAME = {name: code for code, name, _low, _high in UNITS}
UNIT_CODES = {code for code, _name, _low, _high in UNITS}
# Catalogue files name units in words; a few indicators need a refinement of their file unit:
# a growth rate is a percent change (it can be negative) and net migration can be negative.
UNIT_OVERRIDES = {("starter", "ECO-01"): "percent-change", ("starter", "SOC-02"): "net-number"}

# The SDG 10.7.2 assessment's categories, lowest first (UN DESA/IOM methodology).
POLICY_CATEGORIES = ["Requires further progress", "Partially meets", "Meets", "Fully meets"]
ORDINAL_CATEGORIES = {
    ("starter", "GOV-01"): POLICY_CATEGORIES,
    ("sdg", "10.7.2"): POLICY_CATEGORIES,
}

# sdg.csv carries no direction; these are the portal's reading of each indicator.
SDG_DIRECTIONS = {
    "10.7.1": IndicatorDirection.LOWER,
    "10.7.2": IndicatorDirection.HIGHER,
    "10.7.3": IndicatorDirection.LOWER,
    "10.7.4": IndicatorDirection.NEUTRAL,
    "10.c.1": IndicatorDirection.LOWER,
    "17.3.2": IndicatorDirection.NEUTRAL,
}

CATALOGUE_COLUMNS = (
    "code",
    "dimension",
    "name",
    "definition",
    "unit",
    "level",
    "disaggregations",
    "source_org",
    "source_ref",
    "direction",
    "emp_annex",
)

STARTER = {
    "code": "starter",
    "name": "Migration and human development — portal starter set",
    "version": "2025",
    "description": (
        "48 indicators of how migration affects human development, six in each of the eight "
        "dimensions named in the 2012 GFMD workshop report. A starting point that any workspace "
        "may use, complete with its own indicators, or replace by importing another framework."
    ),
    "provenance": (
        "The portal's own starter catalogue. The eight dimensions follow the ACP Observatory on "
        "Migration's dimensions **as named in the 2012 GFMD workshop report**, but the list is "
        "**not** the Observatory's: its publication was not used and no name or definition copies "
        "its wording. Every row is an existing public statistic or an established survey measure; "
        "names and definitions are the portal's short wording, checked against the source's "
        "published definition, and the source agency's metadata is the authority. When the "
        "official Observatory list is available, load it through the indicator import."
    ),
    "position": 1,
}

SDG = {
    "code": "sdg",
    "name": "SDG global indicator framework — migration indicators",
    "version": "2020 comprehensive review",
    "description": (
        "The six global Sustainable Development Goal indicators most tied to migration "
        "(targets 10.7, 10.c and 17.3)."
    ),
    "provenance": (
        "Titles are the United Nations' official titles in the global indicator framework, stored "
        "per framework version because the wording of some (10.7.2) has changed between "
        "versions. Units, levels, disaggregations and notes are the portal's."
    ),
    "position": 2,
}


@dataclass
class CatalogueRow:
    """One indicator row, checked and converted to model field values."""

    number: int
    values: dict[str, Any]
    dimension: str


@dataclass
class CatalogueCheck:
    rows: list[CatalogueRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, number: int, column: str, message: str) -> None:
        self.errors.append({"row": number, "column": column, "message": message})


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class CatalogueFileError(ValueError):
    """A catalogue file that cannot be read at all (not its rows' content)."""


# Columns an imported catalogue file may have besides CATALOGUE_COLUMNS.
OPTIONAL_COLUMNS = ("categories", "note", "target")
REQUIRED_COLUMNS = ("code", "name", "unit")
DIMENSION_SHEET = "dimensions"


@dataclass
class CatalogueFile:
    """The rows of an uploaded catalogue file, and its dimension list if it has one."""

    rows: list[dict[str, str]]
    columns: list[str]
    dimension_rows: list[dict[str, str]] | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _records(header: list[Any], body: list[list[Any]]) -> tuple[list[str], list[dict[str, str]]]:
    columns = [_text(name).casefold() for name in header]
    rows = []
    for values in body:
        if not any(_text(value) for value in values):
            continue  # blank lines of a spreadsheet are not rows
        rows.append(
            {name: _text(value) for name, value in zip(columns, values, strict=False) if name}
        )
    return columns, rows


def read_catalogue_file(handle: Any, filename: str) -> CatalogueFile:
    """Read a catalogue in CSV (UTF-8) or XLSX (first sheet; a sheet named "dimensions" with
    code, name and scope columns, if present, is the framework's list of dimensions)."""
    from django.utils.translation import gettext as _

    name = filename.casefold()
    if name.endswith(".csv"):
        try:
            text = handle.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CatalogueFileError(_("The CSV file is not in UTF-8.")) from error
        table = list(csv.reader(text.splitlines()))
        if not table:
            raise CatalogueFileError(_("The file is empty."))
        columns, rows = _records(table[0], table[1:])
        return CatalogueFile(rows=rows, columns=columns)
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise CatalogueFileError(_("The file is not a readable XLSX workbook.")) from error
        sheets = {sheet.title.casefold(): sheet for sheet in book.worksheets}
        dimension_sheet = sheets.pop(DIMENSION_SHEET, None)
        if not sheets:
            raise CatalogueFileError(_("The workbook has no sheet of indicators."))
        table = [list(values) for values in next(iter(sheets.values())).iter_rows(values_only=True)]
        if not table:
            raise CatalogueFileError(_("The file is empty."))
        columns, rows = _records(table[0], table[1:])
        dimension_rows = None
        if dimension_sheet is not None:
            found = [list(v) for v in dimension_sheet.iter_rows(values_only=True)]
            dimension_rows = _records(found[0], found[1:])[1] if found else []
        book.close()
        return CatalogueFile(rows=rows, columns=columns, dimension_rows=dimension_rows)
    raise CatalogueFileError(_("Upload a .csv or .xlsx file."))


def check_catalogue_rows(
    rows: list[dict[str, Any]],
    *,
    framework_code: str,
    dimensions: set[str],
    require_dimension: bool = True,
) -> CatalogueCheck:
    """Check catalogue rows; row numbers count the header as row 1, as a spreadsheet does."""
    from django.utils.translation import gettext as _

    check = CatalogueCheck()
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        row = {key: str(value or "").strip() for key, value in raw.items() if key}
        code = row.get("code", "")
        if not code:
            check.error(number, "code", _("Enter a code."))
        elif code in seen:
            check.error(
                number,
                "code",
                _("Code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        else:
            seen[code] = number
        if not row.get("name"):
            check.error(number, "name", _("Enter a name."))
        dimension = row.get("dimension", "").casefold()
        if require_dimension and dimension not in dimensions:
            check.error(
                number,
                "dimension",
                _("Unknown dimension “%(dimension)s”.") % {"dimension": row.get("dimension", "")},
            )
        unit_code = UNIT_OVERRIDES.get((framework_code, code)) or UNIT_BY_NAME.get(
            row.get("unit", "")
        )
        if unit_code is None and row.get("unit", "") in UNIT_CODES:
            unit_code = row["unit"]
        if unit_code is None:
            check.error(
                number,
                "unit",
                _("Unknown unit “%(unit)s”; use one of: %(units)s.")
                % {"unit": row.get("unit", ""), "units": "; ".join(UNIT_BY_NAME)},
            )
        axes = []
        for name in filter(
            None, (part.strip() for part in row.get("disaggregations", "").split("|"))
        ):
            axis = AXIS_BY_CATALOGUE_NAME.get(name.casefold())
            if axis is None:
                check.error(
                    number,
                    "disaggregations",
                    _("Unknown disaggregation “%(name)s”; use: %(names)s.")
                    % {"name": name, "names": " | ".join(AXIS_BY_CATALOGUE_NAME)},
                )
            else:
                axes.append(axis.value)
        level = row.get("level") or IndicatorLevel.NATIONAL
        if level not in IndicatorLevel.values:
            check.error(number, "level", _("Unknown level “%(level)s”.") % {"level": level})
        direction = row.get("direction") or IndicatorDirection.NEUTRAL
        if direction not in IndicatorDirection.values:
            check.error(
                number,
                "direction",
                _(
                    "Unknown direction “%(direction)s”; use higher_is_better, "
                    "lower_is_better or neutral."
                )
                % {"direction": direction},
            )
        annex = row.get("emp_annex", "no").casefold() or "no"
        if annex not in ("yes", "no"):
            check.error(number, "emp_annex", _("Enter yes or no."))
        categories = ORDINAL_CATEGORIES.get((framework_code, code))
        if unit_code == "ordinal" and not categories:
            categories = [c.strip() for c in row.get("categories", "").split("|") if c.strip()]
            if len(categories) < 2:
                check.error(
                    number,
                    "categories",
                    _(
                        "An ordinal indicator needs at least two categories, "
                        "lowest first, separated by |."
                    ),
                )
        check.rows.append(
            CatalogueRow(
                number=number,
                dimension=dimension,
                values={
                    "code": code,
                    "name": row.get("name", ""),
                    "definition": row.get("definition", ""),
                    "unit_code": unit_code,
                    "value_type": ValueType.ORDINAL if unit_code == "ordinal" else ValueType.NUMBER,
                    "categories": categories or [],
                    "level": level,
                    "disaggregations": axes,
                    "source_org": row.get("source_org", ""),
                    "source_ref": row.get("source_ref", ""),
                    "direction": direction,
                    "emp_annex": annex == "yes",
                    "note": row.get("note", ""),
                    "target": row.get("target", ""),
                },
            )
        )
    return check


def ensure_units(unit_model: Any) -> dict[str, Any]:
    """Create the units that do not exist yet; return all of them by code."""
    for code, name, minimum, maximum in UNITS:
        unit_model.objects.get_or_create(
            code=code, defaults={"name": name, "minimum": minimum, "maximum": maximum}
        )
    return {unit.code: unit for unit in unit_model.objects.all()}


def load_framework(
    *,
    models: Any,
    framework: dict[str, Any],
    dimension_rows: list[dict[str, str]],
    check: CatalogueCheck,
    title_version: str = "",
) -> Any:
    """Create a framework with its dimensions and the checked indicator rows."""
    if check.errors:
        raise ValueError(f"refusing to load a catalogue with errors: {check.errors}")
    units = ensure_units(models.Unit)
    created = models.Framework.objects.create(**framework)
    dimensions = {}
    for position, row in enumerate(dimension_rows, start=1):
        dimension = models.Dimension.objects.create(
            framework=created,
            code=row["code"],
            name=row["name"],
            scope=row.get("scope", ""),
            position=position,
        )
        dimensions[row["name"].casefold()] = dimension
    indicators = []
    for position, checked in enumerate(check.rows, start=1):
        values = dict(checked.values)
        unit = units[values.pop("unit_code")]
        titles = {title_version: values["name"]} if title_version else {}
        indicators.append(
            models.Indicator(
                framework=created,
                dimension=dimensions.get(checked.dimension),
                unit=unit,
                titles=titles,
                position=position,
                **values,
            )
        )
    models.Indicator.objects.bulk_create(indicators)
    return created


def sdg_rows() -> list[dict[str, str]]:
    """sdg.csv in catalogue columns: the title is the name, the custodian the source."""
    rows = []
    for row in read_csv(DATA_DIR / "sdg.csv"):
        rows.append(
            {
                "code": row["code"],
                "dimension": "",
                "name": row["title"],
                "definition": "",
                "unit": row["unit"],
                "level": row["level"],
                "disaggregations": row["disaggregations"],
                "source_org": row["custodian"],
                "source_ref": f"SDG {row['code']}",
                "direction": SDG_DIRECTIONS.get(row["code"], IndicatorDirection.NEUTRAL).value,
                "emp_annex": "no",
                "note": row["note"],
                "target": row["target"],
            }
        )
    return rows


def load_starter_catalogue(models: Any) -> None:
    """Load the starter set and the SDG framework (the data migration's work)."""
    dimension_rows = read_csv(DATA_DIR / "dimensions.csv")
    names = {row["name"].casefold() for row in dimension_rows}
    starter = check_catalogue_rows(
        read_csv(DATA_DIR / "catalogue.csv"), framework_code="starter", dimensions=names
    )
    load_framework(models=models, framework=STARTER, dimension_rows=dimension_rows, check=starter)
    sdg = check_catalogue_rows(
        sdg_rows(), framework_code="sdg", dimensions=set(), require_dimension=False
    )
    load_framework(
        models=models,
        framework=SDG,
        dimension_rows=[],
        check=sdg,
        title_version=str(SDG["version"]),
    )
