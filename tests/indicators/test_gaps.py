"""Data gaps: services (rules, history), pages (list, filters, create, edit, close, delete) and
the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import DataGap, Indicator
from indicators.services.gaps import (
    data_gap_close,
    data_gap_create,
    data_gap_delete,
    data_gap_update,
)
from tests.factories import OrganisationFactory
from tests.querycount import assert_pinned_queries

from .coverage_factories import catalogue, gap

pytestmark = pytest.mark.django_db


def _url(world, name, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"slug": world.workspace.slug, **kwargs})


def test_data_gap_create_records_owner_and_history(world):
    owner = world.workspace.organisations.first()
    created = data_gap_create(
        actor=world["editor"],
        workspace=world.workspace,
        indicator=catalogue("EDU-01"),
        year=2022,
        reason="not_disaggregated",
        owner=owner,
        planned_action="Tabulate by sex",
    )
    assert (created.owner, created.status, created.created_by) == (owner, "open", world["editor"])
    entry = created.history.get()
    assert entry.history_type == "+" and entry.history_user == world["editor"]
    data_gap_close(actor=world["coordinator"], gap=created)
    created.refresh_from_db()
    assert created.status == "closed"
    assert created.history.count() == 2
    assert created.history.latest().history_user == world["coordinator"]


@pytest.mark.parametrize("role", ["reviewer", "contributor", "observer", "citycoordinator"])
def test_data_gap_writes_need_edit(world, role):
    with pytest.raises(PermissionDenied):
        data_gap_create(
            actor=world[role],
            workspace=world.workspace,
            indicator=catalogue("EDU-01"),
            reason="other",
        )
    existing = gap(world, catalogue("EDU-01"))
    with pytest.raises(PermissionDenied):
        data_gap_update(actor=world[role], gap=existing, note="no")
    with pytest.raises(PermissionDenied):
        data_gap_delete(actor=world[role], gap=existing)
    assert DataGap.objects.filter(pk=existing.pk).exists()  # positive control: still there
    assert DataGap.objects.count() == 1


def test_data_gap_owner_must_be_an_organisation_of_the_workspace(world):
    foreign = world.other.organisations.first()
    with pytest.raises(ValidationError) as raised:
        gap(world, catalogue("EDU-01"), owner=foreign)
    assert "owner" in raised.value.message_dict
    existing = gap(world, catalogue("EDU-01"))
    with pytest.raises(ValidationError):
        data_gap_update(actor=world["editor"], gap=existing, owner=foreign)
    own = world.workspace.organisations.first()
    assert data_gap_update(actor=world["editor"], gap=existing, owner=own).owner == own


def test_data_gap_of_another_workspaces_own_indicator_is_refused(world):
    foreign = Indicator.objects.create(
        workspace=world.other, code="OWN-1", name="Theirs", unit=catalogue("EDU-01").unit
    )
    with pytest.raises(ValidationError):
        gap(world, foreign)
    mine = Indicator.objects.create(
        workspace=world.workspace, code="OWN-1", name="Ours", unit=catalogue("EDU-01").unit
    )
    assert gap(world, mine).indicator == mine


def test_data_gap_year_out_of_range(world):
    with pytest.raises(ValidationError):
        gap(world, catalogue("EDU-01"), year=1900)


# Pages -----------------------------------------------------------------------------------------


def test_gap_list_filters(client, world):
    owner = world.workspace.organisations.first()
    gap(world, catalogue("EDU-01"), reason="not_collected", owner=owner)
    gap(world, catalogue("HEA-01"), reason="access_restricted", status="in_progress")
    closed = gap(world, catalogue("ECO-02"), reason="other")
    data_gap_close(actor=world["editor"], gap=closed)
    client.force_login(world["observer"])
    url = _url(world, "data_gap_list")
    page = client.get(url).content.decode()
    assert all(code in page for code in ("EDU-01", "HEA-01", "ECO-02"))
    assert "Record a data gap" not in page  # read-only for observers
    page = client.get(url, {"status": "in_progress"}).content.decode()
    assert "HEA-01" in page and "EDU-01" not in page
    page = client.get(url, {"reason": "not_collected"}).content.decode()
    assert "EDU-01" in page and "HEA-01" not in page
    page = client.get(url, {"owner": owner.pk}).content.decode()
    assert "EDU-01" in page and "HEA-01" not in page
    dimension = catalogue("HEA-01").dimension_id
    page = client.get(url, {"dimension": dimension}).content.decode()
    assert "HEA-01" in page and "EDU-01" not in page
    page = client.get(url, {"status": "bogus"}).content.decode()
    assert "EDU-01" in page  # an invalid filter is ignored


def test_gap_create_edit_close_delete_pages(client, world):
    client.force_login(world["editor"])
    eco = catalogue("ECO-03")
    form = client.get(_url(world, "data_gap_create") + f"?indicator={eco.pk}&year=2023")
    assert form.status_code == 200
    assert f'<option value="{eco.pk}" selected>' in form.content.decode()
    owner = world.workspace.organisations.first()
    response = client.post(
        _url(world, "data_gap_create"),
        {
            "indicator": eco.pk,
            "year": "2023",
            "reason": "not_collected",
            "owner": owner.pk,
            "planned_action": "Survey module",
            "planned_date": "2027-06-30",
            "status": "open",
            "note": "",
        },
    )
    assert response.status_code == 302
    created = DataGap.objects.get()
    assert (created.year, created.owner, str(created.planned_date)) == (2023, owner, "2027-06-30")
    # An owner of another workspace is not a choice.
    foreign = OrganisationFactory(workspace=world.other)
    response = client.post(
        _url(world, "data_gap_update", pk=created.pk),
        {"indicator": eco.pk, "reason": "other", "owner": foreign.pk, "status": "open"},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(
        _url(world, "data_gap_update", pk=created.pk),
        {"indicator": eco.pk, "reason": "other", "owner": owner.pk, "status": "in_progress"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.reason, created.status, created.year) == ("other", "in_progress", None)
    history = client.get(_url(world, "data_gap_update", pk=created.pk)).content.decode()
    assert history.count("<li>") >= 2  # created, changed
    client.post(_url(world, "data_gap_close", pk=created.pk))
    created.refresh_from_db()
    assert created.status == "closed"
    confirm = client.get(_url(world, "data_gap_delete", pk=created.pk))
    assert "Delete the data gap for ECO-03?" in confirm.content.decode()
    assert DataGap.objects.exists()  # the GET only asks
    client.post(_url(world, "data_gap_delete", pk=created.pk))
    assert not DataGap.objects.exists()


def test_gap_of_another_workspace_is_not_found(client, world):
    theirs = data_gap_create(
        actor=world["outsider"],
        workspace=world.other,
        indicator=catalogue("EDU-01"),
        reason="other",
    )
    client.force_login(world["coordinator"])
    assert client.get(_url(world, "data_gap_update", pk=theirs.pk)).status_code == 404
    assert client.post(_url(world, "data_gap_close", pk=theirs.pk)).status_code == 404


def test_gap_list_page_query_count_is_pinned(client, world):
    client.force_login(world["observer"])
    codes = iter(f"{prefix}-0{n}" for prefix in ("ECO", "EDU", "HEA", "GEN") for n in range(1, 7))
    owner = world.workspace.organisations.first()

    def rows(count):
        for _ in range(count):
            gap(world, catalogue(next(codes)), owner=owner)

    assert_pinned_queries(client, _url(world, "data_gap_list"), rows=rows, expected=8)


# API -------------------------------------------------------------------------------------------


def _api(world, name="data-gap-list", **kwargs):
    return reverse(name, kwargs={"workspace_slug": world.workspace.slug, **kwargs})


def test_gap_api_crud(client, world):
    client.force_login(world["editor"])
    eco = catalogue("ECO-03")
    owner = world.workspace.organisations.first()
    response = client.post(
        _api(world),
        {"indicator": eco.pk, "year": 2022, "reason": "not_collected", "owner": owner.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["indicator_code"], body["status"], body["owner"]) == ("ECO-03", "open", owner.pk)
    detail = _api(world, "data-gap-detail", pk=body["id"])
    response = client.patch(detail, {"status": "closed"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    foreign = world.other.organisations.first()
    response = client.patch(detail, {"owner": foreign.pk}, content_type="application/json")
    assert response.status_code == 400
    client.force_login(world["observer"])
    assert client.get(_api(world)).json()["count"] == 1
    assert client.get(_api(world), {"status": "open"}).json()["count"] == 0
    assert client.get(_api(world), {"status": "bogus"}).status_code == 400
    assert client.patch(detail, {"note": "x"}, content_type="application/json").status_code == 403
    assert client.delete(detail).status_code == 403
    client.force_login(world["coordinator"])
    assert client.delete(detail).status_code == 204
    assert not DataGap.objects.exists()


def test_gap_api_rejects_another_workspaces_indicator(client, world):
    foreign = Indicator.objects.create(
        workspace=world.other, code="OWN-1", name="Theirs", unit=catalogue("EDU-01").unit
    )
    client.force_login(world["editor"])
    response = client.post(
        _api(world), {"indicator": foreign.pk, "reason": "other"}, content_type="application/json"
    )
    assert response.status_code == 400 and "indicator" in response.json()
    assert not DataGap.objects.exists()


def test_gap_api_list_query_count_is_pinned(client, world):
    client.force_login(world["observer"])
    codes = iter(f"{prefix}-0{n}" for prefix in ("ECO", "EDU", "HEA", "GEN") for n in range(1, 7))
    owner = world.workspace.organisations.first()

    def rows(count):
        for _ in range(count):
            gap(world, catalogue(next(codes)), owner=owner)

    assert_pinned_queries(client, _api(world), rows=rows, expected=6)
