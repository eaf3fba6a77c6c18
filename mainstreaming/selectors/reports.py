"""Reads of PDF reports: the archive a reader may see (DESIGN §6)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..choices import RightsLevel
from ..models import Report


def report_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Report]:
    """The workspace's reports at or below the reader's rights level, newest first.

    `perms` are the reader's permissions on `workspace` (as `workspace_perms` computed them);
    without Perm.REQUEST_REPORTS there is nothing, without Perm.VIEW_DRAFTS only reports of
    approved content.
    """
    if Perm.REQUEST_REPORTS not in perms:
        return Report.objects.none()
    reports = Report.objects.filter(workspace=workspace)
    if Perm.VIEW_DRAFTS not in perms:
        reports = reports.filter(rights_level=RightsLevel.APPROVED)
    return reports.select_related("workspace", "requested_by").order_by("-created_at", "-pk")


def report_of_workspace(*, workspace: Workspace, perms: frozenset[Perm], pk: Any) -> Report | None:
    """Report `pk` of `workspace` if the reader may open it, else None."""
    if not str(pk).isdigit():
        return None
    return report_list(workspace=workspace, perms=perms).filter(pk=pk).first()
