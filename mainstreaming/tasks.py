"""Thin Celery tasks of mainstreaming: ids in, one service call, safe to run twice.

`report_render_task` runs with late acknowledgement and reject-on-worker-lost (a worker killed
mid-render leaves the message to be delivered again), a hard time limit below the broker's
visibility timeout (settings), and retries with exponential backoff on transient errors.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .services import reports as report_services
from .services.schedules import (  # noqa: F401 - registered for the worker and beat
    report_schedule_notify_task,
    report_schedules_run_task,
)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# The soft limit lets a render fail with a human message before the hard limit kills it; kept
# positive when a test shortens the hard limit to a few seconds.
TIME_LIMIT = int(settings.CELERY_TASK_TIME_LIMIT)
SOFT_TIME_LIMIT = max(int(settings.CELERY_TASK_SOFT_TIME_LIMIT), TIME_LIMIT * 4 // 5)


class ReportRenderTask(Task):
    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Retries exhausted on a transient error: the report fails with a human message."""
        report_id = args[0] if args else kwargs.get("report_id")
        if report_id is not None:
            report_services.report_fail(
                report_id=int(report_id), message=report_services.FAILED_MESSAGE
            )


@shared_task(
    base=ReportRenderTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=SOFT_TIME_LIMIT,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def report_render_task(self: Task, report_id: int) -> None:
    """Render report `report_id` to PDF (nothing happens for a report already done)."""
    report_services.report_render(report_id=report_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def report_sweep_task() -> None:
    """Beat: re-queue reports stuck queued or running; fail those out of attempts."""
    report_services.report_sweep()
