"""Helpers for import/export tests: files of observations (CSV, XLSX) and approved values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.imports import COLUMNS, RowChecker
from indicators.models import DataSource, Indicator, Observation
from indicators.services.imports import observations_upsert
from stakeholders.models import User, Workspace
from stakeholders.review import review_approve, review_submit


def row(code: str, period: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"indicator_code": code, "period": period, "value": value, **extra}


def csv_bytes(rows: Iterable[dict[str, Any]], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow(item)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for item in rows:
        sheet.append([item.get(column, None) for column in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def many_rows(n: int, *, code: str = "ECO-02", start_year: int = 1950) -> list[dict[str, Any]]:
    """`n` distinct valid rows of a percent indicator disaggregated by sex, age and urbanisation:
    months × sex × age × urbanisation, so that keys never repeat."""
    rows: list[dict[str, Any]] = []
    sexes = ("F", "M", "_T")
    ages = ("Y0T14", "Y15T24", "Y25T64", "Y_GE65", "_T")
    urban = ("URBAN", "RURAL", "_T")
    year, month = start_year, 1
    while len(rows) < n:
        period = f"{year}-{month:02d}"
        for sex in sexes:
            for age in ages:
                for place in urban:
                    if len(rows) >= n:
                        break
                    value = Decimal(len(rows) % 1000) / 10
                    rows.append(row(code, period, f"{value}", sex=sex, age=age, urbanisation=place))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return rows


def source(workspace: Workspace, name: str = "Labour force survey 2024") -> DataSource:
    return DataSource.objects.create(workspace=workspace, name=name, kind="household_survey")


def write(workspace: Workspace, actor: User, rows: Sequence[dict[str, Any]]) -> list[Observation]:
    """Write valid rows straight through the upsert (as an import would)."""
    result = RowChecker(workspace).check(enumerate(rows, start=2))
    assert not result.error_count, result.errors
    observations_upsert(actor=actor, workspace=workspace, rows=result.rows)
    return list(Observation.objects.filter(workspace=workspace).order_by("pk"))


def approve(items: Sequence[Observation], *, editor: User, reviewer: User) -> None:
    review_submit(actor=editor, items=items)
    review_approve(actor=reviewer, items=items)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code, workspace__isnull=True)
