"""Priorities and actions shared along a corridor, and the corridor page's two sides (issue 5).

A side's shared items are those it marked for the corridor (`shared_with`), that were approved
at least once, while the corridor is active. They are shown as their approved snapshot, never
the current draft, whoever reads them (the partner never sees drafts, and both sides see the
same thing on the corridor page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from indicators.selectors.corridors import SharedSeriesView, corridor_shared_series
from stakeholders.corridors_selectors import joint_action_list
from stakeholders.models import Corridor, JointAction, Organisation, Workspace
from stakeholders.review import approved_view

from ..models import Action, EntryPointConcern, Priority


@dataclass
class SharedItem:
    pk: int
    content: dict[str, Any]
    label: str = ""  # concern (priority) or lead organisation (action)


@dataclass
class CorridorSide:
    workspace: Workspace
    role: str
    is_mine: bool
    priorities: list[SharedItem] = field(default_factory=list)
    actions: list[SharedItem] = field(default_factory=list)
    series: list[SharedSeriesView] = field(default_factory=list)

    @property
    def shares_anything(self) -> bool:
        return bool(self.priorities or self.actions or self.series)


def shareable_priorities(*, workspace: Workspace) -> QuerySet[Priority]:
    """Priorities of `workspace` approved at least once: what it may share."""
    return Priority.objects.filter(workspace=workspace, approved_version__isnull=False).order_by(
        "cycle_id", "rank", "pk"
    )


def shareable_actions(*, workspace: Workspace) -> QuerySet[Action]:
    return Action.objects.filter(workspace=workspace, approved_version__isnull=False).order_by(
        "cycle_id", "objective_id", "position", "pk"
    )


def shared_priority_ids(*, corridor: Corridor, workspace: Workspace) -> set[int]:
    return set(
        Priority.shared_with.through.objects.filter(
            corridor=corridor, priority__workspace=workspace
        ).values_list("priority_id", flat=True)
    )


def shared_action_ids(*, corridor: Corridor, workspace: Workspace) -> set[int]:
    return set(
        Action.shared_with.through.objects.filter(
            corridor=corridor, action__workspace=workspace
        ).values_list("action_id", flat=True)
    )


def _shared[R: (Priority, Action)](queryset: QuerySet[R], corridor: Corridor) -> QuerySet[R]:
    return queryset.filter(shared_with=corridor)


def corridor_shared_priorities(*, corridor: Corridor, workspace: Workspace) -> list[SharedItem]:
    """`workspace`'s priorities shared with the active `corridor`, as approved (2 queries)."""
    if not corridor.is_active or workspace.pk not in (corridor.proposer_id, corridor.partner_id):
        return []
    items = [
        SharedItem(pk=priority.pk, content=approved_view(priority))
        for priority in _shared(shareable_priorities(workspace=workspace), corridor)
    ]
    concern_ids: set[int] = {
        int(item.content["concern_id"]) for item in items if item.content.get("concern_id")
    }
    names = {c.pk: str(c) for c in EntryPointConcern.objects.filter(pk__in=concern_ids)}
    for item in items:
        item.label = names.get(int(item.content.get("concern_id") or 0), "")
    return items


def corridor_shared_actions(*, corridor: Corridor, workspace: Workspace) -> list[SharedItem]:
    """`workspace`'s actions shared with the active `corridor`, as approved (2 queries)."""
    if not corridor.is_active or workspace.pk not in (corridor.proposer_id, corridor.partner_id):
        return []
    items = [
        SharedItem(pk=action.pk, content=approved_view(action))
        for action in _shared(shareable_actions(workspace=workspace), corridor)
    ]
    organisation_ids: set[int] = {
        int(item.content["lead_organisation_id"])
        for item in items
        if item.content.get("lead_organisation_id")
    }
    names = {o.pk: str(o) for o in Organisation.objects.filter(pk__in=organisation_ids)}
    for item in items:
        item.label = names.get(int(item.content.get("lead_organisation_id") or 0), "")
    return items


def corridor_sides(*, corridor: Corridor, workspace: Workspace) -> list[CorridorSide]:
    """Both sides of the corridor, the reader's own (`workspace`) first, with what each shares."""
    sides = [
        CorridorSide(
            workspace=corridor.proposer, role=corridor.get_proposer_role_display(), is_mine=False
        ),
        CorridorSide(
            workspace=corridor.partner, role=corridor.get_partner_role_display(), is_mine=False
        ),
    ]
    sides.sort(key=lambda side: side.workspace.pk != workspace.pk)
    sides[0].is_mine = True
    for side in sides:
        side.priorities = corridor_shared_priorities(corridor=corridor, workspace=side.workspace)
        side.actions = corridor_shared_actions(corridor=corridor, workspace=side.workspace)
        side.series = corridor_shared_series(corridor=corridor, workspace=side.workspace)
    return sides


def corridor_joint_actions(*, corridor: Corridor) -> QuerySet[JointAction]:
    return joint_action_list(corridor=corridor)
