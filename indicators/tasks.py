"""Thin Celery tasks of the indicators app: ids in, one service call, safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import OperationalError
from django.utils.translation import gettext as _


class ImportTask(Task):
    """An import task that gives up for good marks its job as failed (nothing was written)."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        from .services.imports import import_job_fail

        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            import_job_fail(
                job_id=int(job_id),
                message=_("The import stopped with an error; nothing was written. Try again."),
            )


@shared_task(
    bind=True,
    base=ImportTask,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def import_job_check_task(self: Task, job_id: int) -> None:
    """Check every row of an uploaded file (the job ends invalid or ready)."""
    from .services.imports import import_job_check

    import_job_check(job_id=job_id)


@shared_task(
    bind=True,
    base=ImportTask,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def import_job_run_task(self: Task, job_id: int) -> None:
    """Write a committed import, all or nothing."""
    from .services.imports import import_job_run

    import_job_run(job_id=job_id)
