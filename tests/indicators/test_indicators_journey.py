"""The indicators journey in a browser (issue 4): an editor uploads an XLSX file with an error,
fixes it, imports it with the progress bar, submits the batch; a reviewer approves the batch; the
observer sees the chart — and did not see the values before they were approved.

Playwright on the system Chromium against a live server, with a real Celery worker: the upload is
checked and the import written by the worker process, never eagerly. To see the progress bar
deterministically, the worker is paused (SIGSTOP) while a job waits for it and resumed (SIGCONT)
once the page has shown the bar; the task then really runs in the worker and the page, polling
with htmx, moves on by itself. axe-core checks every page visited.
"""

from __future__ import annotations

import io
import re
import signal
import time
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from indicators.choices import ImportStatus
from indicators.models import ImportJob, Indicator, Observation
from stakeholders.review import ReviewState

from ..factories import PASSWORD
from ..test_browser_journeys import assert_accessible
from ..worker import CeleryWorkerProcess

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["indicator_code", "period", "sex", "value", "quality", "note"]
CODE = "ECO-02"  # Poverty headcount: a percent, 0–100
# (period, value as typed in the spreadsheet, value as shown in the pages)
GOOD_ROWS = [("2022", 41.5, "41.5"), ("2023", 38.2, "38.2")]


@pytest.fixture
def axe() -> Axe:
    return Axe()


def workbook(rows: list[tuple[str, Any]]) -> bytes:
    """An XLSX file of total values of CODE, built with openpyxl as a spreadsheet would save it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for period, value in rows:
        sheet.append([CODE, period, "_T", value, "provisional", "Journey test value"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sign_in(page: Page, base_url: str, username: str, axe: Axe) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")
    assert_accessible(page, axe)


def open_indicators(page: Page, workspace_name: str, axe: Axe) -> None:
    """From the home page: the workspace, then its Indicators section."""
    page.get_by_role("link", name=workspace_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(workspace_name)
    assert_accessible(page, axe)
    page.get_by_role("navigation").get_by_role("link", name="Indicators", exact=True).click()
    assert_accessible(page, axe)


def upload(page: Page, name: str, data: bytes, axe: Axe) -> None:
    """On the imports list: open the upload form, choose the file, send it."""
    page.get_by_role("link", name="Upload a file of values").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file of values")
    assert_accessible(page, axe)
    page.get_by_label("File of values").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def wait_until_paused_worker_can_take(worker: CeleryWorkerProcess, timeout: float = 30) -> None:
    """Nothing is left for the worker before it is paused (it must not stop mid-task)."""
    deadline = time.monotonic() + timeout
    while ImportJob.objects.filter(
        status__in=[ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.IMPORTING]
    ).exists():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.1)


def mails_to(worker: CeleryWorkerProcess, address: str) -> list[Any]:
    return [mail for mail in worker.mails() if address in mail.to]


def wait_for_mail_to(worker: CeleryWorkerProcess, address: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not mails_to(worker, address):
        assert time.monotonic() < deadline, f"no e-mail to {address}:\n{worker.log()}"
        time.sleep(0.1)


def test_editor_imports_a_corrected_xlsx_reviewer_approves_observer_sees_the_chart(
    page: Page, live_server, world, celery_worker_factory, axe
):
    worker = celery_worker_factory(SITE_URL=live_server.url)
    base = live_server.url
    workspace = world.workspace
    indicator = Indicator.objects.get(framework__code="starter", code=CODE)
    assert indicator.unit.code == "percent" and indicator.unit.maximum == 100
    data_url = f"{base}/w/{workspace.slug}/indicators/{indicator.pk}/data/"
    values_url = f"{base}/w/{workspace.slug}/indicators/observations/"
    browser = page.context.browser
    assert browser is not None

    # --- The editor signs in and goes to the imports of the workspace. ------------------------
    sign_in(page, base, "editor", axe)
    open_indicators(page, workspace.name, axe)
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports of indicator values")
    assert_accessible(page, axe)

    # A file with a percent of 120 on its third row (header = row 1): the worker checks it and
    # the page, polling by itself, lists the error by row and column; nothing is saved.
    bad = workbook([(GOOD_ROWS[0][0], GOOD_ROWS[0][1]), (GOOD_ROWS[1][0], 120)])
    upload(page, "poverty-values-draft.xlsx", bad, axe)
    expect(page.get_by_role("heading", name="Has errors")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("alert")).to_contain_text("The file has 1 error; nothing was saved.")
    errors = page.get_by_role("table", name="Errors by row")
    expect(errors.locator("tbody tr")).to_have_count(1)
    cells = errors.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("value")
    expect(cells.nth(2)).to_contain_text("100")
    assert_accessible(page, axe)
    assert not Observation.objects.filter(workspace=workspace).exists()
    bad_job = ImportJob.objects.get(original_name="poverty-values-draft.xlsx")
    assert bad_job.status == ImportStatus.INVALID
    assert [(error["row"], error["column"]) for error in bad_job.errors] == [(3, "value")]

    # The corrected file. The worker is paused while the check waits for it, so the page shows
    # the progress bar first; resumed, the worker checks the file and the page shows the summary.
    wait_until_paused_worker_can_take(worker)
    worker.kill(signal.SIGSTOP)
    try:
        page.get_by_role("link", name="Upload the corrected file").click()
        good = workbook([(period, value) for period, value, _shown in GOOD_ROWS])
        page.get_by_label("File of values").set_input_files(
            {"name": "poverty-values.xlsx", "mimeType": XLSX, "buffer": good}
        )
        page.get_by_role("button", name="Upload and check").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("poverty-values.xlsx")
        progress = page.get_by_role("progressbar", name="Checking every row")
        expect(progress).to_be_visible()
        expect(progress).to_have_attribute("max", "100")
        expect(page.get_by_text("This page updates by itself.")).to_be_visible()
        assert_accessible(page, axe)
    finally:
        worker.kill(signal.SIGCONT)
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    summary = page.locator(".summary-list")
    expect(summary).to_contain_text(re.compile(r"Rows\s*2"))
    expect(summary).to_contain_text(re.compile(r"New values\s*2"))
    assert_accessible(page, axe)
    assert not Observation.objects.filter(workspace=workspace).exists()  # checked, not saved

    # Import: again the bar while the worker is paused, then "Imported" once it has run.
    wait_until_paused_worker_can_take(worker)
    worker.kill(signal.SIGSTOP)
    try:
        page.get_by_role("button", name="Import 2 values").click()
        expect(page.get_by_role("progressbar", name="Importing")).to_be_visible()
        assert_accessible(page, axe)
    finally:
        worker.kill(signal.SIGCONT)
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Imported: 2 new, 0 changed, 0 unchanged.")).to_be_visible(
        timeout=60_000
    )
    assert_accessible(page, axe)
    job = ImportJob.objects.get(original_name="poverty-values.xlsx")
    assert job.status == ImportStatus.DONE
    imported = Observation.objects.filter(workspace=workspace, indicator=indicator)
    assert sorted(imported.values_list("period", "review_state")) == [
        ("2022", ReviewState.DRAFT),
        ("2023", ReviewState.DRAFT),
    ]
    assert set(imported.values_list("import_job_id", flat=True)) == {job.pk}
    # The worker process did the work: two files checked, one imported (nothing ran eagerly).
    log = worker.log()
    assert (
        len(re.findall(r"indicators\.tasks\.import_job_check_task\[[\w-]+\] succeeded", log)) == 2
    )
    assert len(re.findall(r"indicators\.tasks\.import_job_run_task\[[\w-]+\] succeeded", log)) == 1

    # Negative control: the observer does not see draft values, in the chart page or the list.
    observer = browser.new_context().new_page()
    sign_in(observer, base, "observer", axe)
    observer.goto(data_url)
    expect(observer.get_by_role("heading", level=1)).to_contain_text(CODE)
    expect(
        observer.get_by_text("No approved value for this indicator in this workspace yet.")
    ).to_be_visible()
    expect(observer.locator("svg polyline")).to_have_count(0)
    expect(observer.get_by_text("41.5")).to_have_count(0)
    assert_accessible(observer, axe)
    observer.goto(f"{values_url}?import_job={job.pk}")
    expect(observer.get_by_text("0 values", exact=True)).to_be_visible()
    expect(observer.get_by_role("cell", name=re.compile("41.5"))).to_have_count(0)
    assert_accessible(observer, axe)

    # --- The editor follows the link to the imported values and submits them as one batch. ---
    page.get_by_role(
        "link", name="See the imported values, submit them for review or approve them"
    ).click()
    expect(page).to_have_url(re.compile(rf"import_job={job.pk}"))
    expect(page.get_by_text("2 values", exact=True)).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Review the values of this selection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review a selection of values")
    expect(page.get_by_text("The selection holds 2 values.")).to_be_visible()
    expect(
        page.get_by_text("2 draft or returned values can be submitted for review.")
    ).to_be_visible()
    # An editor submits; nobody approves their own submission: no approval is offered here.
    expect(page.get_by_role("radio", name="Approve")).to_have_count(0)
    assert_accessible(page, axe)
    page.get_by_role("radio", name="Submit for review").check()
    page.get_by_role("button", name="Apply to the selection").click()
    expect(page.get_by_text("2 values were submitted for review.")).to_be_visible()
    assert_accessible(page, axe)
    assert set(imported.values_list("review_state", flat=True)) == {ReviewState.SUBMITTED}

    # Still nothing for the observer while the batch waits for review.
    observer.goto(data_url)
    expect(
        observer.get_by_text("No approved value for this indicator in this workspace yet.")
    ).to_be_visible()
    expect(observer.locator("svg polyline")).to_have_count(0)

    # --- The reviewer (notified once for the whole batch) finds the import and approves it. ---
    wait_for_mail_to(worker, "reviewer@example.org")
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, base, "reviewer", axe)
    open_indicators(reviewer, workspace.name, axe)
    reviewer.goto(f"{base}/w/{workspace.slug}/indicators/imports/")
    assert_accessible(reviewer, axe)
    reviewer.get_by_role("link", name="poverty-values.xlsx", exact=True).click()
    expect(reviewer.get_by_text("Imported: 2 new, 0 changed, 0 unchanged.")).to_be_visible()
    reviewer.get_by_role(
        "link", name="See the imported values, submit them for review or approve them"
    ).click()
    expect(reviewer.get_by_text("2 values", exact=True)).to_be_visible()
    assert_accessible(reviewer, axe)
    reviewer.get_by_role("link", name="Review the values of this selection").click()
    expect(reviewer.get_by_text("2 submitted values can be approved or returned.")).to_be_visible()
    assert_accessible(reviewer, axe)
    reviewer.get_by_role("radio", name="Approve").check()
    reviewer.get_by_role("button", name="Apply to the selection").click()
    expect(reviewer.get_by_text("2 values were approved.")).to_be_visible()
    assert_accessible(reviewer, axe)
    assert set(imported.values_list("review_state", flat=True)) == {ReviewState.APPROVED}
    assert set(imported.values_list("submitted_by__username", flat=True)) == {"editor"}

    # One e-mail per person for the whole batch of two values (sent by the worker).
    wait_for_mail_to(worker, "editor@example.org")
    assert len(mails_to(worker, "reviewer@example.org")) == 1
    assert len(mails_to(worker, "editor@example.org")) == 1

    # --- The observer finds the indicator and sees the chart and the approved values. --------
    observer.goto(f"{base}/")
    open_indicators(observer, workspace.name, axe)
    observer.get_by_role("link", name=f"Chart and table {CODE}", exact=True).click()
    expect(observer).to_have_url(data_url)
    expect(observer.get_by_text("You see approved values only.")).to_be_visible()
    chart = observer.locator("figure.coverage-chart svg")
    expect(chart).to_have_count(1)
    expect(chart.locator("polyline")).to_have_count(1)  # one line: the totals over two years
    expect(chart.locator("title").first).to_contain_text(CODE)
    table = observer.locator("table.indicator-values")
    for period, _value, shown in GOOD_ROWS:
        row = table.locator("tbody tr").filter(has=observer.get_by_role("rowheader", name=period))
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_have_text(shown)
    expect(observer.get_by_text("No approved value for this indicator")).to_have_count(0)
    assert_accessible(observer, axe)
    # … and the approved values in the list of values (positive control of the list above).
    observer.goto(f"{values_url}?import_job={job.pk}")
    expect(observer.get_by_text("2 values", exact=True)).to_be_visible()
    for _period, _value, shown in GOOD_ROWS:
        expect(observer.get_by_role("cell", name=re.compile(re.escape(shown)))).to_have_count(1)
