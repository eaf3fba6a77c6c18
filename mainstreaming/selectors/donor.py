"""The donor's overview: each workspace a user belongs to, with its approved highlights only.

Everything here is read at the approved level (`APPROVED_PERMS`), whatever the reader's role:
the page is the observer's home, and an editor opening it sees what observers see. Cost: a
fixed number of queries for the workspaces, cycles, editions and reports of all workspaces at
once, plus two per workspace for the KPI status counts (`kpi_statuses`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet

from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.models import Workspace
from stakeholders.permissions import Perm, workspaces_with

from ..choices import ReportStatus, RightsLevel
from ..models import Cycle, Report
from .monitoring import StatusCount, kpi_statuses, status_counts

APPROVED_PERMS = frozenset({Perm.ACCESS})
LATEST_REPORTS = 3


@dataclass
class WorkspaceHighlights:
    workspace: Workspace
    cycle: Cycle | None = None
    kpi_counts: list[StatusCount] = field(default_factory=list)
    edition: Edition | None = None
    reports: list[Report] = field(default_factory=list)


def donor_workspace_list(*, user: Any) -> QuerySet[Workspace]:
    """The workspaces the user may read (their memberships and the read exceptions)."""
    return workspaces_with(user, Perm.ACCESS).order_by("name", "pk")


def donor_highlights(*, user: Any, workspaces: list[Workspace]) -> list[WorkspaceHighlights]:
    ids = [workspace.pk for workspace in workspaces]
    cycles: dict[int, Cycle] = {}
    for cycle in Cycle.objects.filter(workspace_id__in=ids).order_by(
        F("completed_at").desc(nulls_first=True), "-start_year", "title", "pk"
    ):
        cycles.setdefault(cycle.workspace_id, cycle)
    editions: dict[int, Edition] = {}
    for edition in Edition.objects.filter(
        workspace_id__in=ids, status=EditionStatus.PUBLISHED
    ).order_by("-published_at", "-pk"):
        editions.setdefault(edition.workspace_id, edition)
    reports: dict[int, list[Report]] = {}
    for report in Report.objects.filter(
        workspace_id__in=ids, status=ReportStatus.DONE, rights_level=RightsLevel.APPROVED
    ).order_by("-finished_at", "-pk"):
        bucket = reports.setdefault(report.workspace_id, [])
        if len(bucket) < LATEST_REPORTS:
            bucket.append(report)
    result = []
    for workspace in workspaces:
        current = cycles.get(workspace.pk)
        counts: list[StatusCount] = []
        if cycle is not None:
            lines = kpi_statuses(user=user, workspace=workspace, cycle=cycle, perms=APPROVED_PERMS)
            counts = status_counts(lines)
        result.append(
            WorkspaceHighlights(
                workspace=workspace,
                cycle=current,
                kpi_counts=counts,
                edition=editions.get(workspace.pk),
                reports=reports.get(workspace.pk, []),
            )
        )
    return result
