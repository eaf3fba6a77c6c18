"""Failure injection: the worker's pool process is killed (SIGKILL) while it renders a report;
the report is still produced exactly once after a worker runs again.

The task is held at the test hook (REPORT_TEST_HOLD_FILE: it writes "started attempt N" and
waits until the file is removed), so the kill provably happens mid-task. The broker's
visibility timeout and the task's time limit are shortened for the test (time limit below the
visibility timeout, as in production). Needs Redis (the filesystem transport has no
visibility timeout): a missing Redis is a failure when REQUIRE_SERVICES=1, a skip otherwise.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from mainstreaming.choices import ReportKind, ReportStatus
from mainstreaming.models import Report
from mainstreaming.services.reports import report_request
from tests.conftest import services_required
from tests.mainstreaming.planning_factories import make_cycle
from tests.worker import CeleryWorkerProcess

TIME_LIMIT = "20"  # seconds; the soft limit is 16
VISIBILITY_TIMEOUT = "25"


def redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means no usable Redis
        if services_required():
            pytest.fail(f"Redis is required (REQUIRE_SERVICES=1) but {url} failed: {error}")
        pytest.skip(f"needs Redis at {url}")
    return url


def wait_for(condition, timeout: float, what: str, worker: CeleryWorkerProcess | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}." + (f"\n{worker.log()}" if worker else ""))


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_killed_pool_process_report_produced_exactly_once(
    world, settings, tmp_path, tmp_path_factory
):
    settings.REDIS_URL = redis_url_or_skip()
    hold = tmp_path / "hold"
    env = {
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_TIME_LIMIT": TIME_LIMIT,
        "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
    }
    first = CeleryWorkerProcess(
        tmp_path_factory.mktemp("worker"),
        pool="prefork",
        REPORT_TEST_HOLD_FILE=str(hold),
        **env,
    )
    second = CeleryWorkerProcess(tmp_path_factory.mktemp("worker"), pool="solo", **env)
    second.queue = first.queue  # the second worker takes over the first one's queue
    try:
        first.start()
        cycle = make_cycle(world, title="Cycle rendered once")
        report, _created = report_request(
            actor=world["observer"],
            workspace=world.workspace,
            kind=ReportKind.CYCLE_PROGRESS,
            parameters={"cycle": cycle.pk},
        )

        # The task is running, held at the hook: kill the pool process (not the main one).
        wait_for(
            lambda: hold.exists() and hold.read_text() == "started attempt 1", 60, "hold", first
        )
        report.refresh_from_db()
        assert (report.status, report.attempts, report.file.name) == ("running", 1, "")
        [child] = pool_children(first.pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: not alive(child), 10, "the pool process to die")
        assert alive(first.pid)  # only the pool process was killed
        # Killed mid-task: still running, the hook never released, no file.
        report.refresh_from_db()
        assert report.status == ReportStatus.RUNNING and not report.file
        assert hold.exists()

        # Reject-on-worker-lost: the message goes back to the queue and the main process's new
        # pool process takes it again (attempt 2, held again). Then the whole worker dies.
        wait_for(lambda: hold.read_text() == "started attempt 2", 30, "redelivery", first)
        first.stop(graceful=False)
        hold.unlink()
        report.refresh_from_db()
        assert (report.status, report.attempts) == ("running", 2)

        # A worker runs again: the unacknowledged message comes back after the visibility
        # timeout, and the report is rendered from scratch.
        started = time.monotonic()
        second.start()
        report = wait_for(
            lambda: Report.objects.filter(pk=report.pk, status__in=["done", "failed"]).first(),
            120,
            "the report to be produced",
            second,
        )
        waited = time.monotonic() - started
    finally:
        first.stop(graceful=False)
        second.stop(graceful=False)

    assert report.status == ReportStatus.DONE, report.error
    assert report.attempts == 3
    assert report.file.read().startswith(b"%PDF")
    folder = Path(report.file.storage.path(f"reports/{world.workspace.pk}"))
    assert sorted(p.name for p in folder.iterdir()) == [f"report-{report.pk}-3.pdf"]
    assert len(report.sha256) == 64
    assert Report.objects.filter(workspace=world.workspace).count() == 1
    assert second.log().count("report_render_task") >= 1
    assert waited < 120
