"""Helpers that make observations and data sources through their services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.models import DataSource, Indicator, Observation
from indicators.services.observations import observation_save
from indicators.services.sources import data_source_create
from stakeholders.review import review_approve, review_submit


def starter(code: str) -> Indicator:
    """An indicator of the starter catalogue (loaded by the data migration)."""
    return Indicator.objects.select_related("unit").get(framework__code="starter", code=code)


def enter(
    actor: Any,
    workspace: Any,
    code: str = "ECO-02",
    period: str = "2022",
    value: Any = "12.5",
    **kwargs: Any,
) -> Observation:
    axes = {name: kwargs.pop(name) for name in list(kwargs) if name in AXES}
    observation, _created = observation_save(
        actor=actor,
        workspace=workspace,
        indicator=starter(code),
        period=period,
        axes=axes,
        value=Decimal(str(value)) if isinstance(value, int | float) else value,
        **kwargs,
    )
    return observation


AXES = ("sex", "age", "migratory_status", "urbanisation", "education_level", "partner_country")


def approve(submitter: Any, reviewer: Any, *items: Observation) -> None:
    review_submit(actor=submitter, items=list(items))
    review_approve(actor=reviewer, items=list(items))


def approved(editor: Any, reviewer: Any, workspace: Any, **kwargs: Any) -> Observation:
    observation = enter(editor, workspace, **kwargs)
    approve(editor, reviewer, observation)
    observation.refresh_from_db()
    return observation


def make_source(actor: Any, workspace: Any, name: str = "Labour force survey") -> DataSource:
    return data_source_create(actor=actor, workspace=workspace, name=name, kind="household_survey")
