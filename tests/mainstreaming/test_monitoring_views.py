"""Pages of monitoring: dashboard, organisation view, KPI and progress-update pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from mainstreaming.models import KPI, ProgressUpdate
from stakeholders.review import review_edit

from ..factories import OrganisationFactory
from ..querycount import assert_pinned_queries
from .monitoring_factories import approve, make_kpi, plan, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    data = plan(world["editor"], world.workspace)
    editor, reviewer = world["editor"], world["reviewer"]
    approve(editor, reviewer, data["objective"], data["action"])
    kpi = make_kpi(editor, data["cycle"], objective=data["objective"], name="Approved KPI name")
    approve(editor, reviewer, kpi)
    update = report(editor, kpi, "2025", "19.5", note="Survey of **returnees**.")
    approve(editor, reviewer, update)
    # Drafts since: a new draft name and a draft update that would make it off track.
    review_edit(
        actor=editor, item=kpi, expected_lock_version=kpi.lock_version, name="Draft KPI name"
    )
    draft_update = report(editor, kpi, "2026", "5", note="Draft note")
    secret = make_kpi(editor, data["cycle"], action=data["action"], name="Never approved KPI")
    data.update(kpi=kpi, update=update, draft_update=draft_update, secret=secret)
    return data


def _url(name, world, **kwargs):
    return reverse(f"mainstreaming:{name}", kwargs={"slug": world.workspace.slug, **kwargs})


def test_dashboard_for_editor_counts_drafts(client, world, setup):
    client.force_login(world["editor"])
    response = client.get(_url("monitoring_dashboard", world, pk=setup["cycle"].pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1>") == 1
    assert "Draft KPI name" in body
    assert "Never approved KPI" in body
    assert "How status is computed" in body
    assert "Off track" in body
    assert "Returnees find work within a year" in body  # its objective


def test_dashboard_for_observer_shows_approved_values_only(client, world, setup):
    client.force_login(world["observer"])
    body = client.get(_url("monitoring_dashboard", world, pk=setup["cycle"].pk)).content.decode()
    # Positive controls: the approved name, the approved update's value and its status.
    assert "Approved KPI name" in body
    assert "19.5" in body
    assert 'kpi-status--on_track">On track' in body
    # Absences: the draft name, the never-approved KPI and the draft update.
    assert "Draft KPI name" not in body
    assert "Never approved KPI" not in body
    assert "2026" not in body.split("Every KPI")[1].split("By responsible organisation")[0]


def test_dashboard_filters_by_status_and_organisation(client, world, setup):
    client.force_login(world["editor"])
    url = _url("monitoring_dashboard", world, pk=setup["cycle"].pk)
    body = client.get(url, {"status": "no_data"}).content.decode()
    assert "Never approved KPI" in body
    assert "Draft KPI name" not in body
    body = client.get(url, {"status": "off_track"}).content.decode()
    assert "Draft KPI name" in body
    assert "Never approved KPI" not in body
    other = OrganisationFactory(workspace=world.workspace, name="Ministry of Labour")
    body = client.get(url, {"organisation": other.pk}).content.decode()
    assert "No KPI matches these filters." in body
    assert "Draft KPI name" not in body


def test_organisation_page(client, world, setup):
    client.force_login(world["observer"])
    organisation = setup["kpi"].responsible_organisation
    url = _url("monitoring_organisation", world, pk=setup["cycle"].pk, org_pk=organisation.pk)
    body = client.get(url).content.decode()
    assert f"KPIs of {organisation}" in body
    assert "Approved KPI name" in body
    assert "Never approved KPI" not in body
    foreign = OrganisationFactory(workspace=world.other)
    bad = _url("monitoring_organisation", world, pk=setup["cycle"].pk, org_pk=foreign.pk)
    assert client.get(bad).status_code == 404


def test_kpi_detail_for_editor_and_observer(client, world, setup):
    url = _url("kpi_detail", world, pk=setup["kpi"].pk)
    client.force_login(world["editor"])
    body = client.get(url).content.decode()
    assert "Draft KPI name" in body
    assert "Draft note" in body
    assert "<svg" in body and "The chart's values as a table" in body
    assert "Report a value" in body
    assert 'id="review-panel-heading"' in body

    client.force_login(world["observer"])
    body = client.get(url).content.decode()
    assert "Approved KPI name" in body
    assert "Survey of <strong>returnees</strong>" in body
    assert "Draft KPI name" not in body
    assert "Draft note" not in body
    assert "Report a value" not in body
    assert client.get(_url("kpi_detail", world, pk=setup["secret"].pk)).status_code == 404


def test_kpi_create_with_targets_per_year(client, world, setup):
    client.force_login(world["editor"])
    url = _url("kpi_create", world, pk=setup["cycle"].pk) + f"?action={setup['action'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Target for 2025" in page.content.decode() and "Target for 2029" in page.content.decode()
    organisation = world.workspace.organisations.first()
    data = {
        "name": "Desks opened",
        "unit": "desks",
        "direction": "higher",
        "baseline_value": "0",
        "baseline_year": "2024",
        "responsible_organisation": organisation.pk,
        "target_2026": "5",
        "target_2029": "12.50",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    kpi = KPI.objects.get(name="Desks opened")
    assert kpi.action == setup["action"]
    assert kpi.targets == {"2026": "5", "2029": "12.5"}
    assert response["Location"] == kpi.get_absolute_url()
    # Errors come back in the summary, and nothing is saved.
    bad = client.post(url, {**data, "name": "Bad", "baseline_year": "2026"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()
    assert not KPI.objects.filter(name="Bad").exists()


def test_kpi_create_parent_must_be_in_this_workspace(client, world, setup):
    other = plan(world["outsider"], world.other)
    client.force_login(world["editor"])
    base = _url("kpi_create", world, pk=setup["cycle"].pk)
    assert client.get(base + f"?objective={other['objective'].pk}").status_code == 404
    assert client.get(base).status_code == 404
    assert client.get(base + f"?objective={setup['objective'].pk}").status_code == 200


def test_kpi_update_keeps_lock_and_maps_targets(client, world, setup):
    kpi = setup["secret"]
    client.force_login(world["editor"])
    url = _url("kpi_update", world, pk=kpi.pk)
    page = client.get(url).content.decode()
    assert 'name="lock_version"' in page
    organisation = world.workspace.organisations.first()
    data = {
        "name": "Renamed",
        "unit": "percent",
        "direction": "lower",
        "baseline_value": "10",
        "baseline_year": "2024",
        "responsible_organisation": organisation.pk,
        "target_2027": "5",
        "lock_version": kpi.lock_version,
    }
    assert client.post(url, data).status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.direction, kpi.targets) == ("Renamed", "lower", {"2027": "5"})
    # A stale save: the conflict page keeps the user's text.
    stale = client.post(url, {**data, "name": "My stale text"})
    assert stale.status_code == 409
    assert "My stale text" in stale.content.decode()
    kpi.refresh_from_db()
    assert kpi.name == "Renamed"


def test_kpi_delete_confirmation_and_rules(client, world, setup):
    client.force_login(world["editor"])
    secret_url = _url("kpi_delete", world, pk=setup["secret"].pk)
    page = client.get(secret_url).content.decode()
    assert "Delete the KPI" in page and "progress updates will be deleted" in page
    assert client.post(secret_url).status_code == 302
    assert not KPI.objects.filter(pk=setup["secret"].pk).exists()
    # An approved KPI: only a coordinator.
    approved_url = _url("kpi_delete", world, pk=setup["kpi"].pk)
    assert client.get(approved_url).status_code == 403
    client.force_login(world["coordinator"])
    assert client.post(approved_url).status_code == 302
    assert not ProgressUpdate.objects.exists()


def test_progress_update_pages(client, world, setup):
    kpi = setup["kpi"]
    client.force_login(world["editor"])
    create = _url("progress_update_create", world, pk=kpi.pk)
    assert client.get(create).status_code == 200
    response = client.post(create, {"period": "2027", "actual_value": "30", "note": ""})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(kpi=kpi, period="2027")
    duplicate = client.post(create, {"period": "2027", "actual_value": "31"})
    assert "already has an update for this period" in duplicate.content.decode()

    detail = client.get(_url("progress_update_detail", world, pk=update.pk)).content.decode()
    assert "Value for 2027" in detail and 'id="review-panel-heading"' in detail
    edit = _url("progress_update_update", world, pk=update.pk)
    data = {"period": "2027", "actual_value": "32", "lock_version": update.lock_version}
    assert client.post(edit, data).status_code == 302
    update.refresh_from_db()
    assert update.actual_value == Decimal(32)
    delete = _url("progress_update_delete", world, pk=update.pk)
    assert "Delete the value for 2027" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()

    # Observers: the approved update is readable, the draft one is not.
    client.force_login(world["observer"])
    approved = client.get(_url("progress_update_detail", world, pk=setup["update"].pk))
    assert approved.status_code == 200
    draft = client.get(_url("progress_update_detail", world, pk=setup["draft_update"].pk))
    assert draft.status_code == 404


# Query counts ----------------------------------------------------------------------------------


@pytest.fixture
def qc(client, world):
    data = plan(world["coordinator"], world.workspace)
    client.force_login(world["coordinator"])
    return data


def _kpis(world, data):
    def add(n):
        for i in range(n):
            kpi = make_kpi(
                world["coordinator"],
                data["cycle"],
                objective=data["objective"] if i % 2 else None,
                action=None if i % 2 else data["action"],
                name=f"KPI {KPI.objects.count()}",
            )
            report(world["coordinator"], kpi, "2025", 12)
            report(world["coordinator"], kpi, "2026-Q1", 14)

    return add


def test_dashboard_page_queries(client, world, qc):
    url = _url("monitoring_dashboard", world, pk=qc["cycle"].pk)
    assert_pinned_queries(client, url, rows=_kpis(world, qc), expected=8)


def test_organisation_page_queries(client, world, qc):
    organisation = world.workspace.organisations.first()
    url = _url("monitoring_organisation", world, pk=qc["cycle"].pk, org_pk=organisation.pk)
    assert_pinned_queries(client, url, rows=_kpis(world, qc), expected=9)


def test_kpi_detail_updates_queries(client, world, qc):
    kpi = make_kpi(world["coordinator"], qc["cycle"], objective=qc["objective"])
    periods = iter(f"{year}-{month:02d}" for year in range(2025, 2030) for month in range(1, 13))

    def add(n):
        for _ in range(n):
            report(world["coordinator"], kpi, next(periods), 15)

    assert_pinned_queries(client, _url("kpi_detail", world, pk=kpi.pk), rows=add, expected=8)
