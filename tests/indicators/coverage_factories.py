"""Observations and gaps for the coverage, gap and chart tests, written through the review
services (the editor enters and submits, the reviewer approves)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.models import DataGap, Indicator, Observation
from indicators.services.gaps import data_gap_create
from stakeholders.review import review_approve, review_edit, review_submit


def catalogue(code: str, framework: str = "starter") -> Indicator:
    return Indicator.objects.select_related("unit").get(framework__code=framework, code=code)


def observe(
    world: Any,
    indicator: Indicator,
    period: str,
    value: str | int,
    *,
    state: str = "approved",
    workspace: Any = None,
    **axes: str,
) -> Observation:
    """A value entered by the editor; "draft", "submitted" or "approved" (by the reviewer)."""
    workspace = workspace or world.workspace
    editor = world["editor"]
    observation = Observation(
        workspace=workspace,
        indicator=indicator,
        period=period,
        value=Decimal(str(value)),
        entered_by=editor,
        created_by=editor,
        **axes,
    )
    observation.full_clean()
    observation._history_user = editor
    observation.save()
    if state in ("submitted", "approved"):
        review_submit(actor=editor, items=[observation])
    if state == "approved":
        review_approve(actor=world["reviewer"], items=[observation])
    return observation


def correct(world: Any, observation: Observation, value: str | int) -> Observation:
    """Open a draft correction of an approved value."""
    return review_edit(
        actor=world["editor"],
        item=observation,
        expected_lock_version=observation.lock_version,
        value=Decimal(str(value)),
    )


def gap(world: Any, indicator: Indicator, **fields: Any) -> DataGap:
    fields.setdefault("reason", "not_collected")
    return data_gap_create(
        actor=world["coordinator"], workspace=world.workspace, indicator=indicator, **fields
    )
