"""Builders for the mapping, capacity and vertical tests: every object through its service."""

from __future__ import annotations

from typing import Any

from stakeholders.choices import CapacityArea, NeedPriority, OrganisationKind, ProcessRole
from stakeholders.coordination_models import CapacityNeed, StakeholderProfile
from stakeholders.mapping_services import capacity_need_create, stakeholder_profile_create
from stakeholders.models import Organisation, Workspace
from stakeholders.services import organisation_create

_counter = iter(range(1, 1_000_000))


def make_organisation(
    workspace: Workspace,
    *,
    name: str = "",
    acronym: str = "",
    kind: str = OrganisationKind.MINISTRY,
) -> Organisation:
    n = next(_counter)
    return organisation_create(
        actor=None,
        workspace=workspace,
        name=name or f"Mapped organisation {n}",
        acronym=acronym,
        kind=kind,
        country=workspace.country,
    )


def make_profile(
    actor: Any,
    workspace: Workspace,
    *,
    organisation: Organisation | None = None,
    interest: int = 3,
    influence: int = 3,
    role: str = ProcessRole.CONSULTED,
    notes: str = "",
    **organisation_fields: Any,
) -> StakeholderProfile:
    organisation = organisation or make_organisation(workspace, **organisation_fields)
    return stakeholder_profile_create(
        actor=actor,
        workspace=workspace,
        organisation=organisation,
        interest=interest,
        influence=influence,
        role=role,
        notes=notes,
    )


def make_need(
    actor: Any,
    workspace: Workspace,
    *,
    organisation: Organisation | None = None,
    area: str = CapacityArea.DATA,
    priority: str = NeedPriority.MEDIUM,
    description: str = "Staff trained in survey sampling.",
    **fields: Any,
) -> CapacityNeed:
    organisation = organisation or workspace.organisations.order_by("pk").first()
    assert organisation is not None
    return capacity_need_create(
        actor=actor,
        workspace=workspace,
        organisation=organisation,
        area=area,
        priority=priority,
        description=description,
        **fields,
    )
