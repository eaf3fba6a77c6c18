"""Writes of PDF reports: request (with de-duplication), render, retry, sweep, download.

A report is requested once per identical request in progress: the partial unique constraint on
`Report` (workspace, kind, parameters digest, rights level, language, while queued or running)
decides under concurrency, and a second identical request returns the first. Rendering is
idempotent — a done report is never rendered again, a running one whose worker died is
rendered again from scratch, and the file, its digest and the status "done" are written in one
transaction by the attempt that still owns the report, so there is never a done report without
its file nor two files for one report.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from indicators.models import Indicator
from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..choices import REPORT_IN_PROGRESS, ReportKind, ReportStatus, RightsLevel
from ..models import Cycle, Report, ReportDownload, ReportSchedule
from ..reports import build_html, rights_level_for

logger = logging.getLogger(__name__)

# A queued report whose message seems lost is sent again after this long.
QUEUED_STALE_AFTER = timedelta(minutes=15)
# Attempts (renders started) before a report stuck while running is failed by the sweeper.
MAX_ATTEMPTS = 3
# Progress written as the render advances.
PROGRESS_STARTED, PROGRESS_HTML, PROGRESS_PDF = 10, 60, 90

# Stored untranslated; pages show them with gettext in the reader's language.
FAILED_MESSAGE = gettext_noop(
    "The report could not be produced. Try again; if it fails again, tell the workspace "
    "coordinator."
)
STUCK_MESSAGE = gettext_noop("The report took too long to produce several times, so it stopped.")
HOLD_POLL_SECONDS = 0.1

KIND_MODULES = {
    ReportKind.CYCLE_PROGRESS: "mainstreaming.reports.cycle_progress",
    ReportKind.PROFILE_EDITION: "mainstreaming.reports.profile_edition",
    ReportKind.INDICATOR_FACT_SHEET: "mainstreaming.reports.fact_sheet",
}
PARAMETER_OF_KIND = {
    ReportKind.CYCLE_PROGRESS: "cycle",
    ReportKind.PROFILE_EDITION: "edition",
    ReportKind.INDICATOR_FACT_SHEET: "indicator",
}


def running_stale_after() -> timedelta:
    """A running report is stuck once the hard time limit and a margin have passed."""
    return timedelta(seconds=int(settings.CELERY_TASK_TIME_LIMIT) + 60)


def parameters_digest(parameters: dict[str, Any]) -> str:
    """The digest identical requests share (key order and spacing do not matter)."""
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _kind_module(kind: str) -> ModuleType:
    return importlib.import_module(KIND_MODULES[ReportKind(kind)])


def _subject_of(
    workspace: Workspace, kind: str, parameters: dict[str, Any], perms: frozenset[Perm]
) -> Any:
    """The cycle, edition or indicator a request is about, if this reader may read it."""
    raw = parameters.get(PARAMETER_OF_KIND[ReportKind(kind)])
    if not str(raw).isdigit():
        return None
    value = int(str(raw))
    if kind == ReportKind.CYCLE_PROGRESS:
        return Cycle.objects.filter(workspace=workspace, pk=value).first()
    if kind == ReportKind.PROFILE_EDITION:
        editions = Edition.objects.filter(workspace=workspace, pk=value)
        if Perm.VIEW_DRAFTS not in perms:
            editions = editions.filter(status=EditionStatus.PUBLISHED)
        return editions.first()
    return (
        Indicator.objects.filter(pk=value)
        .filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .first()
    )


def report_parameters_clean(
    *, workspace: Workspace, kind: str, parameters: dict[str, Any], perms: frozenset[Perm]
) -> dict[str, Any]:
    """The request's parameters with ids as integers, or a ValidationError.

    The kind's module answers when it has `validate_parameters(workspace, parameters, perms)`
    (returning '' or a human error); the subject must also exist and be readable here.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a kind of report.")}, code="invalid_kind")
    name = PARAMETER_OF_KIND[ReportKind(kind)]
    cleaned = dict(parameters)
    if str(cleaned.get(name, "")).isdigit():
        cleaned[name] = int(cleaned[name])
    subject = _subject_of(workspace, kind, cleaned, perms)
    if subject is None:
        messages = {
            "cycle": _("Choose a planning cycle of this workspace."),
            "edition": _("Choose a migration profile edition you may read."),
            "indicator": _("Choose an indicator this workspace uses."),
        }
        raise ValidationError({name: messages[name]}, code="invalid_subject")
    validate = getattr(_kind_module(kind), "validate_parameters", None)
    if validate is not None:
        error = validate(workspace, cleaned, perms)
        if error:
            raise ValidationError({name: str(error)}, code="invalid_parameters")
    return cleaned


def report_title(kind: str, subject: Any) -> str:
    """The report's title in the active language ("Cycle progress report – Plan 2025–2029")."""
    return f"{ReportKind(kind).label} – {subject}"


def _enqueue(report_id: int) -> None:
    from ..tasks import report_render_task

    transaction.on_commit(lambda: report_render_task.delay(report_id))


def report_request(
    *,
    actor: User,
    workspace: Workspace,
    kind: str,
    parameters: dict[str, Any],
    language: str | None = None,
    rights_level: str | None = None,
    schedule: ReportSchedule | None = None,
) -> tuple[Report, bool]:
    """Request a report rendered with the actor's rights; `(report, created)`.

    `rights_level` may only lower the actor's own (a schedule's "approved" report by a
    coordinator). An identical request still queued or running is returned instead of a new one.
    """
    perms = workspace_perms(actor, workspace)
    if Perm.REQUEST_REPORTS not in perms:
        raise PermissionDenied
    level = rights_level_for(perms)
    if rights_level == RightsLevel.APPROVED:
        level = RightsLevel.APPROVED
    elif rights_level not in (None, level):
        raise ValidationError(
            {"rights_level": _("You may not request a report with drafts included.")},
            code="rights_above_requester",
        )
    reading_perms = perms if level == RightsLevel.DRAFTS else perms - {Perm.VIEW_DRAFTS}
    cleaned = report_parameters_clean(
        workspace=workspace, kind=kind, parameters=parameters, perms=reading_perms
    )
    language = language or actor.preferred_language or translation.get_language() or "en"
    language = translation.get_supported_language_variant(language)
    key = parameters_digest(cleaned)
    identical = Q(
        workspace=workspace,
        kind=kind,
        parameters_key=key,
        rights_level=level,
        language=language,
        status__in=REPORT_IN_PROGRESS,
    )
    with transaction.atomic():
        existing = Report.objects.filter(identical).first()
        if existing is not None:
            return existing, False
        subject = _subject_of(workspace, kind, cleaned, reading_perms)
        with translation.override(language):
            title = report_title(kind, subject)
        report = Report(
            workspace=workspace,
            kind=kind,
            parameters=cleaned,
            parameters_key=key,
            rights_level=level,
            language=language,
            title=title[:300],
            requested_by=actor,
            schedule=schedule,
        )
        # validate_constraints would find the in-progress one and raise; the database decides.
        report.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            existing = Report.objects.filter(identical).first()
            if existing is None:
                raise
            return existing, False
        _enqueue(report.pk)
    return report, True


def report_retry(*, actor: User, report: Report) -> Report:
    """Queue a failed report again (anyone who may request reports and read this one)."""
    perms = workspace_perms(actor, report.workspace)
    if Perm.REQUEST_REPORTS not in perms or not report_readable_with(report, perms):
        raise PermissionDenied
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.FAILED:
            raise ValidationError(_("Only a failed report can be tried again."), code="not_failed")
        locked.status = ReportStatus.QUEUED
        locked.progress = 0
        locked.error = ""
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "progress", "error", "updated_at"])
        except IntegrityError:
            raise ValidationError(
                _("The same report is already being produced."), code="already_in_progress"
            ) from None
        _enqueue(locked.pk)
    return locked


def report_readable_with(report: Report, perms: frozenset[Perm]) -> bool:
    """May a reader holding `perms` on the report's workspace open it? (DESIGN §6)"""
    if Perm.REQUEST_REPORTS not in perms:
        return False
    return report.rights_level == RightsLevel.APPROVED or Perm.VIEW_DRAFTS in perms


def report_download_record(*, actor: User, report: Report) -> ReportDownload:
    """Record a download (the view checked access; every download is recorded)."""
    download = ReportDownload(report=report, user=actor)
    download.full_clean()
    download.save()
    return download


# Rendering -------------------------------------------------------------------------------------


def _set_progress(report_id: int, progress: int) -> None:
    Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=progress, updated_at=timezone.now()
    )


def _hold_for_test(attempt: int) -> None:
    """Failure-injection hook (REPORT_TEST_HOLD_FILE): announce the start, wait for removal."""
    hold = settings.REPORT_TEST_HOLD_FILE
    if not hold:
        return
    path = Path(hold)
    path.write_text(f"started attempt {attempt}")
    while path.exists():
        time.sleep(HOLD_POLL_SECONDS)


def _file_name(report: Report, attempt: int) -> str:
    return f"report-{report.pk}-{attempt}.pdf"


def _remove_other_files(report: Report, keep: str) -> None:
    """Files of earlier attempts (a worker killed between writing and committing)."""
    storage = report.file.storage
    folder = f"reports/{report.workspace_id}"
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"report-{report.pk}-"
    for name in files:
        path = f"{folder}/{name}"
        if name.startswith(prefix) and path != keep:
            storage.delete(path)


def _claim(report_id: int) -> tuple[Report, int] | None:
    """Mark the report running for a new attempt; None if there is nothing to render."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("workspace").filter(pk=report_id)
        ).first()
        if report is None or report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return None
        report.status = ReportStatus.RUNNING
        report.attempts += 1
        report.progress = PROGRESS_STARTED
        report.error = ""
        report.started_at = timezone.now()
        report.save(
            update_fields=["status", "attempts", "progress", "error", "started_at", "updated_at"]
        )
    return report, report.attempts


def report_render(*, report_id: int) -> Report | None:
    """Render the report (idempotent; see the module's docstring). Transient errors (database,
    connection) propagate so that the task retries; others fail the report with a human
    message and are logged."""
    claimed = _claim(report_id)
    if claimed is None:
        return None
    report, attempt = claimed
    _hold_for_test(attempt)
    from ..reports.pdf import render_pdf  # WeasyPrint is loaded by workers only

    try:
        with translation.override(report.language):
            html = build_html(report)
            _set_progress(report.pk, PROGRESS_HTML)
            pdf = render_pdf(html)
            _set_progress(report.pk, PROGRESS_PDF)
    except (ConnectionError, TimeoutError, OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Report %s (attempt %s) failed", report.pk, attempt)
        report_fail(report_id=report.pk, attempt=attempt, message=FAILED_MESSAGE)
        return Report.objects.get(pk=report.pk)
    return _store(report, attempt, pdf)


def _store(report: Report, attempt: int, pdf: Any) -> Report | None:
    storage = report.file.storage
    name = f"reports/{report.workspace_id}/{_file_name(report, attempt)}"
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(pdf.content))
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status != ReportStatus.RUNNING or current.attempts != attempt:
            # Another attempt owns the report now: this file is not the report's.
            transaction.on_commit(lambda: storage.delete(saved))
            return None
        current.file.name = saved
        current.sha256 = pdf.sha256
        current.page_count = pdf.page_count
        current.size = pdf.size
        current.status = ReportStatus.DONE
        current.progress = 100
        current.finished_at = timezone.now()
        current.save()
        transaction.on_commit(lambda: _remove_other_files(current, keep=saved))
    return current


def report_fail(*, report_id: int, attempt: int | None = None, message: str) -> None:
    """Fail the report with a human message (only the attempt that owns it, if given)."""
    reports = Report.objects.filter(pk=report_id, status__in=REPORT_IN_PROGRESS)
    if attempt is not None:
        reports = reports.filter(attempts=attempt)
    reports.update(
        status=ReportStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


# Sweeper ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    requeued: list[int]
    failed: list[int]


def report_sweep(*, now: Any = None) -> SweepResult:
    """Re-queue reports queued or running for too long; fail those that ran out of attempts."""
    now = now or timezone.now()
    requeued: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        stale_queued = Report.objects.select_for_update().filter(
            status=ReportStatus.QUEUED, updated_at__lt=now - QUEUED_STALE_AFTER
        )
        for report in stale_queued:
            requeued.append(report.pk)
        Report.objects.filter(pk__in=requeued).update(updated_at=now)
        stuck = Report.objects.select_for_update().filter(
            status=ReportStatus.RUNNING, started_at__lt=now - running_stale_after()
        )
        for report in stuck:
            if report.attempts >= MAX_ATTEMPTS:
                failed.append(report.pk)
            else:
                requeued.append(report.pk)
                Report.objects.filter(pk=report.pk).update(
                    status=ReportStatus.QUEUED, progress=0, updated_at=now
                )
        Report.objects.filter(pk__in=failed).update(
            status=ReportStatus.FAILED, error=STUCK_MESSAGE, finished_at=now, updated_at=now
        )
        for report_id in requeued:
            _enqueue(report_id)
    if requeued or failed:
        logger.warning("Report sweep: re-queued %s, failed %s", requeued, failed)
    return SweepResult(requeued=requeued, failed=failed)
