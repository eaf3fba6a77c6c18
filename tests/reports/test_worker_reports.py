"""Integration: a real Celery worker renders each report kind; the PDF's text is checked with
pdftotext (workspace name, a KPI value, a section title), and an observer's PDF holds the
approved sentence and not the draft one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings

from indicators.models import Indicator
from mainstreaming.choices import ReportKind, ReportStatus
from mainstreaming.models import Report
from mainstreaming.services.reports import report_request
from tests.profiles.edition_factories import publish, start_edition
from tests.reports.document_factories import (
    APPROVED_SENTENCE,
    DRAFT_SENTENCE,
    cycle_with_content,
    observations_by_sex,
    pdf_text,
)


def wait_until_finished(report: Report, worker, timeout: float = 120) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return report
        if worker.process.poll() is not None:
            pytest.fail(f"The worker died:\n{worker.log()}")
        time.sleep(0.2)
    pytest.fail(f"Report {report.pk} is {report.status} after {timeout} s:\n{worker.log()}")


def text_of(report: Report, tmp_path: Path) -> str:
    path = tmp_path / f"{report.pk}.pdf"
    path.write_bytes(report.file.read())
    return pdf_text(path)


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_each_report_kind(world, celery_worker_process, tmp_path):
    made = cycle_with_content(world)
    observations_by_sex(world)
    edition = start_edition(world["editor"], world.workspace, title="Profile 2015–2019")
    publish(
        edition,
        submitter=world["editor"],
        reviewer=world["reviewer"],
        coordinator=world["coordinator"],
    )
    indicator = Indicator.objects.get(code="SOC-02", workspace__isnull=True)
    observer = world["observer"]
    requests = {
        ReportKind.CYCLE_PROGRESS: {"cycle": made["cycle"].pk},
        ReportKind.PROFILE_EDITION: {"edition": edition.pk},
        ReportKind.INDICATOR_FACT_SHEET: {"indicator": indicator.pk},
    }
    reports = {}
    for kind, parameters in requests.items():
        report, created = report_request(
            actor=observer, workspace=world.workspace, kind=kind, parameters=parameters
        )
        assert created
        reports[kind] = report
    texts = {}
    for kind, report in reports.items():
        report = wait_until_finished(report, celery_worker_process)
        assert report.status == ReportStatus.DONE, (kind, report.error, celery_worker_process.log())
        assert report.page_count and report.page_count >= 1
        texts[kind] = text_of(report, tmp_path)
        assert world.workspace.name in texts[kind], kind

    progress = texts[ReportKind.CYCLE_PROGRESS]
    assert "Returnees employed" in progress  # the KPI
    assert "37.5" in progress  # its latest approved value
    assert "Key performance indicators" in progress  # a section title
    assert APPROVED_SENTENCE in progress
    assert DRAFT_SENTENCE not in progress  # the observer's report has approved content only

    assert "Profile 2015–2019" in texts[ReportKind.PROFILE_EDITION]
    assert indicator.name in texts[ReportKind.INDICATOR_FACT_SHEET]
    assert "123" in texts[ReportKind.INDICATOR_FACT_SHEET]  # the approved total

    # The worker rendered them, not this process.
    log = celery_worker_process.log()
    broker = "redis://" if settings.REDIS_URL else "filesystem://"
    assert f"Connected to {broker}" in log
    assert log.count("report_render_task") >= 3 and "succeeded" in log
