"""Pinned query counts of the corridor list page and endpoint and the corridor page."""

from __future__ import annotations

from django.urls import reverse

from mainstreaming.services.corridors import corridor_shares_set
from stakeholders.corridors_services import joint_action_propose
from tests.querycount import assert_pinned_queries

from .corridor_factories import active_corridor, approved_plan, partner_workspace, propose


def _corridors(world):
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            partner, _coordinator = partner_workspace(f"partner-{next(counter)}", "ITA")
            propose(world, partner)

    return add


def test_corridor_list_page_queries(client, world):
    client.force_login(world["coordinator"])
    url = reverse("stakeholders:corridor_list", kwargs={"slug": "national"})
    assert_pinned_queries(client, url, rows=_corridors(world), expected=5)


def test_corridor_list_endpoint_queries(client, world):
    client.force_login(world["coordinator"])
    url = "/api/workspaces/national/corridors/"
    assert_pinned_queries(client, url, rows=_corridors(world), expected=6)


def test_corridor_page_queries(client, world):
    partner, partner_coordinator = partner_workspace()
    corridor = active_corridor(world, partner, partner_coordinator)
    shared: list = []

    def add(n):
        for _ in range(n):
            items = approved_plan(world)
            shared.append(items)
            joint_action_propose(
                actor=world["coordinator"],
                corridor=corridor,
                workspace=world.workspace,
                title="Joint course",
            )
        corridor_shares_set(
            actor=world["coordinator"],
            corridor=corridor,
            workspace=world.workspace,
            priorities=[i["priority"] for i in shared],
            actions=[i["action"] for i in shared],
            indicators=[],
        )

    client.force_login(partner_coordinator)
    url = reverse("mainstreaming:corridor_detail", kwargs={"slug": partner.slug, "pk": corridor.pk})
    assert_pinned_queries(client, url, rows=add, expected=14)
