"""Scheduled reports: services, the beat entry under a controlled clock, subscriber e-mails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.celery import app as celery_app
from mainstreaming.choices import ReportKind, ReportStatus, RightsLevel, ScheduleFrequency
from mainstreaming.models import Report, ReportSchedule
from mainstreaming.services import schedules as services
from tests.indicators.import_factories import indicator

pytestmark = pytest.mark.django_db


def _schedule(world, **extra) -> ReportSchedule:
    fields = {
        "actor": world["coordinator"],
        "workspace": world.workspace,
        "kind": ReportKind.INDICATOR_FACT_SHEET,
        "parameters": {"indicator": indicator("GOV-02").pk},
        "frequency": ScheduleFrequency.QUARTERLY,
        "subscribers": [world["observer"], world["editor"]],
    }
    fields.update(extra)
    return services.schedule_create(**fields)


@pytest.mark.parametrize(
    ("frequency", "today", "start"),
    [
        ("monthly", "2026-05-17", "2026-05-01"),
        ("monthly", "2026-01-01", "2026-01-01"),
        ("quarterly", "2026-05-17", "2026-04-01"),
        ("quarterly", "2026-03-31", "2026-01-01"),
        ("quarterly", "2026-12-01", "2026-10-01"),
    ],
)
def test_period_start(frequency, today, start):
    from datetime import date

    assert services.period_start(frequency, date.fromisoformat(today)) == date.fromisoformat(start)


def test_schedule_create_only_by_coordinator(world):
    schedule = _schedule(world)
    assert schedule.rights_level == RightsLevel.APPROVED
    assert set(schedule.subscribers.all()) == {world["observer"], world["editor"]}
    with pytest.raises(PermissionDenied):
        _schedule(world, actor=world["editor"])


def test_schedule_drafts_level_refuses_observer_subscriber(world):
    with pytest.raises(ValidationError):
        _schedule(world, rights_level=RightsLevel.DRAFTS, subscribers=[world["observer"]])
    schedule = _schedule(world, rights_level=RightsLevel.DRAFTS, subscribers=[world["editor"]])
    assert list(schedule.subscribers.all()) == [world["editor"]]


def test_schedule_subscribers_must_be_members(world):
    with pytest.raises(ValidationError):
        _schedule(world, subscribers=[world["outsider"]])


def test_schedule_subscribe_and_unsubscribe(world):
    schedule = _schedule(world, subscribers=[])
    services.schedule_subscribe(actor=world["contributor"], schedule=schedule)
    assert list(schedule.subscribers.all()) == [world["contributor"]]
    services.schedule_unsubscribe(actor=world["contributor"], schedule=schedule)
    assert list(schedule.subscribers.all()) == []
    with pytest.raises(PermissionDenied):
        services.schedule_subscribe(actor=world["outsider"], schedule=schedule)
    drafts = _schedule(world, rights_level=RightsLevel.DRAFTS, subscribers=[])
    with pytest.raises(PermissionDenied):
        services.schedule_subscribe(actor=world["observer"], schedule=drafts)
    services.schedule_subscribe(actor=world["reviewer"], schedule=drafts)
    assert list(drafts.subscribers.all()) == [world["reviewer"]]


def test_schedule_update_and_delete(world):
    schedule = _schedule(world)
    services.schedule_update(
        actor=world["coordinator"], schedule=schedule, frequency=ScheduleFrequency.MONTHLY
    )
    schedule.refresh_from_db()
    assert schedule.frequency == ScheduleFrequency.MONTHLY
    # Raising the level to drafts drops the observer, keeps the editor.
    services.schedule_update(
        actor=world["coordinator"], schedule=schedule, rights_level=RightsLevel.DRAFTS
    )
    assert list(schedule.subscribers.all()) == [world["editor"]]
    with pytest.raises(PermissionDenied):
        services.schedule_delete(actor=world["editor"], schedule=schedule)
    services.schedule_delete(actor=world["coordinator"], schedule=schedule)
    assert not ReportSchedule.objects.filter(pk=schedule.pk).exists()


def test_beat_entry_names_the_schedules_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["run-report-schedules"]
    assert entry["task"] == "mainstreaming.report_schedules_run_task"
    schedule = entry["schedule"]
    # Daily at 00:15 UTC.
    assert schedule.hour == {0} and schedule.minute == {15}
    assert schedule.day_of_month == set(range(1, 32))
    assert entry["task"] in celery_app.tasks


def _beat_fires(at: str) -> None:
    """Call the task the beat entry names, with the clock at `at`."""
    task = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE["run-report-schedules"]["task"]]
    with time_machine.travel(datetime.fromisoformat(at).replace(tzinfo=UTC), tick=False):
        task.apply()


def test_beat_produces_scheduled_report_under_controlled_clock(world):
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=UTC), tick=False):
        schedule = _schedule(world)
    monthly = _schedule(
        world,
        frequency=ScheduleFrequency.MONTHLY,
        parameters={"indicator": indicator("ECO-02").pk},
        subscribers=[],
    )
    ReportSchedule.objects.filter(pk=monthly.pk).update(
        last_run_at=datetime(2026, 4, 1, 0, 15, tzinfo=UTC)
    )

    _beat_fires("2026-04-01T00:15:00")
    reports = list(Report.objects.filter(schedule=schedule))
    assert len(reports) == 1
    report = reports[0]
    assert report.rights_level == RightsLevel.APPROVED  # the coordinator's rights, capped
    assert report.requested_by == world["coordinator"]
    assert report.kind == ReportKind.INDICATOR_FACT_SHEET
    # The monthly one was produced already this month: nothing new.
    assert not Report.objects.filter(schedule=monthly).exists()

    # Later the same quarter: not due again (even with the first report finished).
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
    _beat_fires("2026-04-02T00:15:00")
    _beat_fires("2026-06-30T00:15:00")
    assert Report.objects.filter(schedule=schedule).count() == 1

    # Next month the monthly one is due; next quarter the quarterly one.
    _beat_fires("2026-05-01T00:15:00")
    assert Report.objects.filter(schedule=monthly).count() == 1
    _beat_fires("2026-07-01T00:15:00")
    assert Report.objects.filter(schedule=schedule).count() == 2
    schedule.refresh_from_db()
    assert schedule.last_run_at == datetime(2026, 7, 1, 0, 15, tzinfo=UTC)


def test_beat_skips_inactive_schedules(world):
    schedule = _schedule(world)
    ReportSchedule.objects.filter(pk=schedule.pk).update(active=False)
    _beat_fires("2026-04-01T00:15:00")
    assert not Report.objects.filter(schedule=schedule).exists()


def test_notify_one_email_per_subscriber_only_after_done(world):
    for name in ("observer", "editor", "contributor"):
        world[name].email = f"{name}@example.org"
        world[name].save()
    schedule = _schedule(world, subscribers=[world["observer"], world["editor"]])
    _beat_fires("2026-04-01T00:15:00")
    report = Report.objects.get(schedule=schedule)
    mail.outbox.clear()
    with pytest.raises(services.ReportNotReady):
        services.report_schedule_notify(report_id=report.pk)
    assert mail.outbox == []

    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
    assert services.report_schedule_notify(report_id=report.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "observer@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    link = f"/w/national/reports/{report.pk}/"
    assert all(link in m.body for m in mail.outbox)


def test_notify_failed_report_sends_nothing(world):
    world["observer"].email = "observer@example.org"
    world["observer"].save()
    schedule = _schedule(world, subscribers=[world["observer"]])
    _beat_fires("2026-04-01T00:15:00")
    report = Report.objects.get(schedule=schedule)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
    mail.outbox.clear()
    assert services.report_schedule_notify(report_id=report.pk) == 0
    assert mail.outbox == []


def test_notify_drafts_report_never_reaches_observer(world):
    """An observer added to a drafts-level schedule by hand (bypassing the service) still gets
    nothing; the editor (positive control) does."""
    for name in ("observer", "editor"):
        world[name].email = f"{name}@example.org"
        world[name].save()
    schedule = _schedule(world, rights_level=RightsLevel.DRAFTS, subscribers=[world["editor"]])
    schedule.subscribers.add(world["observer"])
    _beat_fires("2026-04-01T00:15:00")
    report = Report.objects.get(schedule=schedule)
    assert report.rights_level == RightsLevel.DRAFTS
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
    mail.outbox.clear()
    assert services.report_schedule_notify(report_id=report.pk) == 1
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
