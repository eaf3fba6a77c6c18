"""Small-cell suppression (indicators/suppression.py): observer pages, CSV, XLSX, SDMX-CSV.

Values (all approved, national workspace, threshold 5): GOV-02 (unit "number") 2024 F = 3
(small, disaggregated), M = 40 (large), _T = 4 (small but a total); ECO-02 (percent) 2024
F = 2 (small but not a count).
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.exports import SDMX_COLUMNS, ExportFilter, export_text
from indicators.suppression import suppressed
from stakeholders.permissions import workspace_perms
from tests.indicators.import_factories import approve, indicator, row, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "unit", "total", "threshold", "applies", "expected"),
    [
        (Decimal(3), "number", False, 5, True, "<5"),
        (Decimal(0), "number", False, 5, True, "<5"),
        (Decimal(-2), "net-number", False, 5, True, "<5"),
        (Decimal(5), "number", False, 5, True, None),  # at the threshold: shown
        (Decimal(3), "number", True, 5, True, None),  # a total stays
        (Decimal(3), "percent", False, 5, True, None),  # not a count
        (Decimal(3), "number", False, 0, True, None),  # 0 turns it off
        (Decimal(3), "number", False, 5, False, None),  # a reader of drafts
        (Decimal(9), "number", False, 10, True, "<10"),
        (None, "number", False, 5, True, None),
    ],
)
def test_suppressed_rules(value, unit, total, threshold, applies, expected):
    assert (
        suppressed(value, unit_code=unit, is_total=total, threshold=threshold, applies=applies)
        == expected
    )


@pytest.fixture
def values(world):
    observations = write(
        world.workspace,
        world["editor"],
        [
            row("GOV-02", "2024", "3", sex="F"),
            row("GOV-02", "2024", "40", sex="M"),
            row("GOV-02", "2024", "4"),
            row("ECO-02", "2024", "2", sex="F"),
        ],
    )
    approve(observations, editor=world["editor"], reviewer=world["reviewer"])
    return observations


def _csv_values(text: str) -> dict[tuple[str, str], str]:
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    return {(r["indicator_code"], r["sex"]): r["value"] for r in rows}


def test_suppression_csv_observer_sees_small_cells_hidden_totals_kept(world, values):
    perms = workspace_perms(world["observer"], world.workspace)
    found = _csv_values(export_text(world.workspace, perms, ExportFilter(), fmt="csv"))
    assert found == {
        ("GOV-02", "F"): "<5",
        ("GOV-02", "M"): "40",
        ("GOV-02", "_T"): "4",
        ("ECO-02", "F"): "2",
    }


def test_suppression_csv_editor_sees_real_values(world, values):
    perms = workspace_perms(world["editor"], world.workspace)
    found = _csv_values(export_text(world.workspace, perms, ExportFilter(), fmt="csv"))
    assert found[("GOV-02", "F")] == "3"
    assert found[("GOV-02", "_T")] == "4"


def test_suppression_threshold_zero_turns_it_off(world, values):
    world.workspace.suppression_threshold = 0
    world.workspace.save()
    perms = workspace_perms(world["observer"], world.workspace)
    found = _csv_values(export_text(world.workspace, perms, ExportFilter(), fmt="csv"))
    assert found[("GOV-02", "F")] == "3"


def test_suppression_sdmx_value_empty_and_confidential(world, values):
    from pysdmx.io import read_sdmx

    perms = workspace_perms(world["observer"], world.workspace)
    text = export_text(world.workspace, perms, ExportFilter(), fmt="sdmx")
    assert text.splitlines()[0] == ",".join(SDMX_COLUMNS)
    assert "CONF_STATUS" in SDMX_COLUMNS
    (dataset,) = read_sdmx(text).data
    found = {
        (r.INDICATOR, r.SEX): (str(r.OBS_VALUE), r.CONF_STATUS) for r in dataset.data.itertuples()
    }
    assert found[("GOV-02", "F")][1] == "C"
    assert found[("GOV-02", "F")][0] in ("", "nan", "None")
    assert found[("GOV-02", "M")] == ("40", "F") or Decimal(found[("GOV-02", "M")][0]) == 40
    assert found[("GOV-02", "_T")][1] == "F"
    assert Decimal(found[("GOV-02", "_T")][0]) == 4
    # The raw line: the value column is empty, never "3".
    line = next(x for x in text.splitlines() if ",GOV-02,2024,F," in x)
    cells = line.split(",")
    assert cells[SDMX_COLUMNS.index("OBS_VALUE")] == ""
    assert cells[SDMX_COLUMNS.index("CONF_STATUS")] == "C"
    # An editor's SDMX-CSV has the value and "F" (free).
    editor_text = export_text(
        world.workspace,
        workspace_perms(world["editor"], world.workspace),
        ExportFilter(),
        fmt="sdmx",
    )
    line = next(x for x in editor_text.splitlines() if ",GOV-02,2024,F," in x)
    cells = line.split(",")
    assert cells[SDMX_COLUMNS.index("OBS_VALUE")] == "3"
    assert cells[SDMX_COLUMNS.index("CONF_STATUS")] == "F"


def test_suppression_xlsx_download_shows_text(client, world, values):
    from openpyxl import load_workbook

    client.force_login(world["observer"])
    url = reverse("indicators:export_download", kwargs={"slug": "national", "fmt": "xlsx"})
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    found = {(r[0], r[header.index("sex")]): r[header.index("value")] for r in rows[1:]}
    assert found[("GOV-02", "F")] == "<5"
    assert found[("GOV-02", "M")] == 40
    assert found[("GOV-02", "_T")] == 4


def test_suppression_indicator_data_page(client, world, values):
    url = reverse(
        "indicators:indicator_data",
        kwargs={"slug": "national", "indicator_pk": indicator("GOV-02").pk},
    )
    client.force_login(world["observer"])
    body = client.get(url, {"axis": "sex"}).content.decode()
    assert "&lt;5</td>" in body
    assert ">40</td>" in body  # positive control: a large cell is shown
    assert ">3</td>" not in body
    client.force_login(world["editor"])
    body = client.get(url, {"axis": "sex"}).content.decode()
    assert ">3</td>" in body and "&lt;5</td>" not in body


def test_suppression_observation_list_page(client, world, values):
    url = reverse("indicators:observation_list", kwargs={"slug": "national"})
    client.force_login(world["observer"])
    body = client.get(url, {"indicator": indicator("GOV-02").pk}).content.decode()
    assert "&lt;5 <span" in body
    assert ">40 <span" in body
    client.force_login(world["coordinator"])
    body = client.get(url, {"indicator": indicator("GOV-02").pk}).content.decode()
    assert ">3 <span" in body and "&lt;5 <span" not in body
