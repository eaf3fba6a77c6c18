"""Report jobs: request with de-duplication, idempotent render, failure and retry, sweeper,
archive rights, downloads, htmx status page, API (tasks run eagerly; the real worker is in
test_worker_reports.py and test_failure_injection.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse

from mainstreaming.choices import ReportKind, ReportStatus, RightsLevel
from mainstreaming.models import Report, ReportDownload
from mainstreaming.services import reports as services
from mainstreaming.tasks import report_render_task, report_sweep_task
from tests.querycount import assert_pinned_queries

from .report_factories import cycle_for, install_tiny_builder, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(monkeypatch):
    return install_tiny_builder(monkeypatch)


@pytest.fixture
def cycle(world):
    return cycle_for(world)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a block enqueues on commit, as a real commit would (the test is a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Report ids repeat between tests: each test gets its own media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def request(world, role, cycle, *, run=True, **kwargs):
    """Request a report; with `run`, its task runs as a real commit would run it (eagerly)."""
    from contextlib import nullcontext

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True) if run else nullcontext():
        return services.report_request(
            actor=world[role],
            workspace=world.workspace,
            kind=ReportKind.CYCLE_PROGRESS,
            parameters={"cycle": cycle.pk},
            **kwargs,
        )


def storage_files(report: Report) -> list[str]:
    storage = report.file.storage
    try:
        return sorted(storage.listdir(f"reports/{report.workspace_id}")[1])
    except FileNotFoundError:
        return []


# Request ---------------------------------------------------------------------------------------


def test_report_request_renders_once_on_commit(
    world, cycle, tiny, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, created = request(world, "observer", cycle, run=False, language="fr")
    assert created is True
    assert len(callbacks) == 1  # enqueued on commit, not before
    report.refresh_from_db()
    assert (report.status, report.rights_level, report.language) == ("queued", "approved", "fr")
    assert report.title.endswith(str(cycle)) and report.title != f"Cycle progress report – {cycle}"
    callbacks[0]()  # the task runs (eagerly)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert (report.progress, report.attempts, report.page_count) == (100, 1, 1)
    content = report.file.read()
    assert content.startswith(b"%PDF")
    import hashlib

    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    assert tiny.calls == [report.pk]
    assert storage_files(report) == [f"report-{report.pk}-1.pdf"]


def test_report_request_rights_level_follows_the_requester(world, cycle, tiny):
    observer_report, _ = request(world, "observer", cycle)
    editor_report, _ = request(world, "editor", cycle)
    assert observer_report.rights_level == RightsLevel.APPROVED
    assert editor_report.rights_level == RightsLevel.DRAFTS
    # A coordinator may lower the level (a report for donors); an observer may not raise it.
    lowered, _ = request(world, "coordinator", cycle, rights_level=RightsLevel.APPROVED)
    assert lowered.rights_level == RightsLevel.APPROVED
    with pytest.raises(ValidationError):
        request(world, "observer", cycle, rights_level=RightsLevel.DRAFTS)


def test_report_request_duplicates_give_one_render(
    world, cycle, tiny, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, created_first = request(world, "observer", cycle, run=False)
        # Same level and language, from another reader.
        second, created_second = request(world, "contributor", cycle, run=False)
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert tiny.calls == [first.pk]
    # Positive control: a different level or language is another report; once done, a new
    # identical request renders again.
    other, created_other = request(world, "editor", cycle)
    assert created_other and other.pk != first.pk
    again, created_again = request(world, "observer", cycle)
    assert created_again and again.pk != first.pk
    assert Report.objects.count() == 3


def test_report_one_in_progress_per_request_holds_in_the_database(world, cycle):
    make_report(world.workspace, cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(world.workspace, cycle=cycle)
    make_report(world.workspace, cycle=cycle, status=ReportStatus.DONE)  # positive control


def test_report_request_rejects_what_the_reader_may_not_ask(world, cycle, tiny):
    foreign_cycle = cycle_for(world, workspace=world.other, actor=world["outsider"])
    with pytest.raises(ValidationError) as error:
        request(world, "observer", foreign_cycle)
    assert "cycle" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.report_request(
            actor=world["outsider"],
            workspace=world.workspace,
            kind=ReportKind.CYCLE_PROGRESS,
            parameters={"cycle": cycle.pk},
        )
    assert Report.objects.count() == 0


# Render ----------------------------------------------------------------------------------------


def test_report_render_done_report_is_not_rendered_again(world, cycle, tiny):
    report, _ = request(world, "observer", cycle)
    report.refresh_from_db()
    digest = report.sha256
    report_render_task.delay(report.pk)
    report.refresh_from_db()
    assert tiny.calls == [report.pk]
    assert (report.attempts, report.sha256) == (1, digest)


def test_report_render_running_report_of_a_dead_worker_is_rendered_from_scratch(
    world, cycle, tiny, on_commit
):
    report = make_report(world.workspace, cycle=cycle, user=world["observer"])
    # Attempt 1 died after writing its file, before committing (a killed worker).
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, attempts=1)
    storage = report.file.storage
    storage.save(f"reports/{world.workspace.pk}/report-{report.pk}-1.pdf", _content(b"%PDF old"))
    assert storage_files(report) == [f"report-{report.pk}-1.pdf"]
    with on_commit():
        report_render_task.delay(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert storage_files(report) == [f"report-{report.pk}-2.pdf"]  # never two files
    assert report.file.name.endswith(f"report-{report.pk}-2.pdf")


def test_report_render_failure_shows_a_human_message_and_retry_renders(
    world, cycle, tiny, caplog, on_commit
):
    tiny.fail_with.append(ValueError("boom in the builder"))
    report, _ = request(world, "observer", cycle)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == services.FAILED_MESSAGE
    assert "boom" not in report.error and "Traceback" not in report.error
    assert "boom in the builder" in caplog.text  # logged for the team
    assert not report.file
    with on_commit():
        services.report_retry(actor=world["observer"], report=report)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (ReportStatus.DONE, 2, "")
    assert tiny.calls == [report.pk, report.pk]
    with pytest.raises(ValidationError):  # only a failed report is tried again
        services.report_retry(actor=world["observer"], report=report)


def test_report_render_transient_error_is_retried(world, cycle, tiny):
    from celery.exceptions import Retry

    tiny.fail_with.append(OperationalError("database is locked"))
    report, _ = request(world, "observer", cycle, run=False)
    with pytest.raises(Retry):  # eagerly, the retry is raised instead of scheduled
        report_render_task.apply(args=(report.pk,))
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (ReportStatus.RUNNING, 1, "")
    report_render_task.apply(args=(report.pk,))  # the retry
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert tiny.calls == [report.pk, report.pk]


def test_report_render_in_the_report_language(world, cycle, monkeypatch):
    from django.utils import translation

    from mainstreaming.reports import BUILDERS

    seen: list[str] = []

    def builder(report, perms):
        seen.append(translation.get_language())
        return "<p>x</p>"

    monkeypatch.setitem(BUILDERS, ReportKind.CYCLE_PROGRESS, builder)
    request(world, "observer", cycle, language="fr")
    assert seen == ["fr"]


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


# Sweeper ---------------------------------------------------------------------------------------

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def test_report_sweep_requeues_stale_and_fails_after_attempts(
    world, cycle, tiny, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_TIME_LIMIT = 600
    with time_machine.travel(NOON, tick=False):
        fresh = make_report(world.workspace, cycle=cycle, parameters={"n": 1})
        stale = make_report(world.workspace, cycle=cycle, parameters={"n": 2})
        stuck = make_report(world.workspace, cycle=cycle, parameters={"n": 3})
        hopeless = make_report(world.workspace, cycle=cycle, parameters={"n": 4})
        running = make_report(world.workspace, cycle=cycle, parameters={"n": 5})
    Report.objects.filter(pk=stale.pk).update(updated_at=NOON - dt.timedelta(minutes=16))
    Report.objects.filter(pk=fresh.pk).update(updated_at=NOON - dt.timedelta(minutes=14))
    Report.objects.filter(pk=stuck.pk).update(
        status="running", attempts=1, started_at=NOON - dt.timedelta(seconds=661)
    )
    Report.objects.filter(pk=hopeless.pk).update(
        status="running", attempts=3, started_at=NOON - dt.timedelta(seconds=661)
    )
    Report.objects.filter(pk=running.pk).update(
        status="running", attempts=1, started_at=NOON - dt.timedelta(seconds=659)
    )
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        report_sweep_task.delay()
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {
        fresh.pk: "queued",
        stale.pk: "queued",
        stuck.pk: "queued",
        hopeless.pk: "failed",
        running.pk: "running",
    }
    assert len(callbacks) == 2  # stale and stuck sent again
    assert Report.objects.get(pk=hopeless.pk).error == services.STUCK_MESSAGE
    for callback in callbacks:
        callback()
    assert sorted(tiny.calls) == sorted([stale.pk, stuck.pk])
    assert Report.objects.get(pk=stuck.pk).attempts == 2


def test_sweeper_beat_entry_names_the_task():
    from django.conf import settings

    from mainstreaming.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-reports"]
    assert entry["task"] == "mainstreaming.tasks.report_sweep_task"
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= dt.timedelta(minutes=10)


def test_report_render_task_reliability_options():
    from django.conf import settings

    task = report_render_task
    assert task.acks_late and task.reject_on_worker_lost
    assert task.time_limit < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert 0 < task.soft_time_limit < task.time_limit
    assert OperationalError in task.autoretry_for and task.retry_backoff


# Pages -----------------------------------------------------------------------------------------


def url(name, world, **kwargs):
    return reverse(f"mainstreaming:{name}", kwargs={"slug": world.workspace.slug, **kwargs})


def test_report_list_observer_never_sees_drafts_level_reports(client, world, cycle):
    make_report(world.workspace, cycle=cycle, title="Approved-level report", status="done")
    make_report(world.workspace, cycle=cycle, title="Drafts-level report", rights_level="drafts")
    client.force_login(world["observer"])
    page = client.get(url("report_list", world)).content.decode()
    assert "Approved-level report" in page
    assert "Drafts-level report" not in page
    client.force_login(world["editor"])  # positive control
    page = client.get(url("report_list", world)).content.decode()
    assert "Approved-level report" in page and "Drafts-level report" in page


def test_report_list_empty_state(client, world):
    client.force_login(world["observer"])
    assert (
        "No report has been requested yet."
        in client.get(url("report_list", world)).content.decode()
    )


def test_report_list_pinned_queries(client, world, cycle):
    client.force_login(world["observer"])

    def rows(n):
        for _ in range(n):
            make_report(world.workspace, cycle=cycle, status="done", user=world["editor"])

    assert_pinned_queries(client, url("report_list", world), rows=rows, expected=6)


def test_report_api_list_pinned_queries(client, world, cycle):
    client.force_login(world["observer"])

    def rows(n):
        for _ in range(n):
            make_report(world.workspace, cycle=cycle, status="done", user=world["editor"])

    api = reverse("report-list", kwargs={"workspace_slug": world.workspace.slug})
    assert_pinned_queries(client, api, rows=rows, expected=6)


def test_report_create_page_requests_and_redirects(client, world, cycle, tiny, on_commit):
    client.force_login(world["observer"])
    form = client.get(url("report_create", world)).content.decode()
    assert cycle.title in form
    response = client.post(
        url("report_create", world), {"kind": "cycle_progress", "cycle": cycle.pk}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    # The missing subject is an error on its field, with the error summary.
    response = client.post(url("report_create", world), {"kind": "cycle_progress"})
    assert response.status_code == 200
    assert "Choose what the report is about." in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_report_detail_polls_while_in_progress_then_shows_the_link(client, world, cycle):
    report = make_report(world.workspace, cycle=cycle, user=world["observer"])
    Report.objects.filter(pk=report.pk).update(status="running", progress=60)
    client.force_login(world["observer"])
    detail = url("report_detail", world, pk=report.pk)
    page = client.get(detail).content.decode()
    assert 'aria-live="polite"' in page and "hx-trigger=" in page
    assert '<progress id="report-progress"' in page and 'value="60"' in page
    fragment = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="report-status"' in fragment and "hx-get" in fragment
    Report.objects.filter(pk=report.pk).delete()
    done = make_report(world.workspace, cycle=cycle, status="done", with_file=True)
    fragment = client.get(
        url("report_detail", world, pk=done.pk), headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-get" not in fragment  # polling stops
    assert url("report_download", world, pk=done.pk) in fragment


def test_report_detail_failed_shows_message_and_retry(client, world, cycle, tiny, on_commit):
    report = make_report(
        world.workspace, cycle=cycle, status="failed", error=services.FAILED_MESSAGE
    )
    client.force_login(world["observer"])
    page = client.get(url("report_detail", world, pk=report.pk)).content.decode()
    assert "could not be produced" in page
    retry = url("report_retry", world, pk=report.pk)
    assert f'action="{retry}"' in page
    with on_commit():
        response = client.post(retry)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and tiny.calls == [report.pk]


def test_report_download_is_recorded_and_access_checked(client, world, cycle):
    report = make_report(world.workspace, cycle=cycle, status="done", with_file=True)
    drafts = make_report(
        world.workspace, cycle=cycle, status="done", with_file=True, rights_level="drafts"
    )
    client.force_login(world["observer"])
    response = client.get(url("report_download", world, pk=report.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert list(ReportDownload.objects.values_list("report", "user")) == [
        (report.pk, world["observer"].pk)
    ]
    assert client.get(url("report_download", world, pk=drafts.pk)).status_code == 404
    client.force_login(world["editor"])  # positive control
    assert client.get(url("report_download", world, pk=drafts.pk)).status_code == 200
    assert ReportDownload.objects.count() == 2


def test_report_download_not_ready_is_not_found(client, world, cycle):
    report = make_report(world.workspace, cycle=cycle)
    client.force_login(world["observer"])
    assert client.get(url("report_download", world, pk=report.pk)).status_code == 404
    assert ReportDownload.objects.count() == 0


# API -------------------------------------------------------------------------------------------


def test_report_api_request_201_then_200_and_detail(
    client, world, cycle, tiny, django_capture_on_commit_callbacks
):
    client.force_login(world["observer"])
    api = reverse("report-list", kwargs={"workspace_slug": world.workspace.slug})
    body = {"kind": "cycle_progress", "parameters": {"cycle": cycle.pk}}
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(api, body, content_type="application/json")
        second = client.post(api, body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "queued" and first.json()["download_url"] is None
    bad = client.post(
        api, {"kind": "cycle_progress", "parameters": {"cycle": 0}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "cycle" in bad.json()
    report_render_task.delay(first.json()["id"])
    detail = client.get(
        reverse(
            "report-detail",
            kwargs={"workspace_slug": world.workspace.slug, "pk": first.json()["id"]},
        )
    ).json()
    assert detail["status"] == "done" and detail["page_count"] == 1 and len(detail["sha256"]) == 64
    download = client.get(detail["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert ReportDownload.objects.count() == 1


def test_report_api_retry(client, world, cycle, tiny, on_commit):
    report = make_report(world.workspace, cycle=cycle, status="failed", error="x")
    client.force_login(world["observer"])
    retry = reverse(
        "report-retry", kwargs={"workspace_slug": world.workspace.slug, "pk": report.pk}
    )
    with on_commit():
        response = client.post(retry, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "queued"
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert client.post(retry, content_type="application/json").status_code == 400


# PDF -------------------------------------------------------------------------------------------


def test_render_pdf_fetches_only_project_files(settings, tmp_path, caplog):
    from mainstreaming.reports.pdf import ProjectFilesFetcher, local_path_for, render_pdf

    settings.SITE_URL = "http://portal.example"
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    assert local_path_for("http://portal.example/static/css/portal.css") is not None
    assert local_path_for("http://portal.example/static/../mainstreaming/settings.py") is None
    assert local_path_for("http://evil.example/static/css/portal.css") is None
    assert local_path_for(secret.as_uri()) is None
    assert local_path_for("file:///etc/passwd") is None
    fetcher = ProjectFilesFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://evil.example/x.png")
    response = fetcher.fetch("/static/css/portal.css".join(["http://portal.example", ""]))
    assert b"{" in response.read()
    pdf = render_pdf(
        '<link rel="stylesheet" href="http://evil.example/x.css">'
        '<link rel="stylesheet" href="/static/css/portal.css"><p>Hello</p>'
    )
    assert pdf.content.startswith(b"%PDF") and pdf.page_count == 1
    assert "evil.example" in caplog.text  # refused and logged
    assert Path(tmp_path).exists()
