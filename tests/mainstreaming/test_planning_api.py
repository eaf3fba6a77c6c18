"""API of the plan: concerns, priorities (with move), objectives, actions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from mainstreaming.models import Action, Priority
from stakeholders.review import review_edit, review_submit
from tests.factories import OrganisationFactory
from tests.querycount import assert_pinned_queries

from .planning_factories import (
    approve,
    default_concern,
    make_action,
    make_cycle,
    make_objective,
    make_priority,
)

pytestmark = pytest.mark.django_db
N = "national"


def api(name, **kwargs):
    return reverse(name, kwargs={"workspace_slug": kwargs.pop("slug", N), **kwargs})


def _json(client, method, url, data=None, **headers):
    import json

    return client.generic(
        method,
        url,
        json.dumps(data) if data is not None else "",
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **headers,
    )


@pytest.fixture
def plan(world):
    editor, reviewer = world["editor"], world["reviewer"]
    cycle = make_cycle(world)
    priority = approve(
        make_priority(editor, cycle, title="Approved title"), submitter=editor, approver=reviewer
    )
    review_edit(
        actor=editor,
        item=priority,
        expected_lock_version=priority.lock_version,
        title="Draft title",
    )
    objective = approve(
        make_objective(editor, priority, title="Approved objective"),
        submitter=editor,
        approver=reviewer,
    )
    action = approve(
        make_action(
            editor,
            objective,
            title="Approved action",
            budget_amount=Decimal("10"),
            budget_currency="EUR",
        ),
        submitter=editor,
        approver=reviewer,
    )
    hidden = make_priority(editor, cycle, title="Never approved")
    return {
        "cycle": cycle,
        "priority": priority,
        "objective": objective,
        "action": action,
        "hidden": hidden,
    }


def test_priority_list_editor_drafts_observer_approved_snapshot(client, world, plan):
    url = api("priority-list", cycle_pk=plan["cycle"].pk)
    client.force_login(world["editor"])
    titles = [p["title"] for p in client.get(url).json()["results"]]
    assert titles == ["Draft title", "Never approved"]
    client.force_login(world["observer"])
    data = client.get(url).json()["results"]
    assert [p["title"] for p in data] == ["Approved title"]
    assert data[0]["review_state"] == "approved"


def test_priority_create_requires_gender_and_rights(client, world, plan):
    client.force_login(world["editor"])
    url = api("priority-list", cycle_pk=plan["cycle"].pk)
    response = _json(
        client,
        "POST",
        url,
        {
            "title": "New",
            "concern": default_concern().pk,
            "gender_considerations": " ",
            "rights_considerations": "",
        },
    )
    assert response.status_code == 400
    assert "rights_considerations" in response.json()
    response = _json(
        client,
        "POST",
        url,
        {
            "title": "New",
            "concern": default_concern().pk,
            "gender_considerations": "G",
            "rights_considerations": "R",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rank"] == 3
    assert response.json()["review_state"] == "draft"


def test_priority_national_link_validated(client, world, plan):
    city_cycle = make_cycle(world, workspace=world.city)
    client.force_login(world["citycoordinator"])
    url = api("priority-list", slug="city", cycle_pk=city_cycle.pk)
    body = {
        "title": "Local",
        "concern": default_concern().pk,
        "gender_considerations": "G",
        "rights_considerations": "R",
    }
    response = _json(client, "POST", url, {**body, "national_priority": plan["hidden"].pk})
    assert response.status_code == 400
    assert "national_priority" in response.json()
    response = _json(client, "POST", url, {**body, "national_priority": plan["priority"].pk})
    assert response.status_code == 201
    assert Priority.objects.get(workspace=world.city).national_priority == plan["priority"]
    assert response.json()["level"] == "local"


def test_priority_patch_needs_if_match_and_goes_through_review(client, world, plan):
    client.force_login(world["editor"])
    url = api("priority-detail", pk=plan["hidden"].pk)
    response = client.get(url)
    etag = response["ETag"]
    assert _json(client, "PATCH", url, {"title": "No etag"}).status_code == 428
    response = _json(client, "PATCH", url, {"title": "Renamed"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Renamed"
    assert _json(client, "PATCH", url, {"title": "Stale"}, HTTP_IF_MATCH=etag).status_code == 412
    plan["hidden"].refresh_from_db()
    assert plan["hidden"].title == "Renamed"


def test_priority_move_and_delete(client, world, plan):
    client.force_login(world["editor"])
    response = _json(client, "POST", api("priority-move", pk=plan["hidden"].pk), {"rank": 1})
    assert response.status_code == 200
    assert response.json()["rank"] == 1
    plan["priority"].refresh_from_db()
    assert plan["priority"].rank == 2
    assert (
        _json(client, "DELETE", api("priority-detail", pk=plan["priority"].pk)).status_code == 403
    )
    assert _json(client, "DELETE", api("priority-detail", pk=plan["hidden"].pk)).status_code == 204
    client.force_login(world["coordinator"])
    assert (
        _json(client, "DELETE", api("priority-detail", pk=plan["priority"].pk)).status_code == 204
    )


def test_objectives_per_priority(client, world, plan):
    make_objective(world["editor"], plan["priority"], title="Draft objective")
    url = api("objective-list", priority_pk=plan["priority"].pk)
    client.force_login(world["observer"])
    assert [o["title"] for o in client.get(url).json()["results"]] == ["Approved objective"]
    client.force_login(world["editor"])
    assert len(client.get(url).json()["results"]) == 2
    response = _json(client, "POST", url, {"title": "Via API"})
    assert response.status_code == 201
    assert response.json()["priority"] == plan["priority"].pk


def test_actions_list_filters_and_create(client, world, plan):
    url = api("action-list", cycle_pk=plan["cycle"].pk)
    client.force_login(world["editor"])
    lead = world.workspace.organisations.first()
    foreign = world.other.organisations.first()
    body = {
        "objective": plan["objective"].pk,
        "title": "API action",
        "lead_organisation": foreign.pk,
        "start_date": "2026-01-01",
        "end_date": "2026-03-31",
        "funding_status": "funded",
    }
    response = _json(client, "POST", url, body)
    assert response.status_code == 400
    assert "lead_organisation" in response.json()
    response = _json(
        client, "POST", url, {**body, "lead_organisation": lead.pk, "partners": [foreign.pk]}
    )
    assert response.status_code == 400
    assert "partners" in response.json()
    response = _json(client, "POST", url, {**body, "lead_organisation": lead.pk})
    assert response.status_code == 201, response.json()
    funded = client.get(url, {"funding_status": "funded"}).json()["results"]
    assert [a["title"] for a in funded] == ["API action"]
    everything = client.get(url).json()["results"]
    assert {a["title"] for a in everything} == {"Approved action", "API action"}


def test_action_status_and_partners_patch_outside_review(client, world, plan):
    action = plan["action"]
    review_edit(
        actor=world["editor"],
        item=action,
        expected_lock_version=action.lock_version,
        title="Draft action",
    )
    review_submit(actor=world["editor"], items=action)
    partner = OrganisationFactory(workspace=world.workspace)
    client.force_login(world["editor"])
    url = api("action-detail", pk=action.pk)
    etag = client.get(url)["ETag"]
    response = _json(
        client,
        "PATCH",
        url,
        {"implementation_status": "completed", "partners": [partner.pk]},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    action.refresh_from_db()
    assert action.implementation_status == "completed"
    assert list(action.partners.all()) == [partner]
    assert action.review_state == "submitted"
    # A reviewed field may not change while the action waits for review.
    response = _json(client, "PATCH", url, {"title": "Sneaky"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    client.force_login(world["observer"])
    data = client.get(url).json()
    assert data["title"] == "Approved action" and data["implementation_status"] == "completed"


def test_concerns_list_and_create(client, world):
    url = api("concern-list")
    client.force_login(world["editor"])
    names = [c["name"] for c in client.get(url).json()["results"]]
    assert "Remittances" in names
    assert _json(client, "POST", url, {"name": "Return"}).status_code == 201
    response = _json(client, "POST", url, {"name": "return"})
    assert response.status_code == 400
    client.force_login(world["observer"])
    assert _json(client, "POST", url, {"name": "Other"}).status_code == 403
    assert "Return" in [c["name"] for c in client.get(url).json()["results"]]


# Query counts ----------------------------------------------------------------------------------


@pytest.fixture
def qc(client, world):
    cycle = make_cycle(world)
    priority = make_priority(world["editor"], cycle)
    objective = make_objective(world["editor"], priority)
    client.force_login(world["editor"])
    return cycle, priority, objective


def test_api_lists_query_counts_are_pinned(client, world, qc):
    cycle, priority, objective = qc
    editor = world["editor"]
    partner = world.workspace.organisations.first()
    assert_pinned_queries(
        client,
        api("priority-list", cycle_pk=cycle.pk),
        rows=lambda n: [make_priority(editor, cycle) for _ in range(n)],
        expected=8,
    )
    assert_pinned_queries(
        client,
        api("objective-list", priority_pk=priority.pk),
        rows=lambda n: [make_objective(editor, priority) for _ in range(n)],
        expected=8,
    )
    assert_pinned_queries(
        client,
        api("action-list", cycle_pk=cycle.pk),
        rows=lambda n: [make_action(editor, objective, partners=[partner]) for _ in range(n)],
        expected=9,
    )
    assert Action.objects.count() == 20
