"""Reads of data requests: who still owes what.

Who reads them: those who see drafts (coordinators, editors, reviewers) read every request of
the workspace; those who answer for an organisation (contributors) read the requests asked of
their own organisation; observers and readers from a national workspace read none.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from indicators.models import Observation
from stakeholders.models import Organisation, Workspace
from stakeholders.permissions import Perm

from ..choices import RequestStatus
from ..models import DataRequest


def workspace_today(workspace: Workspace) -> datetime.date:
    """Today's date in the workspace's time zone (a request is overdue the day after it is due
    there, wherever the server is)."""
    try:
        zone = zoneinfo.ZoneInfo(workspace.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def may_read_requests(perms: frozenset[Perm]) -> bool:
    return Perm.ACCESS in perms and (Perm.VIEW_DRAFTS in perms or Perm.ANSWER_REQUESTS in perms)


def data_request_list(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    organisation_id: int | None,
    today: datetime.date | None = None,
) -> QuerySet[DataRequest]:
    """The requests the reader may read, each with `is_overdue`; open and overdue first, then
    open by due date, then answered and cancelled ones (latest due first)."""
    today = today or workspace_today(workspace)
    queryset = DataRequest.objects.filter(workspace=workspace)
    if not may_read_requests(perms):
        return queryset.none()
    if Perm.VIEW_DRAFTS not in perms:
        if organisation_id is None:
            return queryset.none()
        queryset = queryset.filter(organisation_id=organisation_id)
    return (
        queryset.select_related(
            "organisation",
            "edition",
            "section",
            "indicator",
            "requested_by",
            "answered_by",
            "workspace",
        )
        .annotate(
            is_overdue=Case(
                When(status=RequestStatus.OPEN, due_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_open=Case(
                When(status=RequestStatus.OPEN, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-is_overdue", "-is_open", "due_on", "pk")
    )


def filter_requests(
    queryset: QuerySet[DataRequest],
    *,
    organisation: str = "",
    status: str = "",
    edition: str = "",
    today: datetime.date,
) -> QuerySet[DataRequest]:
    """Filters of the list page and the endpoint; `status` may also be `overdue` (open and
    due before `today`, the workspace's date)."""
    if organisation.isdigit():
        queryset = queryset.filter(organisation_id=int(organisation))
    if edition.isdigit():
        queryset = queryset.filter(edition_id=int(edition))
    if status == "overdue":
        queryset = queryset.filter(status=RequestStatus.OPEN, due_on__lt=today)
    elif status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def owed_by_organisation(queryset: QuerySet[DataRequest]) -> list[dict[str, Any]]:
    """Per organisation: how many requests are open and how many of those overdue (one query)."""
    rows = (
        queryset.filter(status=RequestStatus.OPEN)
        .order_by()
        .values("organisation_id", "organisation__name")
        .annotate(open_count=Count("pk"), overdue_count=Count("pk", filter=Q(is_overdue=True)))
        .order_by("-overdue_count", "organisation__name")
    )
    return [
        {
            "organisation_id": row["organisation_id"],
            "name": row["organisation__name"],
            "open": row["open_count"],
            "overdue": row["overdue_count"],
        }
        for row in rows
    ]


def open_request_count(*, workspace: Workspace, edition_id: int) -> int:
    """Open requests of one edition (for the edition page)."""
    return DataRequest.objects.filter(
        workspace=workspace, edition_id=edition_id, status=RequestStatus.OPEN
    ).count()


def answerable_observations(request: DataRequest) -> QuerySet[Observation]:
    """The workspace's values an answer may link: of the requested indicator when there is one."""
    queryset = Observation.objects.filter(workspace_id=request.workspace_id)
    if request.indicator_id is not None:
        queryset = queryset.filter(indicator_id=request.indicator_id)
    return queryset.select_related("indicator").order_by("indicator__code", "period", "pk")


def organisations_of(workspace: Workspace) -> QuerySet[Organisation]:
    return Organisation.objects.filter(workspace=workspace).order_by("name", "pk")
