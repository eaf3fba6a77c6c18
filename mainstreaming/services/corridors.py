"""Marking which approved priorities, actions and indicator series a workspace shares with one
of its active corridors (issue 5). The marks are declared by the items' own apps (DESIGN §2):
`Priority.shared_with`, `Action.shared_with` here, `SharedSeries` in indicators.

Only the coordinators of a side mark items (`CORRIDOR_SHARE`), only approved items, and only on
an active corridor. Marks stay in the database after the corridor ends but are never read again
(every selector requires an active corridor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.selectors.corridors import shareable_indicators
from indicators.services.corridors import check_corridor_sharing, series_share_set
from stakeholders.cache import touch_workspaces
from stakeholders.choices import CorridorStatus, Role
from stakeholders.demo_corridors import PARTNER_SLUG
from stakeholders.models import Corridor, Membership, User, Workspace

from ..models import Action, Priority
from ..selectors.corridors import shareable_actions, shareable_priorities


@dataclass(frozen=True)
class SharedMarks:
    priorities: set[int]
    actions: set[int]
    indicators: set[int]


def _checked_ids(
    wanted: Iterable[int], allowed: Iterable[int], field: str, message: str
) -> set[int]:
    wanted_ids, allowed_ids = set(wanted), set(allowed)
    if wanted_ids - allowed_ids:
        raise ValidationError({field: message})
    return wanted_ids


def corridor_shares_set(
    *,
    actor: User,
    corridor: Corridor,
    workspace: Workspace,
    priorities: Iterable[Priority],
    actions: Iterable[Action],
    indicators: Iterable[Indicator],
) -> SharedMarks:
    """Make `workspace`'s marks for `corridor` exactly these items (unmarking the others)."""
    check_corridor_sharing(actor=actor, corridor=corridor, workspace=workspace)
    priority_ids = _checked_ids(
        (p.pk for p in priorities),
        shareable_priorities(workspace=workspace).values_list("pk", flat=True),
        "priorities",
        _("Only approved priorities of this workspace can be shared."),
    )
    action_ids = _checked_ids(
        (a.pk for a in actions),
        shareable_actions(workspace=workspace).values_list("pk", flat=True),
        "actions",
        _("Only approved actions of this workspace can be shared."),
    )
    with transaction.atomic():
        for model, ids in ((Priority, priority_ids), (Action, action_ids)):
            through: Any = model.shared_with.through
            owner = model._meta.model_name
            current = through.objects.filter(
                corridor=corridor, **{f"{owner}__workspace": workspace}
            )
            current.exclude(**{f"{owner}_id__in": ids}).delete()
            held = set(current.values_list(f"{owner}_id", flat=True))
            through.objects.bulk_create(
                [through(corridor=corridor, **{f"{owner}_id": pk}) for pk in sorted(ids - held)]
            )
        indicator_ids = series_share_set(
            actor=actor, corridor=corridor, workspace=workspace, indicators=indicators
        )
        # Through-table bulk writes send no save signal: bump both sides' content version.
        touch_workspaces([corridor.proposer_id, corridor.partner_id])
    return SharedMarks(priorities=priority_ids, actions=action_ids, indicators=indicator_ids)


def share_demo_items() -> SharedMarks | None:
    """Demo: Senegal shares up to three approved priorities, actions and indicator series with
    its corridor to the partner workspace (stakeholders.demo_corridors). Safe to run again.

    Run after mainstreaming's demo has approved the first national workspace's plan; does
    nothing when the demo corridor does not exist."""
    corridor = (
        Corridor.objects.filter(
            proposer__slug="demo-senegal", partner__slug=PARTNER_SLUG, status=CorridorStatus.ACTIVE
        )
        .select_related("proposer", "partner")
        .first()
    )
    if corridor is None:
        return None
    senegal = corridor.proposer
    coordinator = Membership.objects.get(workspace=senegal, role=Role.COORDINATOR).user
    return corridor_shares_set(
        actor=coordinator,
        corridor=corridor,
        workspace=senegal,
        priorities=list(shareable_priorities(workspace=senegal)[:3]),
        actions=list(shareable_actions(workspace=senegal)[:3]),
        indicators=list(shareable_indicators(workspace=senegal)[:3]),
    )
