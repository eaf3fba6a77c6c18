"""The observer's report journey in a browser (issue 7): the observer requests a cycle progress
report, watches it go from queued to being written to ready without reloading the page, and
downloads the PDF — which holds approved content only.

Playwright on the system Chromium against a live server, with a real Celery worker: the PDF is
rendered by the worker process, never eagerly. To see each state deterministically, the worker
is paused (SIGSTOP) while the request is sent, so the page shows "Queued"; resumed, it claims the
report and waits at the render's test hook (`REPORT_TEST_HOLD_FILE`), so the page shows "Being
written"; once the hook's file is removed the worker renders the PDF and the page, polling with
htmx, shows "Ready" and the download link. axe-core checks every page visited.

What the observer must not read is put next to what they may read, so an empty extraction cannot
pass (DESIGN §9): the priority's approved rationale is in the PDF and its later draft is not; the
approved KPI and its approved value are in it, a draft KPI and a draft value are not.
"""

from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from mainstreaming.choices import ReportKind, ReportStatus, RightsLevel
from mainstreaming.models import Report, ReportDownload
from stakeholders.review import ReviewState, review_edit

from ..factories import PASSWORD
from ..mainstreaming.monitoring_factories import approve, make_kpi, plan
from ..mainstreaming.monitoring_factories import report as progress_update
from ..test_browser_journeys import assert_accessible
from ..worker import CeleryWorkerProcess

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
]

CYCLE_TITLE = "Plan for returnees 2025–2029"
KPI_NAME = "Returnees employed within a year"
KPI_VALUE = "23.7"  # the approved actual value of 2025
DRAFT_KPI_NAME = "Informal jobs counted by the district offices"
DRAFT_VALUE = "31.9"  # a draft actual value of 2026 of the approved KPI
APPROVED_RATIONALE = "Returnees who find work within a year stay in the country."
DRAFT_RATIONALE = "Unreviewed idea: pay a bonus to every employer of returnees."
APPROVED_NARRATIVE = "Surveys count returnees in every region."
DRAFT_NARRATIVE = "Draft finding: half of the returnees left again within two years."


@pytest.fixture
def axe() -> Axe:
    return Axe()


def sign_in(page: Page, base_url: str, username: str, axe: Axe) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")
    assert_accessible(page, axe)


def a_cycle_with_approved_and_draft_content(world):
    """A cycle whose priority, objective, action, one KPI and its 2025 value are approved; the
    priority's rationale and a situation-analysis section were edited again after approval
    (drafts over an approved snapshot); a second KPI and a 2026 value are drafts only."""
    editor, reviewer = world["editor"], world["reviewer"]
    items = plan(editor, world.workspace, title=CYCLE_TITLE)
    cycle, priority = items["cycle"], items["priority"]
    review_edit(
        actor=editor,
        item=priority,
        expected_lock_version=priority.lock_version,
        rationale=APPROVED_RATIONALE,
    )
    section = cycle.sections.order_by("position", "pk").first()
    assert section is not None
    review_edit(
        actor=editor,
        item=section,
        expected_lock_version=section.lock_version,
        narrative=APPROVED_NARRATIVE,
    )
    kpi = make_kpi(editor, cycle, objective=items["objective"], name=KPI_NAME)
    approve(editor, reviewer, priority, items["objective"], items["action"], section, kpi)
    update = progress_update(editor, kpi, "2025", Decimal(KPI_VALUE))
    approve(editor, reviewer, update)
    # Drafts the observer must not read.
    for item in (priority, section):
        item.refresh_from_db()
    review_edit(
        actor=editor,
        item=priority,
        expected_lock_version=priority.lock_version,
        rationale=DRAFT_RATIONALE,
    )
    review_edit(
        actor=editor,
        item=section,
        expected_lock_version=section.lock_version,
        narrative=DRAFT_NARRATIVE,
    )
    make_kpi(editor, cycle, objective=items["objective"], name=DRAFT_KPI_NAME)
    progress_update(editor, kpi, "2026", Decimal(DRAFT_VALUE))
    for item in (priority, section):
        item.refresh_from_db()
        assert item.review_state == ReviewState.DRAFT
        assert item.approved_version == 1 and item.version == 2
    return cycle


def wait_until_worker_idle(worker: CeleryWorkerProcess, timeout: float = 60) -> None:
    """Every task the worker received has finished, and no new one came for two seconds (more
    than a broker poll): the set-up's e-mail tasks are done, so pausing the worker cannot stop
    it in the middle of a task (holding a database lock the pages would wait for)."""
    deadline = time.monotonic() + timeout
    seen, idle_since = -1, time.monotonic()
    while True:
        log = worker.log()
        received = len(re.findall(r"\] received", log))
        finished = len(re.findall(r"\] (?:succeeded|failed|retry|raised)", log))
        if received != finished or received != seen:
            seen, idle_since = received, time.monotonic()
        elif time.monotonic() - idle_since >= 2:
            return
        assert time.monotonic() < deadline, f"the worker is still busy:\n{log}"
        time.sleep(0.1)


def wait_for_hold(hold: Path, worker: CeleryWorkerProcess, timeout: float = 60) -> None:
    """The worker has claimed the report and waits at the test hook, before rendering."""
    deadline = time.monotonic() + timeout
    while not (hold.exists() and hold.read_text().startswith("started")):
        assert time.monotonic() < deadline, f"the render never started:\n{worker.log()}"
        time.sleep(0.1)


def pdf_text(path: Path) -> str:
    """The PDF's text with pdftotext (poppler), whitespace runs made single spaces."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return re.sub(r"\s+", " ", result.stdout)


def test_observer_requests_a_progress_report_watches_it_complete_and_downloads_it(
    page: Page, live_server, world, celery_worker_factory, axe, tmp_path
):
    hold = tmp_path / "hold-report-render"
    worker = celery_worker_factory(SITE_URL=live_server.url, REPORT_TEST_HOLD_FILE=str(hold))
    base = live_server.url
    workspace = world.workspace
    observer = world["observer"]
    cycle = a_cycle_with_approved_and_draft_content(world)

    # --- The observer signs in, opens the workspace and its reports archive. ------------------
    sign_in(page, base, "observer", axe)
    page.get_by_role("link", name=workspace.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(workspace.name)
    assert_accessible(page, axe)
    page.get_by_role("navigation").get_by_role("link", name="Reports", exact=True).click()
    expect(page).to_have_url(f"{base}/w/{workspace.slug}/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_text("You see reports of approved content only.")).to_be_visible()
    expect(page.get_by_text("No report has been requested yet.")).to_be_visible()
    assert_accessible(page, axe)

    # --- The request form: a cycle progress report of the cycle. ------------------------------
    page.get_by_role("link", name="Request a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a report")
    assert_accessible(page, axe)
    page.get_by_role("radio", name="Cycle progress report").check()
    page.get_by_label("Planning cycle").select_option(label=str(cycle))

    # The worker is paused (idle, between broker polls) while the request is sent: the report
    # waits in the queue and the page says so.
    wait_until_worker_idle(worker)
    worker.kill(signal.SIGSTOP)
    try:
        page.get_by_role("button", name="Request the report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(CYCLE_TITLE)
        expect(page.get_by_text("Your report is being produced.")).to_be_visible()
        status = page.locator("#report-status-region")
        expect(status.get_by_role("heading", level=2)).to_have_text("Status: Queued")
        expect(status.get_by_text("The report is waiting for its turn.")).to_be_visible()
        expect(status.get_by_text("This page updates by itself.")).to_be_visible()
        progress = page.get_by_role("progressbar", name="Progress")
        expect(progress).to_have_attribute("max", "100")
        expect(progress).to_have_attribute("value", "0")
        assert_accessible(page, axe)
        report = Report.objects.get(workspace=workspace)
        assert report.status == ReportStatus.QUEUED
        assert (report.kind, report.parameters) == (ReportKind.CYCLE_PROGRESS, {"cycle": cycle.pk})
        assert report.rights_level == RightsLevel.APPROVED
        assert report.requested_by == observer
        expect(page).to_have_url(f"{base}/w/{workspace.slug}/reports/{report.pk}/")
        # Anything that reloads the page from here on would drop this marker.
        page.evaluate("() => { window.journeyMarker = 'the same page'; }")
    finally:
        worker.kill(signal.SIGCONT)

    # Resumed, the worker claims the report and holds before rendering: "being written".
    wait_for_hold(hold, worker)
    try:
        report.refresh_from_db()
        assert (report.status, report.attempts) == (ReportStatus.RUNNING, 1)
        assert 0 < report.progress < 100
        expect(status.get_by_role("heading", level=2)).to_have_text(
            "Status: Being written", timeout=30_000
        )
        expect(
            status.get_by_text(f"The report is being written ({report.progress} %).")
        ).to_be_visible()
        expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute(
            "value", str(report.progress)
        )
        expect(status.get_by_role("link", name="Download the PDF")).to_have_count(0)
        assert_accessible(page, axe)
    finally:
        hold.unlink(missing_ok=True)

    # The worker renders the PDF; the page, still polling, shows the result by itself.
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Ready", timeout=90_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(status.get_by_text(re.compile(r"The report is ready: \d+ pages?, "))).to_be_visible()
    assert page.evaluate("() => window.journeyMarker") == "the same page"  # never reloaded
    assert_accessible(page, axe)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.page_count and report.page_count >= 1
    assert not ReportDownload.objects.exists()  # nothing downloaded yet
    succeeded = r"mainstreaming\.tasks\.report_render_task\[[\w-]+\] succeeded"
    assert len(re.findall(succeeded, worker.log())) == 1, worker.log()  # the worker rendered it

    # --- The observer downloads the PDF. --------------------------------------------------
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{report.pk}.pdf")
    saved = tmp_path / "progress-report.pdf"
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) == report.size
    assert hashlib.sha256(data).hexdigest() == report.sha256

    # Approved content only: each absent draft has an approved counterpart present.
    text = pdf_text(saved)
    assert workspace.name in text
    assert CYCLE_TITLE in text
    assert KPI_NAME in text
    assert KPI_VALUE in text
    assert APPROVED_RATIONALE in text
    assert DRAFT_RATIONALE not in text
    assert DRAFT_KPI_NAME not in text
    assert DRAFT_VALUE not in text
    # The progress report has no situation-analysis chapter: this one holds by construction
    # (the approved rationale above is the positive control of the extraction).
    assert DRAFT_NARRATIVE not in text

    # The download was recorded, once, for the observer.
    assert list(ReportDownload.objects.values_list("report_id", "user_id")) == [
        (report.pk, observer.pk)
    ]

    # Back in the archive: the report, ready, with its file.
    page.get_by_role("link", name="Back to the reports").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=report.title))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ready")
    expect(row).to_contain_text("Approved content only")
    expect(row.get_by_role("link", name=re.compile(r"^PDF, \d+ pages?$"))).to_be_visible()
    expect(page.get_by_text("No report has been requested yet.")).to_have_count(0)
    assert_accessible(page, axe)
