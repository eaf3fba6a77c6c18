"""Reads on corridors and their joint actions (issue 5, "Corridors").

A corridor is always read from one of its two sides: `workspace` is the reader's own workspace,
already checked by the caller (`WorkspaceMixin` / `WorkspacePermission`), and the queries keep
only corridors with that workspace as a side, intersected with `restrict_corridors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .choices import CorridorStatus, JointActionStatus, WorkspaceLevel
from .models import Corridor, JointAction, User, Workspace
from .permissions import restrict_corridors

CORRIDOR_RELATED = ("proposer", "partner", "proposed_by", "responded_by", "ended_by")


def corridor_list(*, user: User | Any, workspace: Workspace) -> QuerySet[Corridor]:
    """The corridors of `workspace` (either side) that `user` may read."""
    return restrict_corridors(
        Corridor.objects.filter(Q(proposer=workspace) | Q(partner=workspace)), user
    ).select_related(*CORRIDOR_RELATED)


def corridor_get(*, user: User | Any, workspace: Workspace, pk: Any) -> Corridor | None:
    if not str(pk).isdigit():
        return None
    return corridor_list(user=user, workspace=workspace).filter(pk=pk).first()


@dataclass(frozen=True)
class CorridorGroups:
    """A workspace's corridors as its list page groups them."""

    active: list[Corridor]
    incoming: list[Corridor]
    outgoing: list[Corridor]
    closed: list[Corridor]


def corridor_groups(*, user: User | Any, workspace: Workspace) -> CorridorGroups:
    """Active, proposed to this workspace, proposed by it, and declined or ended (one query)."""
    active: list[Corridor] = []
    incoming: list[Corridor] = []
    outgoing: list[Corridor] = []
    closed: list[Corridor] = []
    for corridor in corridor_list(user=user, workspace=workspace):
        if corridor.status == CorridorStatus.ACTIVE:
            active.append(corridor)
        elif corridor.status == CorridorStatus.PROPOSED:
            (incoming if corridor.partner_id == workspace.pk else outgoing).append(corridor)
        else:
            closed.append(corridor)
    return CorridorGroups(active=active, incoming=incoming, outgoing=outgoing, closed=closed)


def corridor_partner_search(*, query: str, exclude: Workspace) -> QuerySet[Workspace]:
    """National workspaces a coordinator may propose a corridor to.

    A coordinator cannot browse workspaces they are not a member of, so the search answers only
    an exact short name (slug) or an exact ISO 3166-1 alpha-3 country code, and callers disclose
    only the name and the country of what it finds.
    """
    query = query.strip()
    if not query:
        return Workspace.objects.none()
    return (
        Workspace.objects.filter(level=WorkspaceLevel.NATIONAL)
        .filter(Q(slug__iexact=query) | Q(country__iexact=query))
        .exclude(pk=exclude.pk)
        .order_by("name", "pk")
        .only("pk", "name", "country", "level")
    )


def joint_action_list(*, corridor: Corridor) -> QuerySet[JointAction]:
    """The corridor's joint actions (the caller has fetched `corridor` through corridor_get)."""
    return JointAction.objects.filter(corridor=corridor).select_related(
        "proposed_by_workspace", "agreed_by"
    )


def joint_action_get(*, corridor: Corridor, pk: Any) -> JointAction | None:
    if not str(pk).isdigit():
        return None
    return joint_action_list(corridor=corridor).filter(pk=pk).first()


def joint_action_open(joint_action: JointAction) -> bool:
    return joint_action.status != JointActionStatus.WITHDRAWN
