"""Fast seeding of a cycle's content, for the query-count tests of the home and for `make bench`.

Rows are written with `bulk_create` in the state the review services leave an item in once it is
approved (snapshot, approved version), so that hundreds of actions and years of monthly progress
updates load in seconds. Tests that are about the review itself use the services instead. Bulk
writes send no signal: the workspace's content version is bumped here, as any bulk writer must.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from mainstreaming.choices import Direction, FundingStatus
from mainstreaming.models import (
    KPI,
    Action,
    Cycle,
    EntryPointConcern,
    Objective,
    Priority,
    ProgressUpdate,
    SituationSection,
)
from stakeholders.cache import touch_workspace
from stakeholders.models import Organisation, User
from stakeholders.review import ReviewState


def _finish(item: Any, *, actor: User, approved: bool) -> Any:
    item.created_by = actor
    item.lock_version = 1
    if approved:
        item.review_state = ReviewState.APPROVED
        item.approved_snapshot = item.review_content()
        item.approved_version = 1
        item.approved_at = timezone.now()
        item.approved_by = actor
    return item


def _bulk(model: type[models.Model], items: list[Any]) -> list[Any]:
    return model._default_manager.bulk_create(items, batch_size=500)


def seed_cycle_content(
    *,
    cycle: Cycle,
    actor: User,
    organisation: Organisation,
    n: int,
    kpis_per_action: int = 0,
    periods: list[str] | None = None,
    approved: bool = True,
    start: int = 0,
) -> dict[str, int]:
    """Add `n` sections, priorities, objectives, actions and KPIs to the cycle (one each per
    number), plus a progress update per KPI and period; `start` keeps titles unique on reruns."""
    workspace = cycle.workspace
    concern = EntryPointConcern.objects.filter(workspace__isnull=True).order_by("pk").first()
    assert concern is not None
    numbers = range(start, start + n)
    _bulk(
        SituationSection,
        [
            _finish(
                SituationSection(
                    cycle=cycle,
                    workspace=workspace,
                    title=f"Section {i}",
                    narrative=f"Narrative {i}",
                    position=100 + i,
                ),
                actor=actor,
                approved=approved,
            )
            for i in numbers
        ],
    )
    priorities = _bulk(
        Priority,
        [
            _finish(
                Priority(
                    cycle=cycle,
                    workspace=workspace,
                    concern=concern,
                    title=f"Priority {i}",
                    rank=i,
                    gender_considerations="Women and men are affected differently.",
                    rights_considerations="Migrants' rights are respected.",
                ),
                actor=actor,
                approved=approved,
            )
            for i in numbers
        ],
    )
    objectives = _bulk(
        Objective,
        [
            _finish(
                Objective(
                    priority=priority,
                    cycle=cycle,
                    workspace=workspace,
                    title=f"Objective {priority.title}",
                ),
                actor=actor,
                approved=approved,
            )
            for priority in priorities
        ],
    )
    actions = _bulk(
        Action,
        [
            _finish(
                Action(
                    objective=objective,
                    cycle=cycle,
                    workspace=workspace,
                    title=f"Action {objective.title}",
                    lead_organisation=organisation,
                    start_date=datetime.date(cycle.start_year, 1, 1),
                    end_date=datetime.date(cycle.end_year, 12, 31),
                    budget_amount=Decimal("1000.00"),
                    budget_currency="XOF",
                    funding_status=FundingStatus.FUNDED,
                ),
                actor=actor,
                approved=approved,
            )
            for objective in objectives
        ],
    )
    targets = {str(cycle.end_year): "100"}
    kpis = _bulk(
        KPI,
        [
            _finish(
                KPI(
                    cycle=cycle,
                    workspace=workspace,
                    action=action,
                    name=f"KPI {k} of {action.title}",
                    unit="percent",
                    direction=Direction.HIGHER,
                    baseline_value=Decimal("10"),
                    baseline_year=cycle.start_year,
                    targets=targets,
                    responsible_organisation=organisation,
                ),
                actor=actor,
                approved=approved,
            )
            for action in actions
            for k in range(max(kpis_per_action, 1))
        ],
    )
    updates = _bulk(
        ProgressUpdate,
        [
            _finish(
                ProgressUpdate(
                    kpi=kpi,
                    workspace=workspace,
                    period=period,
                    actual_value=Decimal(10 + index),
                    reporter=actor,
                ),
                actor=actor,
                approved=approved,
            )
            for kpi in kpis
            for index, period in enumerate(periods or [str(cycle.start_year)])
        ],
    )
    touch_workspace(workspace.pk)
    return {
        "sections": n,
        "priorities": len(priorities),
        "objectives": len(objectives),
        "actions": len(actions),
        "kpis": len(kpis),
        "updates": len(updates),
    }


def monthly_periods(first_year: int, last_year: int) -> list[str]:
    return [
        f"{year}-{month:02d}" for year in range(first_year, last_year + 1) for month in range(1, 13)
    ]
