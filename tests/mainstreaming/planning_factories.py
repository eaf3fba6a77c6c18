"""Builders for the plan's tests: every object through its service (KPIs built directly, as
their services belong to the monitoring area)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from mainstreaming.models import KPI, Action, Cycle, EntryPointConcern, Objective, Priority
from mainstreaming.services import cycle_create
from mainstreaming.services.planning import action_create, objective_create, priority_create
from stakeholders.review import review_approve, review_submit


def default_concern() -> EntryPointConcern:
    return EntryPointConcern.objects.filter(workspace__isnull=True).order_by("pk").first()


def make_cycle(world: Any, *, workspace: Any = None, actor: Any = None, **kwargs: Any) -> Cycle:
    workspace = workspace or world.workspace
    actor = actor or (world["citycoordinator"] if workspace == world.city else world["editor"])
    kwargs.setdefault("title", "National development plan 2025–2029")
    kwargs.setdefault("start_year", 2025)
    kwargs.setdefault("end_year", 2029)
    return cycle_create(actor=actor, workspace=workspace, **kwargs)


def make_priority(actor: Any, cycle: Cycle, **kwargs: Any) -> Priority:
    kwargs.setdefault("title", "Lower recruitment costs")
    kwargs.setdefault("concern", default_concern())
    kwargs.setdefault("gender_considerations", "Women domestic workers pay the highest fees.")
    kwargs.setdefault("rights_considerations", "Workers keep their passports.")
    return priority_create(actor=actor, cycle=cycle, **kwargs)


def make_objective(actor: Any, priority: Priority, **kwargs: Any) -> Objective:
    kwargs.setdefault("title", "Cut fees paid by workers")
    return objective_create(actor=actor, priority=priority, **kwargs)


def make_action(actor: Any, objective: Objective, **kwargs: Any) -> Action:
    kwargs.setdefault("title", "Train labour inspectors")
    kwargs.setdefault("lead_organisation", objective.workspace.organisations.order_by("pk").first())
    kwargs.setdefault("start_date", datetime.date(2026, 1, 1))
    kwargs.setdefault("end_date", datetime.date(2026, 12, 31))
    return action_create(actor=actor, objective=objective, **kwargs)


def make_kpi(
    *, objective: Objective | None = None, action: Action | None = None, **kwargs: Any
) -> KPI:
    parent = objective or action
    assert parent is not None
    kpi = KPI(
        cycle_id=parent.cycle_id,
        workspace=parent.workspace,
        objective=objective,
        action=action,
        name=kwargs.pop("name", "Average fee paid"),
        unit=kwargs.pop("unit", "USD"),
        baseline_value=kwargs.pop("baseline_value", Decimal("900")),
        baseline_year=kwargs.pop("baseline_year", 2024),
        targets=kwargs.pop("targets", {"2027": "500", "2029": "300"}),
        responsible_organisation=kwargs.pop(
            "responsible_organisation", parent.workspace.organisations.order_by("pk").first()
        ),
        **kwargs,
    )
    kpi.lock_version = 1
    kpi.full_clean()
    kpi.save()
    return kpi


def approve(item: Any, *, submitter: Any, approver: Any) -> Any:
    review_submit(actor=submitter, items=item)
    review_approve(actor=approver, items=item)
    item.refresh_from_db()
    return item
