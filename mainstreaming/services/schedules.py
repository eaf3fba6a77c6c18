"""Scheduled reports: a coordinator's monthly or quarterly report, produced by Celery beat, and
the e-mails to its subscribers when it is ready.

Who: schedules are managed by holders of `Perm.PUBLISH` (coordinators) — a schedule sends
documents out of the workspace to its subscribers, which is a publishing decision. Any member
with `Perm.REQUEST_REPORTS` may subscribe to an approved-level schedule; a drafts-level schedule
only takes subscribers who see drafts.

When ("due"): a schedule is due when it is active and has not been produced in the current
period — for monthly, the calendar month; for quarterly, the quarter starting 1 January,
1 April, 1 July or 1 October — counted in UTC (the beat's time zone). The daily beat task
`report_schedules_run_task` therefore produces each report on the first day of its period
(or on the first run after that day, if the beat was down).

Rights: the report is requested as the schedule's creator, at the schedule's rights level
(never above the creator's own: T1's `report_request` refuses that). A schedule whose creator
lost the right to request reports produces nothing that period.

E-mails: once the report is done, each subscriber who may still read it gets one e-mail with
the link, in their preferred language. The notify task waits for the report (it retries while
the report is queued or running) and sends nothing for a failed report. Delivery is at least
once: a worker killed between two e-mails sends the rest again on redelivery.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders.models import Membership, User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..choices import ReportStatus, RightsLevel, ScheduleFrequency
from ..models import Report, ReportSchedule

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = ("kind", "parameters", "frequency", "rights_level", "language", "active")
NOTIFY_RETRY_SECONDS = 120
NOTIFY_MAX_RETRIES = 360  # twelve hours of waiting for a report to be done


# When a schedule is due ------------------------------------------------------------------------


def period_start(frequency: str, today: date) -> date:
    """The first day of the month or quarter holding `today`."""
    if frequency == ScheduleFrequency.QUARTERLY:
        return date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return date(today.year, today.month, 1)


def schedule_is_due(schedule: ReportSchedule, now: datetime) -> bool:
    if not schedule.active:
        return False
    start = period_start(schedule.frequency, now.astimezone(UTC).date())
    last = schedule.last_run_at
    return last is None or last.astimezone(UTC).date() < start


# Who may be a subscriber -----------------------------------------------------------------------


def may_subscribe(perms: frozenset[Perm], rights_level: str) -> bool:
    if Perm.REQUEST_REPORTS not in perms:
        return False
    return rights_level == RightsLevel.APPROVED or Perm.VIEW_DRAFTS in perms


def subscriber_candidates(workspace: Workspace, rights_level: str) -> list[User]:
    """Members of the workspace who may subscribe to a schedule of `rights_level`."""
    from stakeholders.permissions import ROLE_PERMS

    memberships = (
        Membership.objects.filter(workspace=workspace, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    return [
        membership.user
        for membership in memberships
        if may_subscribe(ROLE_PERMS.get(membership.role, frozenset()), rights_level)
    ]


def _check_subscribers(
    workspace: Workspace, rights_level: str, subscribers: Iterable[User]
) -> None:
    allowed = {user.pk for user in subscriber_candidates(workspace, rights_level)}
    if any(user.pk not in allowed for user in subscribers):
        raise ValidationError(
            {"subscribers": _("Choose subscribers among the members who may read this report.")},
            code="invalid_subscriber",
        )


# Writes ----------------------------------------------------------------------------------------


def _clean(
    *, actor: User, workspace: Workspace, kind: str, parameters: dict[str, Any], rights_level: str
) -> dict[str, Any]:
    from .reports import report_parameters_clean

    perms = workspace_perms(actor, workspace)
    if Perm.PUBLISH not in perms:
        raise PermissionDenied
    if rights_level == RightsLevel.DRAFTS and Perm.VIEW_DRAFTS not in perms:
        raise ValidationError(
            {"rights_level": _("You may not schedule a report with drafts included.")},
            code="rights_above_requester",
        )
    reading = perms if rights_level == RightsLevel.DRAFTS else perms - {Perm.VIEW_DRAFTS}
    return report_parameters_clean(
        workspace=workspace, kind=kind, parameters=parameters, perms=reading
    )


@transaction.atomic
def schedule_create(
    *,
    actor: User,
    workspace: Workspace,
    kind: str,
    parameters: dict[str, Any],
    frequency: str,
    rights_level: str = RightsLevel.APPROVED,
    language: str = "en",
    subscribers: Iterable[User] = (),
) -> ReportSchedule:
    cleaned = _clean(
        actor=actor,
        workspace=workspace,
        kind=kind,
        parameters=parameters,
        rights_level=rights_level,
    )
    subscribers = list(subscribers)
    _check_subscribers(workspace, rights_level, subscribers)
    schedule = ReportSchedule(
        workspace=workspace,
        kind=kind,
        parameters=cleaned,
        frequency=frequency,
        rights_level=rights_level,
        language=language,
        created_by=actor,
    )
    schedule.full_clean()
    schedule.save()
    schedule.subscribers.set(subscribers)
    return schedule


@transaction.atomic
def schedule_update(
    *,
    actor: User,
    schedule: ReportSchedule,
    subscribers: Iterable[User] | None = None,
    **fields: Any,
) -> ReportSchedule:
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(schedule, name, value)
    schedule.parameters = _clean(
        actor=actor,
        workspace=schedule.workspace,
        kind=schedule.kind,
        parameters=schedule.parameters,
        rights_level=schedule.rights_level,
    )
    if subscribers is not None:
        subscribers = list(subscribers)
        _check_subscribers(schedule.workspace, schedule.rights_level, subscribers)
    elif schedule.rights_level == RightsLevel.DRAFTS:
        # Raising the level drops the subscribers who would not be allowed to read it.
        allowed = subscriber_candidates(schedule.workspace, schedule.rights_level)
        subscribers = [user for user in schedule.subscribers.all() if user in allowed]
    schedule.full_clean()
    schedule.save()
    if subscribers is not None:
        schedule.subscribers.set(subscribers)
    return schedule


@transaction.atomic
def schedule_delete(*, actor: User, schedule: ReportSchedule) -> None:
    """Delete a schedule; the reports it produced stay in the archive."""
    if Perm.PUBLISH not in workspace_perms(actor, schedule.workspace):
        raise PermissionDenied
    schedule.delete()


def schedule_subscribe(*, actor: User, schedule: ReportSchedule) -> ReportSchedule:
    if not may_subscribe(workspace_perms(actor, schedule.workspace), schedule.rights_level):
        raise PermissionDenied
    schedule.subscribers.add(actor)
    return schedule


def schedule_unsubscribe(*, actor: User, schedule: ReportSchedule) -> ReportSchedule:
    schedule.subscribers.remove(actor)
    return schedule


# Beat: producing the due reports ---------------------------------------------------------------


def report_schedules_run(*, now: datetime | None = None) -> list[Report]:
    """Request the report of every due schedule (each schedule claimed once per period)."""
    from .reports import report_request

    now = now or timezone.now()
    produced: list[Report] = []
    schedules = ReportSchedule.objects.filter(active=True).select_related("workspace", "created_by")
    for schedule in schedules:
        if not schedule_is_due(schedule, now):
            continue
        with transaction.atomic():
            # Claimed by a conditional update: two beats running at once produce it once.
            claimed = ReportSchedule.objects.filter(
                pk=schedule.pk, last_run_at=schedule.last_run_at
            ).update(last_run_at=now)
            if not claimed:
                continue
            if schedule.created_by is None:
                logger.warning("Schedule %s has no creator: nothing produced", schedule.pk)
                continue
            try:
                with transaction.atomic():
                    report, _created = report_request(
                        actor=schedule.created_by,
                        workspace=schedule.workspace,
                        kind=schedule.kind,
                        parameters=schedule.parameters,
                        language=schedule.language,
                        rights_level=schedule.rights_level,
                        schedule=schedule,
                    )
            except (PermissionDenied, ValidationError) as error:
                logger.warning("Schedule %s produced nothing: %s", schedule.pk, error)
                continue
            produced.append(report)
            transaction.on_commit(partial(_enqueue_notify, report.pk))
    return produced


def _enqueue_notify(report_id: int) -> None:
    report_schedule_notify_task.apply_async((report_id,), countdown=NOTIFY_RETRY_SECONDS)


# E-mails to subscribers ------------------------------------------------------------------------


class ReportNotReady(Exception):
    """The report is still queued or running: try again later."""


def report_url(report: Report) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "mainstreaming:report_detail", kwargs={"slug": report.workspace.slug, "pk": report.pk}
    )


def report_schedule_notify(*, report_id: int) -> int:
    """E-mail each subscriber who may read the done report its link; the number of e-mails.

    Raises `ReportNotReady` while the report is queued or running; a failed report (or one
    without a schedule) sends nothing.
    """
    report = Report.objects.select_related("workspace", "schedule").filter(pk=report_id).first()
    if report is None or report.schedule is None:
        return 0
    if report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        raise ReportNotReady(report_id)
    if report.status != ReportStatus.DONE:
        return 0
    sent = 0
    url = report_url(report)
    for user in report.schedule.subscribers.filter(is_active=True).order_by("pk"):
        if not user.email:
            continue
        perms = workspace_perms(user, report.workspace)
        if not may_subscribe(perms, report.rights_level):
            continue  # left the workspace, or the report holds drafts they may not read
        language = getattr(user, "preferred_language", "") or report.language
        with translation.override(language):
            context = {"report": report, "url": url, "user": user}
            subject = render_to_string("reports/schedules/email_subject.txt", context).strip()
            body = render_to_string("reports/schedules/email_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


# Tasks (registered with the worker through mainstreaming/tasks.py) -----------------------------


@shared_task(name="mainstreaming.report_schedules_run_task", acks_late=True)
def report_schedules_run_task() -> int:
    """Beat, daily: request the reports of the schedules that are due."""
    return len(report_schedules_run())


@shared_task(
    bind=True,
    name="mainstreaming.report_schedule_notify_task",
    acks_late=True,
    max_retries=NOTIFY_MAX_RETRIES,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
)
def report_schedule_notify_task(self: Task, report_id: int) -> int:
    """E-mail the subscribers once the report is done (waits while it is being written)."""
    try:
        return report_schedule_notify(report_id=report_id)
    except ReportNotReady as waiting:
        raise self.retry(countdown=NOTIFY_RETRY_SECONDS, exc=waiting) from waiting
