"""Import pages and API: template round trip, upload, preview with progress, commit; counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from indicators.choices import ImportStatus
from indicators.imports import COLUMNS
from indicators.models import AXIS_FIELDS, ImportJob, Observation
from stakeholders.choices import Role
from tests.factories import MembershipFactory, WorkspaceFactory
from tests.querycount import assert_pinned_queries

from .import_factories import csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def _fill_template_xlsx(data: bytes) -> bytes:
    """Fill the downloaded template's ECO-02 row with a value, as a planning officer would."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Observations"]
    header = [cell.value for cell in sheet[1]]
    filled = 0
    for cells in sheet.iter_rows(min_row=2):
        code = cells[0].value
        if code == "ECO-02":
            cells[header.index("period")].value = "2023"
            cells[header.index("sex")].value = "F"
            cells[header.index("value")].value = 41.5
            filled += 1
        elif code == "ECO-04":
            cells[header.index("period")].value = 2024
            cells[header.index("value")].value = "7.25"
            filled += 1
    assert filled == 2
    # Rows left without a value are removed, as the page's instructions say.
    for index in range(sheet.max_row, 1, -1):
        if sheet.cell(index, header.index("value") + 1).value in (None, ""):
            sheet.delete_rows(index)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_template_round_trip_through_the_pages(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["editor"])
    slug = world.workspace.slug
    response = client.get(
        reverse("indicators:import_template", kwargs={"slug": slug, "fmt": "xlsx"})
    )
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Observations", "Indicators"]
    codes = [r[0] for r in workbook["Observations"].iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 54 and "ECO-02" in codes and "10.7.1" in codes
    info = {r[0]: r for r in workbook["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert info["ECO-02"][3:6] == ("percent", "0", "100")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:import_create", kwargs={"slug": slug}),
            {"file": upload(_fill_template_xlsx(response.content), "filled.xlsx")},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "indicators:import_detail", kwargs={"slug": slug, "pk": job.pk}
    )
    page = client.get(response["Location"])
    assert job.status == ImportStatus.READY and job.processed_rows == job.total_rows == 2
    assert "Import 2 values" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:import_commit", kwargs={"slug": slug, "pk": job.pk})
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Imported: 2 new, 0 changed, 0 unchanged." in page
    values = sorted(Observation.objects.values_list("indicator__code", "period", "sex", "value"))
    assert [(c, p, s, str(v.normalize())) for c, p, s, v in values] == [
        ("ECO-02", "2023", "F", "41.5"),
        ("ECO-04", "2024", "_T", "7.25"),
    ]


def test_import_csv_template_lists_every_indicator(client, world):
    client.force_login(world["editor"])
    response = client.get(
        reverse("indicators:import_template", kwargs={"slug": "national", "fmt": "csv"})
    )
    lines = response.content.decode().splitlines()
    assert lines[0].split(",") == list(COLUMNS)
    assert COLUMNS[2:8] == AXIS_FIELDS  # the disaggregations, in the model's order
    assert "ECO-02,,_T,_T,_T,_T,_T,_T,,percent,,," in lines
    assert len(lines) == 1 + 54


def test_import_page_shows_errors_and_progress(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["editor"])
    rows = [row("ECO-02", "2023", "5"), row("ECO-02", "1900", "5"), row("ECO-99", "2023", "5")]
    # Unchecked first: the page polls itself and shows a progress bar.
    job = ImportJob.objects.create(
        workspace=world.workspace, created_by=world["editor"], file="imports/x.csv",
        original_name="x.csv", status=ImportStatus.CHECKING, total_rows=4, processed_rows=1,
    )  # fmt: skip
    url = reverse("indicators:import_detail", kwargs={"slug": "national", "pk": job.pk})
    page = client.get(url).content.decode()
    assert '<progress id="import-progress" class="import-progress" max="100" value="25">' in page
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"') and "<html" not in fragment

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("indicators:import_create", kwargs={"slug": "national"}),
            {"file": upload(csv_bytes(rows))},
        )
    job = ImportJob.objects.latest("pk")
    page = client.get(
        reverse("indicators:import_detail", kwargs={"slug": "national", "pk": job.pk})
    ).content.decode()
    assert "The file has 2 errors; nothing was saved." in page
    assert "The period must fall between 1950 and 2100." in page
    assert "ECO-99 is not the code of an indicator of this workspace." in page
    assert 'hx-trigger="every 1s"' not in page
    assert not Observation.objects.exists()


def test_import_upload_page_refuses_a_pdf(client, world):
    client.force_login(world["editor"])
    response = client.post(
        reverse("indicators:import_create", kwargs={"slug": "national"}),
        {"file": upload(b"%PDF-1.7\n\x00\x00binary", "values.csv")},
    )
    assert response.status_code == 200
    assert "not CSV or Excel" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_import_api_upload_detail_commit(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/workspaces/national/imports/",
            {"file": upload(csv_bytes([row("ECO-02", "2023", "5"), row("ECO-02", "2023", "6")]))},
        )
    assert response.status_code == 201
    job_id = response.json()["id"]
    detail = client.get(f"/api/workspaces/national/imports/{job_id}/").json()
    assert detail["status"] == "invalid" and detail["error_count"] == 1
    assert detail["errors"] == [
        {
            "row": 3,
            "column": "period",
            "message": "Row 2 already has a value for this indicator, period and breakdown.",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/workspaces/national/imports/",
            {"file": upload(csv_bytes([row("ECO-02", "2023", "5")]))},
        )
    job_id = response.json()["id"]
    assert client.get(f"/api/workspaces/national/imports/{job_id}/").json()["status"] == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/workspaces/national/imports/{job_id}/commit/")
    assert response.status_code == 202
    detail = client.get(f"/api/workspaces/national/imports/{job_id}/").json()
    assert (detail["status"], detail["created_count"], detail["percent_done"]) == ("done", 1, 100)
    assert Observation.objects.count() == 1


def test_bulk_upsert_api(client, world):
    client.force_login(world["editor"])
    url = "/api/workspaces/national/observations/bulk/"
    bad = [row("ECO-02", "2023", 5), row("ECO-02", "2024", 500)]
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "value", "message": "500 is above 100, the highest value for percent."}
    ]
    assert not Observation.objects.exists()
    good = [row("ECO-02", "2023", 5), row("ECO-02", "2024", 50)]
    response = client.post(url, good, content_type="application/json")
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}
    response = client.post(url, [row("ECO-02", "2023", 6)], content_type="application/json")
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    response = client.post(url, [good[0]] * 5001, content_type="application/json")
    assert response.status_code == 400


# Query counts ----------------------------------------------------------------------------------


@pytest.fixture
def qc(client):
    workspace = WorkspaceFactory(slug="qc", name="Query-count workspace")
    me = MembershipFactory(workspace=workspace, role=Role.EDITOR).user
    client.force_login(me)

    def add(n: int) -> None:
        for i in range(n):
            ImportJob.objects.create(
                workspace=workspace, created_by=me, file=f"imports/{i}.csv",
                original_name=f"{i}.csv", status=ImportStatus.DONE,
            )  # fmt: skip

    return workspace, add


def test_import_list_page_queries(client, qc):
    workspace, add = qc
    url = reverse("indicators:import_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=add, expected=6)


def test_import_list_endpoint_queries(client, qc):
    workspace, add = qc
    assert_pinned_queries(
        client, f"/api/workspaces/{workspace.slug}/imports/", rows=add, expected=6
    )
