"""Helpers that build platforms, seats, meetings, decisions and follow-ups through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stakeholders.choices import PlatformKind, Role
from stakeholders.coordination_models import Decision, FollowUp, Meeting, Platform, Seat
from stakeholders.models import Membership, Organisation, User, Workspace
from stakeholders.platforms_services import (
    decision_create,
    follow_up_create,
    meeting_create,
    platform_create,
    seat_create,
)
from stakeholders.review import review_approve, review_submit


def coordinator_of(workspace: Workspace) -> User:
    membership = Membership.objects.filter(workspace=workspace, role=Role.COORDINATOR).first()
    assert membership is not None, "the workspace needs a coordinator"
    return membership.user


def reviewer_pair(workspace: Workspace) -> tuple[User, User]:
    """Someone who submits (an editor or the coordinator) and someone else who approves."""
    submitter = (
        Membership.objects.filter(workspace=workspace, role=Role.EDITOR).first()
        or Membership.objects.filter(workspace=workspace, role=Role.COORDINATOR).first()
    )
    approver = Membership.objects.filter(workspace=workspace, role=Role.REVIEWER).first()
    assert submitter is not None and approver is not None
    return submitter.user, approver.user


def organisation_of(user: User, workspace: Workspace) -> Organisation:
    return Membership.objects.get(user=user, workspace=workspace).organisation


def make_platform(
    workspace: Workspace,
    *,
    actor: User | None = None,
    name: str = "National working group on migration and development",
    approved: bool = False,
    **values: Any,
) -> Platform:
    actor = actor or coordinator_of(workspace)
    values.setdefault("kind", PlatformKind.INTER_MINISTERIAL)
    values.setdefault("mandate", "Coordinate the **mainstreaming** of migration.")
    platform = platform_create(actor=actor, workspace=workspace, name=name, **values)
    if approved:
        approve(platform)
    return platform


def approve(platform: Platform) -> Platform:
    submitter, approver = reviewer_pair(platform.workspace)
    review_submit(actor=submitter, items=platform)
    review_approve(actor=approver, items=platform)
    platform.refresh_from_db()
    return platform


def make_seat(platform: Platform, organisation: Organisation, **values: Any) -> Seat:
    return seat_create(
        actor=coordinator_of(platform.workspace),
        platform=platform,
        organisation=organisation,
        **values,
    )


def make_meeting(
    platform: Platform,
    *,
    title: str = "Ordinary meeting",
    starts_at: datetime.datetime | None = None,
    **values: Any,
) -> Meeting:
    return meeting_create(
        actor=coordinator_of(platform.workspace),
        platform=platform,
        title=title,
        starts_at=starts_at or timezone.now() - datetime.timedelta(days=7),
        **values,
    )


def make_decision(meeting: Meeting, text: str = "Adopt the work plan.") -> Decision:
    return decision_create(actor=coordinator_of(meeting.workspace), meeting=meeting, text=text)


def make_follow_up(
    meeting: Meeting, owner: Organisation, *, title: str = "Circulate the minutes", **values: Any
) -> FollowUp:
    return follow_up_create(
        actor=coordinator_of(meeting.workspace),
        meeting=meeting,
        title=title,
        owner=owner,
        **values,
    )
