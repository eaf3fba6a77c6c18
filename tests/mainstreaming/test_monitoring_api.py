"""API of monitoring: KPIs with status, progress updates, the dashboard summary."""

from __future__ import annotations

import pytest

from mainstreaming.models import KPI, ProgressUpdate
from stakeholders.review import review_edit

from ..querycount import assert_pinned_queries
from .monitoring_factories import approve, make_kpi, plan, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    data = plan(world["editor"], world.workspace)
    editor, reviewer = world["editor"], world["reviewer"]
    kpi = make_kpi(editor, data["cycle"], objective=data["objective"], name="Approved name")
    approve(editor, reviewer, kpi)
    update = report(editor, kpi, "2025", "19.5")
    approve(editor, reviewer, update)
    review_edit(actor=editor, item=kpi, expected_lock_version=kpi.lock_version, name="Draft name")
    draft_update = report(editor, kpi, "2026", "5")
    secret = make_kpi(editor, data["cycle"], action=data["action"], name="Never approved")
    data.update(kpi=kpi, update=update, draft_update=draft_update, secret=secret)
    return data


def _api(client, method, url, data=None, **headers):
    return client.generic(
        method,
        url,
        "" if data is None else __import__("json").dumps(data),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **headers,
    )


def test_kpi_list_with_status_for_editor_and_observer(client, world, setup):
    url = f"/api/workspaces/national/cycles/{setup['cycle'].pk}/kpis/"
    client.force_login(world["editor"])
    data = client.get(url).json()
    by_name = {kpi["name"]: kpi for kpi in data["results"]}
    assert set(by_name) == {"Draft name", "Never approved"}
    assert by_name["Draft name"]["progress"]["status"] == "off_track"
    assert by_name["Draft name"]["progress"]["latest_period"] == "2026"

    client.force_login(world["observer"])
    data = client.get(url).json()
    # Positive control: the approved KPI with its approved name and approved update only.
    assert [kpi["name"] for kpi in data["results"]] == ["Approved name"]
    assert data["results"][0]["progress"]["status"] == "on_track"
    assert data["results"][0]["progress"]["latest_period"] == "2025"
    assert "Draft name" not in str(data)

    client.force_login(world["editor"])
    filtered = client.get(url, {"status": "no_data"}).json()
    assert [kpi["name"] for kpi in filtered["results"]] == ["Never approved"]
    assert client.get(url, {"status": "nonsense"}).status_code == 400
    organisation = setup["kpi"].responsible_organisation_id
    assert client.get(url, {"organisation": organisation}).json()["count"] == 2
    assert client.get(url, {"organisation": 999999}).json()["count"] == 0


def test_kpi_create_patch_and_delete(client, world, setup):
    client.force_login(world["editor"])
    url = f"/api/workspaces/national/cycles/{setup['cycle'].pk}/kpis/"
    organisation = world.workspace.organisations.first().pk
    payload = {
        "action": setup["action"].pk,
        "name": "Desks opened",
        "unit": "desks",
        "direction": "higher",
        "baseline_value": "0",
        "baseline_year": 2024,
        "targets": {"2026": "5", "2029": "12.50"},
        "responsible_organisation": organisation,
    }
    response = _api(client, "POST", url, payload)
    assert response.status_code == 201, response.json()
    kpi = KPI.objects.get(name="Desks opened")
    assert kpi.targets == {"2026": "5", "2029": "12.5"}
    assert response.json()["progress"]["status"] == "no_data"
    # A parent from another cycle or workspace is refused.
    other = plan(world["outsider"], world.other)
    refused = _api(client, "POST", url, {**payload, "action": other["action"].pk, "name": "X"})
    assert refused.status_code == 400
    assert not KPI.objects.filter(name="X").exists()

    detail = f"/api/workspaces/national/kpis/{kpi.pk}/"
    etag = client.get(detail)["ETag"]
    assert _api(client, "PATCH", detail, {"name": "No etag"}).status_code == 428
    patched = _api(client, "PATCH", detail, {"targets": {"2027": "7"}}, HTTP_IF_MATCH=etag)
    assert patched.status_code == 200, patched.json()
    kpi.refresh_from_db()
    assert kpi.targets == {"2027": "7"}
    stale = _api(client, "PATCH", detail, {"name": "Stale"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    moved = _api(
        client, "PATCH", detail, {"objective": setup["objective"].pk}, HTTP_IF_MATCH=patched["ETag"]
    )
    assert moved.status_code == 400
    assert _api(client, "DELETE", detail).status_code == 204
    assert not KPI.objects.filter(pk=kpi.pk).exists()
    # An approved KPI: only a coordinator deletes it.
    approved = f"/api/workspaces/national/kpis/{setup['kpi'].pk}/"
    assert _api(client, "DELETE", approved).status_code == 403


def test_progress_updates_api(client, world, setup):
    kpi = setup["kpi"]
    url = f"/api/workspaces/national/kpis/{kpi.pk}/updates/"
    client.force_login(world["observer"])
    data = client.get(url).json()
    assert [u["period"] for u in data["results"]] == ["2025"]
    assert _api(client, "POST", url, {"period": "2027", "actual_value": "1"}).status_code == 403

    client.force_login(world["editor"])
    assert [u["period"] for u in client.get(url).json()["results"]] == ["2025", "2026"]
    created = _api(client, "POST", url, {"period": "2027-q1", "actual_value": "30"})
    assert created.status_code == 201, created.json()
    assert created.json()["period"] == "2027-Q1"
    duplicate = _api(client, "POST", url, {"period": "2027-Q1", "actual_value": "31"})
    assert duplicate.status_code == 400
    assert "already has an update for this period" in str(duplicate.json())
    update = ProgressUpdate.objects.get(period="2027-Q1")
    detail = f"/api/workspaces/national/updates/{update.pk}/"
    etag = client.get(detail)["ETag"]
    assert (
        _api(client, "PATCH", detail, {"actual_value": "33"}, HTTP_IF_MATCH=etag).status_code == 200
    )
    update.refresh_from_db()
    assert str(update.actual_value) == "33.0000"
    assert _api(client, "DELETE", detail).status_code == 204


def test_monitoring_dashboard_endpoint(client, world, setup):
    url = f"/api/workspaces/national/cycles/{setup['cycle'].pk}/monitoring/"
    client.force_login(world["editor"])
    data = client.get(url).json()
    assert data["total"] == 2
    assert data["counts"] == {"off_track": 1, "at_risk": 0, "on_track": 0, "no_data": 1}
    assert data["organisations"][0]["total"] == 2
    client.force_login(world["observer"])
    data = client.get(url).json()
    assert data["total"] == 1
    assert data["counts"]["on_track"] == 1


def test_kpi_list_endpoint_queries(client, world):
    data = plan(world["coordinator"], world.workspace)
    client.force_login(world["coordinator"])

    def add(n):
        for i in range(n):
            kpi = make_kpi(
                world["coordinator"],
                data["cycle"],
                objective=data["objective"],
                name=f"KPI {KPI.objects.count()}-{i}",
            )
            report(world["coordinator"], kpi, "2025", 12)

    url = f"/api/workspaces/national/cycles/{data['cycle'].pk}/kpis/"
    assert_pinned_queries(client, url, rows=add, expected=9)


def test_progress_update_list_endpoint_queries(client, world):
    data = plan(world["coordinator"], world.workspace)
    kpi = make_kpi(world["coordinator"], data["cycle"], objective=data["objective"])
    client.force_login(world["coordinator"])
    periods = iter(f"{year}-{month:02d}" for year in range(2025, 2030) for month in range(1, 13))

    def add(n):
        for _ in range(n):
            report(world["coordinator"], kpi, next(periods), 15)

    url = f"/api/workspaces/national/kpis/{kpi.pk}/updates/"
    assert_pinned_queries(client, url, rows=add, expected=9)
