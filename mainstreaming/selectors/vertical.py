"""Reads of vertical coordination: a national workspace's local workspaces at a glance.

Only approved content of a local workspace is shown, and only to those who may read that
workspace (its national coordinators, through the read exception of DESIGN §3). Other members
of the national workspace learn which local workspaces exist, nothing more. The queries do not
grow with the number of local workspaces: cycles, counts and highlights are each fetched once
for the whole page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, When

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..models import Cycle, Priority
from .home import KINDS


@dataclass
class LocalHighlight:
    """An approved local priority and the national priority it serves (if any)."""

    priority_id: int
    title: str
    national_priority_id: int | None = None
    national_title: str = ""


@dataclass
class LocalWorkspaceSummary:
    workspace: Workspace
    readable: bool
    cycle: Cycle | None = None
    counts: list[tuple[Any, int]] = field(default_factory=list)
    highlights: list[LocalHighlight] = field(default_factory=list)

    @property
    def approved_total(self) -> int:
        return sum(n for _label, n in self.counts)


def _current_cycles(workspace_ids: Sequence[int]) -> dict[int, Cycle]:
    """The cycle each workspace works on: the latest not completed, else the latest (as the
    workspace home picks it), for all workspaces in one query."""
    cycles = (
        Cycle.objects.filter(workspace_id__in=workspace_ids)
        .annotate(
            done=Case(
                When(completed_at__isnull=True, then=0), default=1, output_field=IntegerField()
            )
        )
        .order_by("workspace_id", "done", "-start_year", "-created_at", "-pk")
    )
    current: dict[int, Cycle] = {}
    for cycle in cycles:
        current.setdefault(cycle.workspace_id, cycle)
    return current


def _approved_counts(cycle_ids: Sequence[int]) -> dict[int, list[tuple[Any, int]]]:
    """Per cycle, how many items of each kind have an approved version (one query per kind)."""
    counts: dict[int, list[tuple[Any, int]]] = {pk: [] for pk in cycle_ids}
    for model, path, _stage, label in KINDS:
        found = dict(
            model._default_manager.filter(
                **{f"{path}__in": cycle_ids}, approved_version__isnull=False
            )
            .order_by()
            .values_list(path)
            .annotate(n=Count("pk"))
            .values_list(path, "n")
        )
        for pk in cycle_ids:
            counts[pk].append((label, found.get(pk, 0)))
    return counts


def _highlights(
    cycle_ids: Sequence[int], *, national: Workspace, national_perms: frozenset[Perm]
) -> dict[int, list[LocalHighlight]]:
    """Approved priorities of the cycles, with the national priority their approved version
    serves. The national priority is named by its approved title, or by its draft title for
    readers who see the national workspace's drafts."""
    by_cycle: dict[int, list[LocalHighlight]] = {pk: [] for pk in cycle_ids}
    priorities = (
        Priority.objects.filter(cycle_id__in=cycle_ids, approved_version__isnull=False)
        .order_by("cycle_id", "rank", "pk")
        .values_list("pk", "cycle_id", "approved_snapshot")
    )
    highlights: list[tuple[int, LocalHighlight]] = []
    for pk, cycle_id, snapshot in priorities:
        snapshot = snapshot or {}
        highlights.append(
            (
                cycle_id,
                LocalHighlight(
                    priority_id=pk,
                    title=str(snapshot.get("title", "")),
                    national_priority_id=snapshot.get("national_priority_id"),
                ),
            )
        )
    national_ids = {h.national_priority_id for _c, h in highlights if h.national_priority_id}
    titles: dict[int, str] = {}
    if national_ids:
        for pk, title, snapshot in Priority.objects.filter(
            pk__in=national_ids, workspace=national
        ).values_list("pk", "title", "approved_snapshot"):
            if Perm.VIEW_DRAFTS in national_perms:
                titles[pk] = title
            elif snapshot:
                titles[pk] = str(snapshot.get("title", ""))
    for cycle_id, highlight in highlights:
        if highlight.national_priority_id is not None:
            highlight.national_title = titles.get(highlight.national_priority_id, "")
        by_cycle[cycle_id].append(highlight)
    return by_cycle


def local_workspace_summaries(
    *, national: Workspace, local_workspaces: Sequence[Workspace], perms: frozenset[Perm]
) -> list[LocalWorkspaceSummary]:
    """Summaries of `local_workspaces` (from `stakeholders.selectors.local_workspace_list`,
    annotated with `readable`) for a reader holding `perms` on the `national` workspace."""
    summaries = [
        LocalWorkspaceSummary(workspace=local, readable=bool(getattr(local, "readable", False)))
        for local in local_workspaces
    ]
    readable_ids = [s.workspace.pk for s in summaries if s.readable]
    if not readable_ids:
        return summaries
    cycles = _current_cycles(readable_ids)
    cycle_ids = [cycle.pk for cycle in cycles.values()]
    counts = _approved_counts(cycle_ids) if cycle_ids else {}
    highlights = (
        _highlights(cycle_ids, national=national, national_perms=perms) if cycle_ids else {}
    )
    for summary in summaries:
        cycle = cycles.get(summary.workspace.pk)
        if cycle is None:
            continue
        summary.cycle = cycle
        summary.counts = counts.get(cycle.pk, [])
        summary.highlights = highlights.get(cycle.pk, [])
    return summaries
