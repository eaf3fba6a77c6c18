"""Indicator series shared along a corridor (issue 5; DESIGN §3 "a corridor partner reads the
items the other side shared with that corridor").

The partner is never shown a draft: the values are those of each observation's last approved
version (`shown(...)` with the rights of a reader who does not see drafts), only for series the
sharing side marked (`SharedSeries`), and only while the corridor is active.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from stakeholders.models import Corridor, Workspace
from stakeholders.permissions import Perm

from ..models import Indicator, Observation, SharedSeries
from .observations import shown

# What any reader without VIEW_DRAFTS is shown: the approved snapshot only.
PARTNER_PERMS = frozenset({Perm.ACCESS})


@dataclass
class SharedValue:
    period: str
    breakdown: dict[str, str]
    value: Decimal


@dataclass
class SharedSeriesView:
    indicator: Indicator
    values: list[SharedValue] = field(default_factory=list)


def shareable_indicators(*, workspace: Workspace) -> QuerySet[Indicator]:
    """Indicators with at least one approved value in `workspace`: what it may share."""
    approved = Observation.objects.filter(
        workspace=workspace, indicator=OuterRef("pk"), approved_version__isnull=False
    )
    return Indicator.objects.filter(Exists(approved)).select_related("unit").order_by("code", "pk")


def shared_indicator_ids(*, corridor: Corridor, workspace: Workspace) -> set[int]:
    """The indicators `workspace` marked for `corridor` (marks stay after the end, unused)."""
    return set(
        SharedSeries.objects.filter(corridor=corridor, workspace=workspace).values_list(
            "indicator_id", flat=True
        )
    )


def corridor_shared_series(*, corridor: Corridor, workspace: Workspace) -> list[SharedSeriesView]:
    """The series `workspace` shares with an active `corridor`, approved values only (2 queries)."""
    if not corridor.is_active or workspace.pk not in (corridor.proposer_id, corridor.partner_id):
        return []
    marks = SharedSeries.objects.filter(corridor=corridor, workspace=workspace).select_related(
        "indicator", "indicator__unit"
    )
    views = {mark.indicator_id: SharedSeriesView(indicator=mark.indicator) for mark in marks}
    if not views:
        return []
    observations = Observation.objects.filter(
        workspace=workspace, indicator_id__in=list(views), approved_version__isnull=False
    ).order_by("indicator_id", "year", "period", "pk")
    for observation in observations:
        value = shown(observation, PARTNER_PERMS)
        if value is None:
            continue
        views[observation.indicator_id].values.append(
            SharedValue(
                period=observation.period, breakdown=observation.breakdown(), value=value.value
            )
        )
    return sorted(views.values(), key=lambda view: (view.indicator.code, view.indicator.pk))
