"""Test data for monitoring: a cycle with a priority, an objective and an action made directly
with the ORM (their own services belong to the planning area), then KPIs and progress updates
through the monitoring services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from mainstreaming.models import Action, Cycle, EntryPointConcern, Objective, Priority
from mainstreaming.services import cycle_create
from mainstreaming.services.monitoring import kpi_create, progress_update_create
from stakeholders.review import review_approve, review_submit


def _save(obj: Any, actor: Any) -> Any:
    obj.created_by = actor
    obj.lock_version = 1
    obj.full_clean()
    obj._history_user = actor
    obj.save()
    return obj


def plan(actor: Any, workspace: Any, *, title: str = "Plan 2025–2029") -> dict[str, Any]:
    """A cycle 2025–2029 with one priority → objective → action, all drafts."""
    cycle = cycle_create(
        actor=actor, workspace=workspace, title=title, start_year=2025, end_year=2029
    )
    concern = EntryPointConcern.objects.filter(workspace__isnull=True).first()
    priority = _save(
        Priority(
            cycle=cycle,
            workspace=workspace,
            concern=concern,
            title="Reintegrate returnees",
            gender_considerations="Women returnees first.",
            rights_considerations="Access to services whatever the status.",
        ),
        actor,
    )
    objective = _save(
        Objective(
            priority=priority,
            cycle=cycle,
            workspace=workspace,
            title="Returnees find work within a year",
        ),
        actor,
    )
    action = _save(
        Action(
            objective=objective,
            cycle=cycle,
            workspace=workspace,
            title="Open job-matching desks",
            lead_organisation=workspace.organisations.first(),
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        ),
        actor,
    )
    return {"cycle": cycle, "priority": priority, "objective": objective, "action": action}


def make_kpi(
    actor: Any,
    cycle: Cycle,
    *,
    objective: Objective | None = None,
    action: Action | None = None,
    name: str = "Returnees employed",
    targets: dict[int, Any] | None = None,
    organisation: Any = None,
    **extra: Any,
):
    values = {
        "unit": "percent",
        "direction": "higher",
        "baseline_value": Decimal(10),
        "baseline_year": 2024,
    }
    values.update(extra)
    return kpi_create(
        actor=actor,
        cycle=cycle,
        objective=objective,
        action=action,
        name=name,
        targets={2027: Decimal(40)} if targets is None else targets,
        responsible_organisation=organisation or cycle.workspace.organisations.first(),
        **values,
    )


def report(actor: Any, kpi: Any, period: str, value: Any, **extra: Any):
    return progress_update_create(
        actor=actor, kpi=kpi, period=period, actual_value=Decimal(str(value)), **extra
    )


def approve(submitter: Any, reviewer: Any, *items: Any) -> None:
    """Submit (as `submitter`) and approve (as `reviewer`) the items."""
    review_submit(actor=submitter, items=list(items))
    review_approve(actor=reviewer, items=list(items))
