"""Corridors (issue 5): proposal, answer, sharing of marked approved items only, the end of a
corridor, and that nobody else sees anything."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import SharedSeries
from indicators.selectors.corridors import corridor_shared_series
from mainstreaming.models import Priority
from mainstreaming.selectors.corridors import corridor_shared_priorities
from mainstreaming.services.corridors import corridor_shares_set
from stakeholders.choices import CorridorStatus, JointActionStatus
from stakeholders.corridors_selectors import corridor_partner_search
from stakeholders.corridors_services import (
    corridor_accept,
    corridor_decline,
    corridor_end,
    corridor_propose,
    joint_action_agree,
    joint_action_propose,
    joint_action_withdraw,
)
from stakeholders.review import review_edit
from tests.indicators.coverage_factories import correct
from tests.indicators.observation_factories import enter
from tests.mainstreaming.monitoring_factories import plan

from .corridor_factories import (
    active_corridor,
    approved_plan,
    approved_value,
    partner_workspace,
    propose,
)


@pytest.fixture
def partner(world):
    return partner_workspace()


def page(client, user, workspace, corridor):
    client.force_login(user)
    return client.get(
        reverse("mainstreaming:corridor_detail", kwargs={"slug": workspace.slug, "pk": corridor.pk})
    )


# Proposal and answer ---------------------------------------------------------------------------


def test_corridor_propose_shows_on_both_lists_and_partner_accepts(client, world, partner):
    italy, italy_coordinator = partner
    corridor = propose(world, italy)
    assert corridor.status == CorridorStatus.PROPOSED
    assert corridor.proposed_by == world["coordinator"]

    client.force_login(italy_coordinator)
    listing = client.get(reverse("stakeholders:corridor_list", kwargs={"slug": italy.slug}))
    assert listing.status_code == 200
    assert listing.context["groups"].incoming == [corridor]
    assert listing.context["groups"].active == []
    client.force_login(world["coordinator"])
    mine = client.get(reverse("stakeholders:corridor_list", kwargs={"slug": "national"}))
    assert mine.context["groups"].outgoing == [corridor]

    # The proposing side cannot accept its own proposal; the partner's coordinator does.
    with pytest.raises(PermissionDenied):
        corridor_accept(actor=world["coordinator"], corridor=corridor)
    client.force_login(italy_coordinator)
    url = reverse(
        "stakeholders:corridor_transition",
        kwargs={"slug": italy.slug, "pk": corridor.pk, "action": "accept"},
    )
    assert client.get(url).status_code == 200  # confirmation page
    response = client.post(url)
    assert response.status_code == 302
    corridor.refresh_from_db()
    assert corridor.status == CorridorStatus.ACTIVE
    assert corridor.responded_by == italy_coordinator
    assert corridor.history.count() == 2


def test_corridor_propose_refusals(world, partner):
    italy, italy_coordinator = partner
    propose_as = {"proposer_role": "origin", "partner_role": "destination", "description": "x"}
    with pytest.raises(PermissionDenied):
        corridor_propose(
            actor=world["editor"], workspace=world.workspace, partner=italy, **propose_as
        )
    with pytest.raises(ValidationError):
        propose(world, world.city)  # a local workspace is not a corridor partner
    with pytest.raises(ValidationError):
        propose(world, world.workspace)
    propose(world, italy)
    with pytest.raises(ValidationError):
        propose(world, italy)  # one open corridor per pair …
    with pytest.raises(ValidationError):  # … whichever side proposes
        corridor_propose(
            actor=italy_coordinator,
            workspace=italy,
            partner=world.workspace,
            proposer_role="destination",
            partner_role="origin",
            description="The same corridor.",
        )


def test_corridor_decline_and_withdraw(world, partner):
    italy, italy_coordinator = partner
    corridor = corridor_decline(actor=italy_coordinator, corridor=propose(world, italy))
    assert corridor.status == CorridorStatus.DECLINED
    with pytest.raises(ValidationError):
        corridor_accept(actor=italy_coordinator, corridor=corridor)
    again = propose(world, italy)  # a declined proposal does not block a new one
    with pytest.raises(PermissionDenied):  # the partner ends an active corridor, not a proposal
        corridor_end(actor=world["editor"], corridor=again, workspace=world.workspace)
    withdrawn = corridor_end(actor=world["coordinator"], corridor=again, workspace=world.workspace)
    assert withdrawn.status == CorridorStatus.ENDED


def test_partner_search_finds_national_workspaces_by_exact_slug_or_country(world, partner):
    italy, _ = partner
    assert list(corridor_partner_search(query="partnerland", exclude=world.workspace)) == [italy]
    assert list(corridor_partner_search(query="ita", exclude=world.workspace)) == [italy]
    assert list(corridor_partner_search(query="partner", exclude=world.workspace)) == []
    assert list(corridor_partner_search(query="city", exclude=world.workspace)) == []  # local
    assert list(corridor_partner_search(query="SEN", exclude=world.workspace)) == []  # itself
    assert list(corridor_partner_search(query="", exclude=world.workspace)) == []


def test_corridor_create_page_proposes(client, world, partner):
    italy, _ = partner
    client.force_login(world["coordinator"])
    url = reverse("stakeholders:corridor_create", kwargs={"slug": "national"}) + "?q=ITA"
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Workspace partnerland (ITA)" in shown.content.decode()
    response = client.post(
        url,
        {
            "partner": italy.pk,
            "proposer_role": "origin",
            "partner_role": "destination",
            "description": "Seasonal workers.",
        },
    )
    assert response.status_code == 302
    assert italy.corridors_received.get().description == "Seasonal workers."
    # Another workspace than the ones found is refused.
    refused = client.post(
        reverse("stakeholders:corridor_create", kwargs={"slug": "national"}) + "?q=ITA",
        {
            "partner": world.other.pk,
            "proposer_role": "origin",
            "partner_role": "origin",
            "description": "x",
        },
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["partner"]


# Sharing ---------------------------------------------------------------------------------------


def test_sharing_only_marked_and_approved_items_cross(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    shared = approved_plan(world, title="Shared plan")
    unmarked = approved_plan(world, title="Other plan")
    review_edit(
        actor=world["editor"],
        item=unmarked["priority"],
        expected_lock_version=unmarked["priority"].lock_version,
        title="Unmarked priority",
    )
    draft = plan(world["editor"], world.workspace, title="Draft plan")["priority"]

    with pytest.raises(ValidationError):  # a draft cannot be marked
        corridor_shares_set(
            actor=world["coordinator"],
            corridor=corridor,
            workspace=world.workspace,
            priorities=[draft],
            actions=[],
            indicators=[],
        )
    # Even a mark put straight into the database does not make a draft cross.
    draft.shared_with.add(corridor)
    corridor_shares_set(
        actor=world["coordinator"],
        corridor=corridor,
        workspace=world.workspace,
        priorities=[shared["priority"]],
        actions=[shared["action"]],
        indicators=[],
    )
    draft.shared_with.add(corridor)
    # The shared priority gets a new draft version: the partner keeps reading the approved one.
    priority = Priority.objects.get(pk=shared["priority"].pk)
    review_edit(
        actor=world["editor"],
        item=priority,
        expected_lock_version=priority.lock_version,
        title="Draft wording not yet approved",
    )

    body = page(client, italy_coordinator, italy, corridor).content.decode()
    assert "Reintegrate returnees" in body  # approved title of the shared priority
    assert "Open job-matching desks" in body  # approved shared action
    assert "Draft wording not yet approved" not in body
    assert "Unmarked priority" not in body
    titles = [
        i.content["title"]
        for i in corridor_shared_priorities(corridor=corridor, workspace=world.workspace)
    ]
    assert titles == ["Reintegrate returnees"]  # one: not the draft, not the unmarked one


def test_shared_series_shows_approved_values_only(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    observation = approved_value(world, period="2022", value="12.5")
    correct(world, observation, "99.25")  # a draft correction
    enter(world["editor"], world.workspace, code="ECO-02", period="2023", value="77.75")  # draft
    unshared = approved_value(world, code="ECO-01", period="2022", value="44.5")
    corridor_shares_set(
        actor=world["coordinator"],
        corridor=corridor,
        workspace=world.workspace,
        priorities=[],
        actions=[],
        indicators=[observation.indicator],
    )
    (series,) = corridor_shared_series(corridor=corridor, workspace=world.workspace)
    assert [(v.period, str(v.value)) for v in series.values] == [("2022", "12.500000")]
    body = page(client, italy_coordinator, italy, corridor).content.decode()
    assert "12.5" in body
    assert "99.25" not in body and "77.75" not in body
    assert unshared.indicator.code not in body


def test_ending_the_corridor_stops_sharing(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    items = approved_plan(world)
    observation = approved_value(world)
    corridor_shares_set(
        actor=world["coordinator"],
        corridor=corridor,
        workspace=world.workspace,
        priorities=[items["priority"]],
        actions=[],
        indicators=[observation.indicator],
    )
    assert (
        "Reintegrate returnees" in page(client, italy_coordinator, italy, corridor).content.decode()
    )

    ended = corridor_end(actor=italy_coordinator, corridor=corridor, workspace=italy)
    assert ended.status == CorridorStatus.ENDED
    response = page(client, italy_coordinator, italy, ended)
    assert response.status_code == 200
    assert "Reintegrate returnees" not in response.content.decode()
    api = client.get(f"/api/workspaces/{italy.slug}/corridors/{corridor.pk}/shared-items/")
    assert [side["priorities"] for side in api.json()] == [[], []]
    assert [side["series"] for side in api.json()] == [[], []]
    # The marks stay for the record but are ignored, and no more can be added.
    assert items["priority"].shared_with.filter(pk=corridor.pk).exists()
    assert SharedSeries.objects.filter(corridor=corridor).count() == 1
    with pytest.raises(ValidationError):
        corridor_shares_set(
            actor=world["coordinator"],
            corridor=ended,
            workspace=world.workspace,
            priorities=[items["priority"]],
            actions=[],
            indicators=[],
        )
    # A new corridor between the same workspaces starts with nothing shared.
    fresh = active_corridor(world, italy, italy_coordinator)
    assert corridor_shared_priorities(corridor=fresh, workspace=world.workspace) == []


def test_unrelated_workspace_sees_nothing(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    items = approved_plan(world)
    corridor_shares_set(
        actor=world["coordinator"],
        corridor=corridor,
        workspace=world.workspace,
        priorities=[items["priority"]],
        actions=[],
        indicators=[],
    )
    assert page(client, italy_coordinator, italy, corridor).status_code == 200  # control
    for slug in ("elsewhere", "national", italy.slug):
        assert (
            page(client, world["outsider"], type("W", (), {"slug": slug}), corridor).status_code
            == 404
        )
        assert (
            client.get(f"/api/workspaces/{slug}/corridors/{corridor.pk}/shared-items/").status_code
            == 404
        )
        assert client.get(f"/api/workspaces/{slug}/corridors/{corridor.pk}/").status_code == 404
    listing = client.get(reverse("stakeholders:corridor_list", kwargs={"slug": "elsewhere"}))
    assert listing.context["groups"].active == []
    # The city's coordinator (a local workspace under the national one) sees nothing either.
    assert page(client, world["citycoordinator"], world.workspace, corridor).status_code == 404


def test_partner_cannot_write_on_the_other_side(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    items = approved_plan(world)
    with pytest.raises(PermissionDenied):
        corridor_shares_set(
            actor=italy_coordinator,
            corridor=corridor,
            workspace=world.workspace,
            priorities=[items["priority"]],
            actions=[],
            indicators=[],
        )
    client.force_login(italy_coordinator)
    share_url = reverse(
        "mainstreaming:corridor_share", kwargs={"slug": "national", "pk": corridor.pk}
    )
    assert client.post(share_url, {"priorities": [items["priority"].pk]}).status_code == 404
    put = client.put(
        f"/api/workspaces/national/corridors/{corridor.pk}/shares/",
        json.dumps({"priorities": [items["priority"].pk]}),
        content_type="application/json",
    )
    assert put.status_code == 404
    # Under its own address the partner cannot mark the other side's items either.
    own = client.put(
        f"/api/workspaces/{italy.slug}/corridors/{corridor.pk}/shares/",
        json.dumps({"priorities": [items["priority"].pk]}),
        content_type="application/json",
    )
    assert own.status_code == 400
    assert not items["priority"].shared_with.exists()
    # Control: the national coordinator marks it through the page.
    client.force_login(world["coordinator"])
    assert client.post(share_url, {"priorities": [items["priority"].pk]}).status_code == 302
    assert items["priority"].shared_with.get() == corridor


# Joint actions ---------------------------------------------------------------------------------


def test_joint_action_agreed_by_both_then_withdrawn(world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    joint = joint_action_propose(
        actor=world["coordinator"],
        corridor=corridor,
        workspace=world.workspace,
        title="Joint orientation course",
    )
    with pytest.raises(ValidationError):  # the proposing side does not agree with itself
        joint_action_agree(
            actor=world["coordinator"], joint_action=joint, workspace=world.workspace
        )
    with pytest.raises(PermissionDenied):
        joint_action_agree(actor=world["coordinator"], joint_action=joint, workspace=italy)
    agreed = joint_action_agree(actor=italy_coordinator, joint_action=joint, workspace=italy)
    assert agreed.status == JointActionStatus.AGREED and agreed.agreed_by == italy_coordinator
    withdrawn = joint_action_withdraw(
        actor=world["coordinator"], joint_action=agreed, workspace=world.workspace
    )
    assert withdrawn.status == JointActionStatus.WITHDRAWN


def test_joint_action_pages(client, world, partner):
    italy, italy_coordinator = partner
    corridor = active_corridor(world, italy, italy_coordinator)
    client.force_login(world["coordinator"])
    create = reverse(
        "stakeholders:joint_action_create", kwargs={"slug": "national", "pk": corridor.pk}
    )
    assert client.post(create, {"title": ""}).status_code == 200
    assert client.post(create, {"title": "Data exchange on recruitment fees"}).status_code == 302
    joint = corridor.joint_actions.get()
    client.force_login(italy_coordinator)
    agree = reverse(
        "stakeholders:joint_action_transition",
        kwargs={"slug": italy.slug, "pk": corridor.pk, "joint_pk": joint.pk, "action": "agree"},
    )
    assert client.get(agree).status_code == 200
    assert client.post(agree).status_code == 302
    body = page(client, world["observer"], world.workspace, corridor).content.decode()
    assert "Data exchange on recruitment fees" in body and "Agreed by both" in body


# API -------------------------------------------------------------------------------------------


def test_api_propose_accept_share_and_read(client, world, partner):
    italy, italy_coordinator = partner
    client.force_login(world["coordinator"])
    created = client.post(
        "/api/workspaces/national/corridors/",
        {
            "partner": "partnerland",
            "proposer_role": "origin",
            "partner_role": "destination",
            "description": "Seasonal work.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["partner_workspace"] == {
        "name": "Workspace partnerland",
        "country": "ITA",
    }
    unknown = client.post(
        "/api/workspaces/national/corridors/",
        {
            "partner": "elsewhere-nope",
            "proposer_role": "origin",
            "partner_role": "origin",
            "description": "x",
        },
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert client.post(f"/api/workspaces/national/corridors/{pk}/accept/").status_code == 403
    client.force_login(italy_coordinator)
    accepted = client.post(f"/api/workspaces/{italy.slug}/corridors/{pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"

    items = approved_plan(world)
    client.force_login(world["coordinator"])
    put = client.put(
        f"/api/workspaces/national/corridors/{pk}/shares/",
        json.dumps({"priorities": [items["priority"].pk], "actions": [items["action"].pk]}),
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert put.json() == {
        "priorities": [items["priority"].pk],
        "actions": [items["action"].pk],
        "indicators": [],
    }
    client.force_login(italy_coordinator)
    sides = client.get(f"/api/workspaces/{italy.slug}/corridors/{pk}/shared-items/").json()
    assert [s["is_mine"] for s in sides] == [True, False]
    assert sides[0]["priorities"] == []
    assert [p["content"]["title"] for p in sides[1]["priorities"]] == ["Reintegrate returnees"]
    assert [a["content"]["title"] for a in sides[1]["actions"]] == ["Open job-matching desks"]

    joint = client.post(
        f"/api/workspaces/{italy.slug}/corridors/{pk}/joint-actions/",
        {"title": "Joint course"},
        content_type="application/json",
    )
    assert joint.status_code == 201
    client.force_login(world["coordinator"])
    agreed = client.post(
        f"/api/workspaces/national/corridors/{pk}/joint-actions/{joint.json()['id']}/agree/"
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    ended = client.post(f"/api/workspaces/national/corridors/{pk}/end/")
    assert ended.json()["status"] == "ended"
