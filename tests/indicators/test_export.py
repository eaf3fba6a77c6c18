"""Exports: SDMX-CSV read back with a real SDMX library; only what the requester may see."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.exports import SDMX_COLUMNS, ExportFilter, export_text
from stakeholders.permissions import workspace_perms
from stakeholders.review import review_edit

from .import_factories import approve, row, source, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(world):
    """Approved: ECO-02 2023 F = 12.5 (then corrected to 99 as a draft), ECO-02 2023-Q2 _T = 3;
    never approved: ECO-01 2024 = -1.75."""
    src = source(world.workspace)
    observations = write(
        world.workspace,
        world["editor"],
        [
            row("ECO-02", "2023", "12.5", sex="F", quality="final", source=src.name),
            row("ECO-02", "2023-Q2", "3", urbanisation="RURAL"),
        ],
    )
    approve(observations, editor=world["editor"], reviewer=world["reviewer"])
    corrected = observations[0]
    corrected.refresh_from_db()
    review_edit(
        actor=world["editor"],
        item=corrected,
        expected_lock_version=corrected.lock_version,
        value=Decimal("99"),
    )
    write(world.workspace, world["editor"], [row("ECO-01", "2024-05", "-1.75")])
    return observations


def _read_sdmx(text: str):
    from pysdmx.io import read_sdmx

    message = read_sdmx(text)
    (dataset,) = message.data
    return dataset.short_urn, dataset.data


def test_export_sdmx_csv_read_back_with_pysdmx(world, values):
    perms = workspace_perms(world["coordinator"], world.workspace)
    text = export_text(world.workspace, perms, ExportFilter(), fmt="sdmx")
    assert text.splitlines()[0] == ",".join(SDMX_COLUMNS)
    urn, frame = _read_sdmx(text)
    assert urn == "Dataflow=MMPORTAL:MIGDEV(1.0)"
    found = {
        (r.INDICATOR, r.TIME_PERIOD, r.SEX, r.URBANISATION): (
            Decimal(str(r.OBS_VALUE)),
            r.UNIT_MEASURE,
            r.OBS_STATUS,
            r.REF_AREA,
            r.COUNTERPART_AREA,
        )
        for r in frame.itertuples()
    }
    assert found == {
        ("ECO-01", "2024-05", "_T", "_T"): (Decimal("-1.75"), "PERCENT_CHANGE", "P", "SEN", "_T"),
        ("ECO-02", "2023", "F", "_T"): (Decimal("99"), "PERCENT", "A", "SEN", "_T"),
        ("ECO-02", "2023-Q2", "_T", "RURAL"): (Decimal("3"), "PERCENT", "P", "SEN", "_T"),
    }


def test_export_observer_gets_approved_values_only(world, values):
    perms = workspace_perms(world["observer"], world.workspace)
    _urn, frame = _read_sdmx(export_text(world.workspace, perms, ExportFilter(), fmt="sdmx"))
    found = {
        (r.INDICATOR, r.TIME_PERIOD, r.SEX): Decimal(str(r.OBS_VALUE)) for r in frame.itertuples()
    }
    # The approved value is there (positive control); the draft correction and the never
    # approved value are not.
    assert found == {
        ("ECO-02", "2023", "F"): Decimal("12.5"),
        ("ECO-02", "2023-Q2", "_T"): Decimal("3"),
    }


@pytest.mark.parametrize(("fmt", "marker"), [("csv", "indicator_code"), ("sdmx", "DATAFLOW")])
def test_export_download_page_honours_visibility(client, world, values, fmt, marker):
    url = reverse("indicators:export_download", kwargs={"slug": "national", "fmt": fmt})
    client.force_login(world["observer"])
    body = b"".join(client.get(url).streaming_content).decode()
    assert body.startswith(marker)
    assert ",12.5," in body and ",99," not in body and "-1.75" not in body
    client.force_login(world["editor"])
    body = b"".join(client.get(url).streaming_content).decode()
    assert ",99," in body and "-1.75" in body and ",12.5," not in body


def test_export_xlsx_api_honours_visibility_and_filters(client, world, values):
    from openpyxl import load_workbook

    client.force_login(world["observer"])
    response = client.get("/api/workspaces/national/exports/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    got = sorted((r[0], r[1], str(r[header.index("value")])) for r in rows[1:])
    assert got == [("ECO-02", "2023", "12.5"), ("ECO-02", "2023-Q2", "3")]
    # A filter narrows the selection; the API answers SDMX-CSV by path too.
    response = client.get("/api/workspaces/national/exports/sdmx/?sex=F")
    body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 2 and ",12.5," in body


def test_export_csv_reimports_as_a_no_op(world, values):
    from indicators.imports import RowChecker, read_rows

    perms = workspace_perms(world["editor"], world.workspace)
    text = export_text(world.workspace, perms, ExportFilter(), fmt="csv")
    result = RowChecker(world.workspace).check(read_rows(io.BytesIO(text.encode()), "csv"))
    assert result.error_count == 0
    assert [r.action for r in result.rows] == ["unchanged"] * 3
