"""Reads of coordination platforms, their seats, meetings, decisions and follow-ups.

Every selector works inside ONE workspace on which the reader's permissions are already known
(`WorkspaceMixin.perms`, the API's `workspace_perms`). A platform is reviewable content: readers
who may see drafts read every platform, others the approved ones (and contributors those shared
for consultation). A platform's seats, meetings, decisions and follow-ups are not reviewed on
their own: they are read by whoever may read their platform, so the meetings of a platform that
was never approved are drafts like the platform itself.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .choices import OPEN_FOLLOW_UP_STATUSES
from .coordination_models import Decision, FollowUp, Meeting, Platform, Seat
from .models import Membership, Organisation, Workspace
from .permissions import Perm


def readable_platform_condition(perms: frozenset[Perm], prefix: str = "") -> Q | None:
    """The filter on platforms (through `prefix`, e.g. "platform__") a reader holding `perms`
    may read; None when they may read every platform of the workspace.

    The rule of `permissions.can_read_item_with`, on the platform's own columns.
    """
    if Perm.VIEW_DRAFTS in perms:
        return None
    condition = Q(**{f"{prefix}approved_version__isnull": False})
    if Perm.COMMENT in perms:
        condition |= Q(**{f"{prefix}shared_for_consultation": True})
    return condition


def _readable[M: Any](
    queryset: QuerySet[M], perms: frozenset[Perm], prefix: str = ""
) -> QuerySet[M]:
    if Perm.ACCESS not in perms:
        return queryset.none()
    condition = readable_platform_condition(perms, prefix)
    return queryset if condition is None else queryset.filter(condition)


def platform_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Platform]:
    """The workspace's platforms the reader may read, with the joins of the review panel."""
    return (
        _readable(Platform.objects.filter(workspace=workspace), perms)
        .select_related("workspace", "chair", "approved_by", "submitted_by", "created_by")
        .order_by("name", "pk")
    )


def seat_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Seat]:
    return (
        _readable(Seat.objects.filter(workspace=workspace), perms, "platform__")
        .select_related("platform", "organisation", "workspace")
        .order_by("platform_id", "organisation__name", "pk")
    )


def meeting_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Meeting]:
    return (
        _readable(Meeting.objects.filter(workspace=workspace), perms, "platform__")
        .select_related("platform", "workspace", "created_by")
        .order_by("-starts_at", "-pk")
    )


def upcoming_meeting_list(
    *, workspace: Workspace, perms: frozenset[Perm], now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """Meetings that have not ended yet, soonest first (for the calendar export)."""
    now = now or timezone.now()
    return (
        meeting_list(workspace=workspace, perms=perms)
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))
        .order_by("starts_at", "pk")
    )


def decision_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Decision]:
    return (
        _readable(Decision.objects.filter(workspace=workspace), perms, "meeting__platform__")
        .select_related("meeting", "meeting__platform", "workspace")
        .order_by("meeting_id", "position", "pk")
    )


def follow_up_list(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    today: datetime.date | None = None,
) -> QuerySet[FollowUp]:
    """Every follow-up the reader may read, each with `is_overdue`; overdue ones first, then
    by due date (undated last)."""
    today = today or timezone.localdate()
    return (
        _readable(FollowUp.objects.filter(workspace=workspace), perms, "meeting__platform__")
        .select_related("meeting", "meeting__platform", "owner", "decision", "closed_by")
        .annotate(
            is_overdue=Case(
                When(
                    due_on__lt=today,
                    status__in=[status.value for status in OPEN_FOLLOW_UP_STATUSES],
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_overdue", F("due_on").asc(nulls_last=True), "pk")
    )


def open_follow_up_list(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    owner: Organisation | None = None,
    status: str = "",
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[FollowUp]:
    """The follow-ups still waiting (open or in progress), filtered by owner and status."""
    today = today or timezone.localdate()
    queryset = follow_up_list(workspace=workspace, perms=perms, today=today).filter(
        status__in=[s.value for s in OPEN_FOLLOW_UP_STATUSES]
    )
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:  # still waiting (above) and past the due date
        queryset = queryset.filter(due_on__lt=today)
    return queryset


def organisations_of(workspace: Workspace) -> QuerySet[Organisation]:
    """The workspace's organisations, for choices (seats, attendance, owners)."""
    return Organisation.objects.filter(workspace=workspace).order_by("name", "pk")


def organisations_by_id(workspace: Workspace) -> dict[int, Organisation]:
    return {organisation.pk: organisation for organisation in organisations_of(workspace)}


def member_organisation_id(*, user: Any, workspace: Workspace) -> int | None:
    """The organisation on whose behalf `user` is a member of `workspace` (None otherwise)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, workspace=workspace)
        .values_list("organisation_id", flat=True)
        .first()
    )


def with_owner_membership(
    queryset: QuerySet[FollowUp], *, user: Any, workspace: Workspace
) -> QuerySet[FollowUp]:
    """Annotate `owned_by_me`: the follow-up's owner is the reader's member organisation."""
    if not getattr(user, "is_authenticated", False):
        return queryset.annotate(owned_by_me=Value(False, output_field=BooleanField()))
    return queryset.annotate(
        owned_by_me=Exists(
            Membership.objects.filter(
                user=user, workspace=workspace, organisation_id=OuterRef("owner_id")
            )
        )
    )
