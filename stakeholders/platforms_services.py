"""Writes of coordination platforms, seats, meetings, decisions and follow-ups.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history. A platform's content changes through `stakeholders.review.review_edit` (its mandate and
terms of reference are reviewed); seats, meetings, decisions and follow-ups are working records
changed by editors (Perm.EDIT). A follow-up's status may also be changed by a member whose
organisation owns it (DESIGN §3: "close a follow-up owned by their organisation").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import OPEN_FOLLOW_UP_STATUSES, FollowUpStatus, SeatKind
from .coordination_models import Decision, FollowUp, Meeting, Platform, Seat
from .models import Membership, Organisation, User, Workspace
from .permissions import Perm, workspace_perms


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require(actor: User, perm: Perm, workspace: Workspace) -> frozenset[Perm]:
    perms = workspace_perms(actor, workspace)
    if perm not in perms:
        raise PermissionDenied
    return perms


def _delete(obj: Any, *, actor: User) -> None:
    obj._history_user = actor
    obj.delete()


# Platforms -------------------------------------------------------------------------------------


@transaction.atomic
def platform_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    kind: str,
    mandate: str = "",
    terms_of_reference: str = "",
    legal_basis: str = "",
    established_on: datetime.date | None = None,
    chair: Organisation | None = None,
) -> Platform:
    """Set up a platform (a draft until it is approved through the review mechanism)."""
    _require(actor, Perm.EDIT, workspace)
    platform = Platform(
        workspace=workspace,
        name=name,
        kind=kind,
        mandate=mandate,
        terms_of_reference=terms_of_reference,
        legal_basis=legal_basis,
        established_on=established_on,
        chair=chair,
        created_by=actor,
    )
    platform.lock_version = 1
    _save(platform, actor=actor)
    return platform


def platform_may_delete(*, platform: Platform, perms: frozenset[Perm]) -> bool:
    """Editors delete a platform that was never approved; one approved once is part of the
    record and only a coordinator removes it. Agrees with `platform_delete`."""
    if Perm.EDIT not in perms:
        return False
    return platform.approved_version is None or Perm.MANAGE_WORKSPACE in perms


@transaction.atomic
def platform_delete(*, actor: User, platform: Platform) -> None:
    """Delete a platform with its seats, meetings, decisions and follow-ups."""
    perms = workspace_perms(actor, platform.workspace)
    if not platform_may_delete(platform=platform, perms=perms):
        raise PermissionDenied
    _delete(platform, actor=actor)


# Seats -----------------------------------------------------------------------------------------


@transaction.atomic
def seat_create(
    *,
    actor: User,
    platform: Platform,
    organisation: Organisation,
    person: str = "",
    kind: str = SeatKind.MEMBER,
    focal_point: bool = False,
) -> Seat:
    """Give an organisation a seat on the platform (one seat per organisation)."""
    _require(actor, Perm.EDIT, platform.workspace)
    seat = Seat(
        platform=platform,
        workspace=platform.workspace,
        organisation=organisation,
        person=person,
        kind=kind,
        focal_point=focal_point,
    )
    _save(seat, actor=actor)
    return seat


@transaction.atomic
def seat_update(*, actor: User, seat: Seat, **changes: Any) -> Seat:
    _require(actor, Perm.EDIT, seat.workspace)
    allowed = {"organisation", "person", "kind", "focal_point"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    for name, value in changes.items():
        setattr(seat, name, value)
    _save(seat, actor=actor)
    return seat


@transaction.atomic
def seat_delete(*, actor: User, seat: Seat) -> None:
    _require(actor, Perm.EDIT, seat.workspace)
    _delete(seat, actor=actor)


# Meetings --------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    platform: Platform,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    location: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[Organisation] = (),
) -> Meeting:
    """Record a meeting of the platform with the organisations present."""
    _require(actor, Perm.EDIT, platform.workspace)
    meeting = Meeting(
        platform=platform,
        workspace=platform.workspace,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        agenda=agenda,
        minutes=minutes,
        created_by=actor,
    )
    _save(meeting, actor=actor)
    _set_attendees(meeting, attendees)
    return meeting


def _set_attendees(meeting: Meeting, attendees: Iterable[Organisation]) -> None:
    chosen = list(attendees)
    if any(organisation.workspace_id != meeting.workspace_id for organisation in chosen):
        raise ValidationError({"attendees": _("Choose organisations of this workspace.")})
    meeting.attendees.set(chosen)


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    attendees: Iterable[Organisation] | None = None,
    **changes: Any,
) -> Meeting:
    _require(actor, Perm.EDIT, meeting.workspace)
    allowed = {"title", "starts_at", "ends_at", "location", "agenda", "minutes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    for name, value in changes.items():
        setattr(meeting, name, value)
    _save(meeting, actor=actor)
    if attendees is not None:
        _set_attendees(meeting, attendees)
    return meeting


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Delete a meeting with its decisions and follow-ups."""
    _require(actor, Perm.EDIT, meeting.workspace)
    for follow_up in FollowUp.objects.filter(meeting=meeting):
        _delete(follow_up, actor=actor)
    _delete(meeting, actor=actor)


# Decisions -------------------------------------------------------------------------------------


@transaction.atomic
def decision_create(*, actor: User, meeting: Meeting, text: str) -> Decision:
    """Record a decision at the end of the meeting's list."""
    _require(actor, Perm.EDIT, meeting.workspace)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    last = Decision.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    decision = Decision(
        meeting=meeting,
        workspace=meeting.workspace,
        text=text,
        position=0 if last is None else last + 1,
    )
    _save(decision, actor=actor)
    return decision


@transaction.atomic
def decision_update(
    *, actor: User, decision: Decision, text: str, position: int | None = None
) -> Decision:
    _require(actor, Perm.EDIT, decision.workspace)
    decision.text = text
    if position is not None:
        decision.position = position
    _save(decision, actor=actor)
    return decision


@transaction.atomic
def decision_delete(*, actor: User, decision: Decision) -> None:
    """Remove a decision; its follow-ups stay, without a decision."""
    _require(actor, Perm.EDIT, decision.workspace)
    _delete(decision, actor=actor)


# Follow-ups ------------------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    owner: Organisation,
    due_on: datetime.date | None = None,
    status: str = FollowUpStatus.OPEN,
    note: str = "",
    decision: Decision | None = None,
) -> FollowUp:
    """Record an action agreed at the meeting, owned by one organisation."""
    _require(actor, Perm.EDIT, meeting.workspace)
    follow_up = FollowUp(
        meeting=meeting,
        workspace=meeting.workspace,
        title=title,
        owner=owner,
        due_on=due_on,
        status=status,
        note=note,
        decision=decision,
    )
    _record_closing(follow_up, actor=actor, previous=FollowUpStatus.OPEN)
    _save(follow_up, actor=actor)
    return follow_up


@transaction.atomic
def follow_up_update(*, actor: User, follow_up: FollowUp, **changes: Any) -> FollowUp:
    """Change a follow-up's action, owner, due date, decision, status or note (editors)."""
    _require(actor, Perm.EDIT, follow_up.workspace)
    allowed = {"title", "owner", "due_on", "status", "note", "decision"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    previous = follow_up.status
    for name, value in changes.items():
        setattr(follow_up, name, value)
    _record_closing(follow_up, actor=actor, previous=previous)
    _save(follow_up, actor=actor)
    return follow_up


def follow_up_may_set_status(
    *, follow_up: FollowUp, perms: frozenset[Perm], member_organisation_id: int | None
) -> bool:
    """May someone holding `perms`, member for `member_organisation_id`, change the status?

    Editors and coordinators anywhere in their workspace; contributors (who answer for their
    organisation) only for the follow-ups their organisation owns. Agrees with
    `follow_up_set_status`.
    """
    if Perm.EDIT in perms:
        return True
    return (
        Perm.ANSWER_REQUESTS in perms
        and member_organisation_id is not None
        and member_organisation_id == follow_up.owner_id
    )


@transaction.atomic
def follow_up_set_status(
    *, actor: User, follow_up: FollowUp, status: str, note: str | None = None
) -> FollowUp:
    """Mark a follow-up in progress, done or cancelled, or reopen it; closing records who and
    when, reopening clears it."""
    perms = workspace_perms(actor, follow_up.workspace)
    organisation_id = (
        Membership.objects.filter(user=actor, workspace=follow_up.workspace)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if not follow_up_may_set_status(
        follow_up=follow_up, perms=perms, member_organisation_id=organisation_id
    ):
        raise PermissionDenied
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    previous = follow_up.status
    follow_up.status = status
    if note is not None:
        follow_up.note = note
    _record_closing(follow_up, actor=actor, previous=previous)
    _save(follow_up, actor=actor)
    return follow_up


def _record_closing(follow_up: FollowUp, *, actor: User, previous: str) -> None:
    still_open = follow_up.status in OPEN_FOLLOW_UP_STATUSES
    if still_open:
        follow_up.closed_at = None
        follow_up.closed_by = None
    elif previous in OPEN_FOLLOW_UP_STATUSES or follow_up.closed_at is None:
        follow_up.closed_at = timezone.now()
        follow_up.closed_by = actor


@transaction.atomic
def follow_up_delete(*, actor: User, follow_up: FollowUp) -> None:
    _require(actor, Perm.EDIT, follow_up.workspace)
    _delete(follow_up, actor=actor)
