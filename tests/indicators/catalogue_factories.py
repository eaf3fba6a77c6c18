"""Catalogue test data: custom indicators through their service, catalogue files as bytes."""

from __future__ import annotations

import csv
import io
from typing import Any

from indicators.catalogue import CATALOGUE_COLUMNS
from indicators.models import Dimension, Indicator, Unit
from indicators.services.catalogue import custom_indicator_create


def starter_dimension(code: str = "ECO") -> Dimension:
    return Dimension.objects.get(framework__code="starter", code=code)


def make_custom_indicator(actor: Any, workspace: Any, **overrides: Any) -> Indicator:
    """A workspace's own indicator (a percent in the economic dimension by default)."""
    count = Indicator.objects.filter(workspace=workspace).count()
    fields: dict[str, Any] = {
        "code": f"OWN-{count + 1:02d}",
        "name": f"Own indicator {count + 1}",
        "dimension": starter_dimension(),
        "unit": Unit.objects.get(code="percent"),
        "disaggregations": ["sex"],
        "source_org": "National statistics office",
    }
    fields.update(overrides)
    return custom_indicator_create(actor=actor, workspace=workspace, **fields)


def catalogue_row(number: int, **overrides: str) -> dict[str, str]:
    """A valid catalogue row (dimension named in the row, unit a percent)."""
    row = {
        "code": f"X-{number:04d}",
        "dimension": "labour" if number % 2 else "welfare",
        "name": f"Imported indicator {number}",
        "definition": "A definition.",
        "unit": "percent",
        "level": "national",
        "disaggregations": "sex|age group",
        "source_org": "Statistics office",
        "source_ref": f"REF.{number}",
        "direction": "higher_is_better",
        "emp_annex": "no",
    }
    row.update(overrides)
    return row


def catalogue_csv(
    rows: list[dict[str, str]], columns: tuple[str, ...] = CATALOGUE_COLUMNS
) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def catalogue_xlsx(
    rows: list[dict[str, str]], dimensions: list[dict[str, str]] | None = None
) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"
    sheet.append(list(CATALOGUE_COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in CATALOGUE_COLUMNS])
    if dimensions is not None:
        extra = book.create_sheet("dimensions")
        extra.append(["code", "name", "scope"])
        for dimension in dimensions:
            extra.append([dimension["code"], dimension["name"], dimension.get("scope", "")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
