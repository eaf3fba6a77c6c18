"""Test data for corridors: a partner national workspace with its coordinator, corridors made
through the services, and an approved plan and series on the national side."""

from __future__ import annotations

from typing import Any

from stakeholders.choices import Role
from stakeholders.corridors_services import corridor_accept, corridor_propose
from stakeholders.models import Corridor, Workspace
from tests.factories import MembershipFactory, WorkspaceFactory
from tests.indicators.observation_factories import approved
from tests.mainstreaming.monitoring_factories import approve, plan


def partner_workspace(slug: str = "partnerland", country: str = "ITA") -> tuple[Workspace, Any]:
    """A national workspace and its coordinator."""
    workspace = WorkspaceFactory(slug=slug, name=f"Workspace {slug}", country=country)
    coordinator = MembershipFactory(
        workspace=workspace, role=Role.COORDINATOR, user__username=f"{slug}-coordinator"
    ).user
    return workspace, coordinator


def propose(world: Any, partner: Workspace, **overrides: Any) -> Corridor:
    values = {
        "proposer_role": "origin",
        "partner_role": "destination",
        "description": "Workers move to the partner's farms.",
    }
    values.update(overrides)
    return corridor_propose(
        actor=world["coordinator"], workspace=world.workspace, partner=partner, **values
    )


def active_corridor(world: Any, partner: Workspace, partner_coordinator: Any) -> Corridor:
    return corridor_accept(actor=partner_coordinator, corridor=propose(world, partner))


def approved_plan(world: Any, workspace: Any = None, title: str = "Plan") -> dict[str, Any]:
    """A cycle whose priority and action are approved (objective too), made by the editor."""
    items = plan(world["editor"], workspace or world.workspace, title=title)
    approve(world["editor"], world["reviewer"], items["priority"], items["objective"])
    approve(world["editor"], world["reviewer"], items["action"])
    for item in items.values():
        item.refresh_from_db()
    return items


def approved_value(world: Any, code: str = "ECO-02", period: str = "2022", value: str = "12.5"):
    return approved(
        world["editor"], world["reviewer"], world.workspace, code=code, period=period, value=value
    )
