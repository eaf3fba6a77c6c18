"""Importing observations: upload → check (in the background) → import all or nothing.

Every write is an upsert by natural key within the workspace (`indicators.models.NATURAL_KEY`):
a new key adds a draft; a changed value, source, quality or note changes a draft or a returned
value, and reopens an approved one as its next draft version (the approved snapshot stays what
readers see, as `stakeholders.review.review_edit` does); an unchanged row touches nothing, so
importing the same file twice changes nothing (no version, no history row, no event).

Nothing queries per row: the checks read what they need once (`indicators.imports.RowChecker`)
and the writes go in chunks (bulk_create, bulk_update, bulk history rows, bulk review events).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import period_year
from stakeholders.cache import touch_workspace
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, can
from stakeholders.review import ReviewAction, ReviewEvent, ReviewState

from ..choices import ImportStatus
from ..imports import (
    CHANGED,
    NEW,
    UNCHANGED,
    CheckedRow,
    CheckResult,
    ImportFileError,
    RowChecker,
    file_kind,
    read_rows,
    xlsx_is_workbook,
)
from ..models import AXIS_FIELDS, ImportJob, Observation

CHUNK = 2000
# The bulk endpoint answers synchronously; larger sets go through an import.
BULK_MAX_ROWS = 5000
PROGRESS_EVERY = 5000
# Fields an import writes on an existing observation.
UPDATED_FIELDS = [
    "value",
    "source",
    "quality",
    "note",
    "review_state",
    "version",
    "lock_version",
    "entered_by",
    "import_job",
    "updated_at",
]


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    updated: int
    unchanged: int


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


def _chunks[T](items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Upload ----------------------------------------------------------------------------------------


def _check_upload(file: UploadedFile) -> str:
    """The file's kind ('csv' or 'xlsx') from its content, or ValidationError on `file`."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s. Split it, or use a smaller file.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    file.seek(0)
    head = file.read(65536)
    file.seek(0)
    kind = file_kind(head)
    if kind == "xlsx" and not xlsx_is_workbook(file):
        kind = None
    if kind is None:
        raise ValidationError(
            {"file": _("The content of this file is not CSV or Excel (XLSX). Save it as one.")},
            code="content",
        )
    return kind


@transaction.atomic
def import_job_create(*, actor: User, workspace: Workspace, file: UploadedFile) -> ImportJob:
    """Store an uploaded CSV/XLSX file and check it in the background."""
    _require_edit(actor, workspace)
    kind = _check_upload(file)
    name = PurePath(file.name or f"import.{kind}").name[:255]
    job = ImportJob(
        workspace=workspace,
        created_by=actor,
        original_name=name,
        status=ImportStatus.PENDING,
    )
    file.name = f"observations.{kind}"
    job.file = file
    job.full_clean()
    job.save()
    from ..tasks import import_job_check_task

    transaction.on_commit(lambda: import_job_check_task.delay(job.pk))
    return job


def _job_kind(job: ImportJob) -> str:
    return "xlsx" if (job.file.name or "").endswith(".xlsx") else "csv"


def _check_file(job: ImportJob, *, on_progress: Callable[[int], None] | None = None) -> CheckResult:
    checker = RowChecker(job.workspace)
    with job.file.open("rb") as stream:
        return checker.check(read_rows(stream, _job_kind(job)), on_progress=on_progress)


def _set_progress(job_id: int, done: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(processed_rows=done)


def _file_error_result(error: ImportFileError) -> CheckResult:
    result = CheckResult()
    result.add_error(1, error.column, error.message)
    return result


def _store_check(job: ImportJob, result: CheckResult, *, status: str) -> None:
    job.total_rows = result.total
    job.processed_rows = result.total
    job.errors = [error.as_dict() for error in result.errors]
    job.error_count = result.error_count
    job.created_count = result.count(NEW)
    job.updated_count = result.count(CHANGED)
    job.unchanged_count = result.count(UNCHANGED)
    job.status = status


def _count_rows(job: ImportJob) -> int:
    """The number of data rows, counted before checking so that progress has a total."""
    with job.file.open("rb") as stream:
        return sum(1 for _row in read_rows(stream, _job_kind(job)))


def import_job_check(*, job_id: int) -> ImportJob | None:
    """Check every row of a waiting upload; the job ends `invalid` (with its errors) or `ready`.

    Progress (`processed_rows`) is saved as it goes, outside any transaction, so that the
    preview page can show it. Safe to run twice: a job no longer waiting is left alone.
    """
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.PENDING, ImportStatus.CHECKING]
    ).update(status=ImportStatus.CHECKING, processed_rows=0)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("workspace").get(pk=job_id)
    try:
        job.total_rows = _count_rows(job)
        ImportJob.objects.filter(pk=job_id).update(total_rows=job.total_rows)
        result = _check_file(job, on_progress=lambda done: _set_progress(job_id, done))
    except ImportFileError as error:
        result = _file_error_result(error)
    if result.total == 0 and not result.error_count:
        result.add_error(2, "", _("The file has no rows of values under its header."))
    _store_check(
        job, result, status=ImportStatus.INVALID if result.error_count else ImportStatus.READY
    )
    job.finished_at = timezone.now() if result.error_count else None
    job.save()
    return job


@transaction.atomic
def import_job_commit(*, actor: User, job: ImportJob) -> ImportJob:
    """Start importing a checked file (`ready`); the values are written in the background."""
    _require_edit(actor, job.workspace)
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportStatus.READY:
        raise ValidationError(
            _("Only a checked file without errors can be imported (this one is %(status)s).")
            % {"status": locked.get_status_display().lower()},
            code="not_ready",
        )
    locked.status = ImportStatus.IMPORTING
    locked.processed_rows = 0
    locked.save(update_fields=["status", "processed_rows", "updated_at"])
    from ..tasks import import_job_run_task

    transaction.on_commit(lambda: import_job_run_task.delay(locked.pk))
    return locked


@transaction.atomic
def import_job_cancel(*, actor: User, job: ImportJob) -> ImportJob:
    """Drop a checked file that will not be imported (its file is kept for the record)."""
    _require_edit(actor, job.workspace)
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status not in (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.PENDING):
        raise ValidationError(
            _("This import cannot be cancelled any more (it is %(status)s).")
            % {"status": locked.get_status_display().lower()},
            code="not_cancellable",
        )
    locked.status = ImportStatus.CANCELLED
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "finished_at", "updated_at"])
    return locked


def _fingerprint(workspace: Workspace) -> tuple[Any, ...]:
    """Changes whenever an observation of the workspace is added, changed or deleted."""
    found = Observation.objects.filter(workspace=workspace).aggregate(
        count=Count("pk"), last=Max("updated_at"), top=Max("pk")
    )
    return (found["count"], found["last"], found["top"])


class _Progress:
    """Saves `processed_rows` while the import's transaction is open.

    On PostgreSQL a second connection writes it in its own (auto-committed) transaction, so
    the preview page sees it move. SQLite has one writer at a time: there the count is saved
    only when the import's transaction ends.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def __call__(self, done: int) -> None:
        if self.side is None:
            return
        table = ImportJob._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_rows = %s WHERE id = %s",  # noqa: S608
                [done, self.job_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Write a committed import, all or nothing (one transaction).

    The rows are checked again first (with progress), since values may have changed since the
    preview; if any row now fails, nothing is written and the job lists the errors. Safe to run
    twice: only a job in `importing` is run, and a failed run leaves nothing behind.
    """
    job = (
        ImportJob.objects.select_related("workspace", "created_by")
        .filter(pk=job_id, status=ImportStatus.IMPORTING)
        .first()
    )
    if job is None:
        return None
    actor = job.created_by
    total = job.total_rows or 1
    before = _fingerprint(job.workspace)
    try:
        result = _check_file(job, on_progress=lambda done: _set_progress(job_id, done // 2))
    except ImportFileError as error:
        result = _file_error_result(error)
    counts: UpsertCounts | None = None
    progress = _Progress(job_id)
    try:
        with transaction.atomic():
            if _fingerprint(job.workspace) != before:
                result = _check_file(job)
            if not result.error_count and actor is not None:
                counts = observations_upsert(
                    actor=actor,
                    workspace=job.workspace,
                    rows=result.rows,
                    job=job,
                    on_progress=lambda done: progress(total // 2 + done // 2),
                )
    finally:
        progress.close()
    job.refresh_from_db()
    if result.error_count or counts is None:
        _store_check(job, result, status=ImportStatus.INVALID)
        if actor is None:
            job.status = ImportStatus.FAILED
            job.message = _("The person who uploaded the file no longer has an account.")
    else:
        job.status = ImportStatus.DONE
        job.processed_rows = job.total_rows = result.total
        job.created_count = counts.created
        job.updated_count = counts.updated
        job.unchanged_count = counts.unchanged
        job.message = ""
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_fail(*, job_id: int, message: str) -> None:
    """Mark an import that could not run (the task gave up); nothing was written."""
    ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING]
    ).update(status=ImportStatus.FAILED, message=message[:2000], finished_at=timezone.now())


# Upsert ----------------------------------------------------------------------------------------


# On PostgreSQL new observations are written with `COPY` and their history rows with one
# `INSERT … SELECT` (`_insert_new_by_copy`); set to False to write them through the ORM, as on
# SQLite. Both paths write the same rows (tests/indicators/test_import_services.py proves it).
USE_COPY = True
COPY_CHUNK = 25000
# The columns `_insert_new_by_copy` writes, in the order of its CSV lines; those in
# `_COPY_NULL_COLUMNS` stay NULL. Together they must be every column of the table
# (`copy_columns_cover_model`), or the ORM path is used.
_COPY_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "workspace_id",
    "indicator_id",
    "period",
    "year",
    *AXIS_FIELDS,
    "value",
    "source_id",
    "quality",
    "note",
    "created_by_id",
    "entered_by_id",
    "import_job_id",
    "review_state",
    "version",
    "lock_version",
    "shared_for_consultation",
)
_COPY_NULL_COLUMNS = (
    "approved_snapshot",
    "approved_version",
    "approved_at",
    "approved_by_id",
    "submitted_by_id",
)


@cache
def copy_columns_cover_model() -> bool:
    """Whether the COPY path writes every column of the observation table (and nothing else)."""
    columns = {field.column for field in Observation._meta.concrete_fields}
    return columns == {*_COPY_COLUMNS, *_COPY_NULL_COLUMNS} and len(_COPY_COLUMNS) == len(
        set(_COPY_COLUMNS)
    )


def copy_path_selected(copy: bool | None = None) -> bool:
    """Whether new observations are written with `COPY`: on PostgreSQL, unless turned off."""
    wanted = USE_COPY if copy is None else copy
    return wanted and connection.vendor == "postgresql" and copy_columns_cover_model()


def _insert_new_by_orm(
    *,
    actor: User,
    workspace: Workspace,
    rows: Sequence[CheckedRow],
    job: ImportJob | None,
    now: datetime.datetime,
) -> None:
    objects = [
        Observation(
            workspace=workspace,
            indicator_id=row.indicator_id,
            period=row.period,
            year=period_year(row.period),
            value=row.value,
            source_id=row.source_id,
            quality=row.quality,
            note=row.note,
            entered_by=actor,
            created_by=actor,
            import_job=job,
            review_state=ReviewState.DRAFT,
            version=1,
            **row.axes,
        )
        for row in rows
    ]
    Observation.objects.bulk_create(objects, batch_size=CHUNK)
    Observation.history.bulk_history_create(
        objects, batch_size=CHUNK, default_user=actor, default_date=now
    )


def _take_ids(cursor: Any, table: str, count: int) -> list[int]:
    """`count` new ids from the table's sequence (in one run unless another writer took some)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
    return [pk for (pk,) in cursor.fetchall()]


def _insert_new_by_copy(
    *,
    actor: User,
    workspace: Workspace,
    rows: Sequence[CheckedRow],
    job: ImportJob | None,
    now: datetime.datetime,
) -> None:
    """PostgreSQL: the same rows as `_insert_new_by_orm`, with `COPY` and `INSERT … SELECT`.

    Ids are taken from the table's sequence first, so the history rows are copied from exactly
    the rows written here, in the same order (`history_id` follows the rows as in the ORM path).
    Every row has `created_at` = `updated_at` = `history_date` = `now` (the ORM path stamps
    each object a few microseconds apart).
    """
    quote = connection.ops.quote_name
    table = Observation._meta.db_table
    stamp = now.isoformat()
    lock_version = Observation._meta.get_field("lock_version").get_default()
    shared = "t" if Observation._meta.get_field("shared_for_consultation").get_default() else "f"
    job_id = job.pk if job is not None else None
    with connection.cursor() as cursor:
        ids = _take_ids(cursor, table, len(rows))
        # Every column but the note holds checked codes and numbers (no comma, quote or line
        # break); the note is always quoted, so that an empty note is '' and not NULL.
        head = f",{stamp},{stamp},{workspace.pk},"
        tail = f",{actor.pk},{actor.pk},{'' if job_id is None else job_id},"
        tail += f"{ReviewState.DRAFT.value},1,{lock_version},{shared}\n"
        axes = itemgetter(*AXIS_FIELDS)
        buffer = io.StringIO(
            "".join(
                f"{pk}{head}{row.indicator_id},{row.period},{row.period[:4]},"
                f"{','.join(axes(row.axes))},{row.value:f},"
                f"{'' if row.source_id is None else row.source_id},{row.quality},"
                f"{_csv_quoted(row.note)}{tail}"
                for pk, row in zip(ids, rows, strict=True)
            )
        )
        cursor.copy_expert(
            f"COPY {quote(table)} ({', '.join(map(quote, _COPY_COLUMNS))}) FROM STDIN"
            f" WITH (FORMAT csv, FORCE_NOT_NULL ({quote('note')}))",
            buffer,
        )
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history = Observation.history.model._meta.db_table
        columns = ", ".join(map(quote, (*_COPY_COLUMNS, *_COPY_NULL_COLUMNS)))
        params: list[Any]
        if ids == list(range(ids[0], ids[0] + len(ids))):
            where, params = "id BETWEEN %s AND %s", [ids[0], ids[-1]]
        else:  # another transaction took ids from the sequence in between
            where, params = "id = ANY(%s)", [ids]
        # As simple-history's bulk_history_create: change reason "" (its default), type "+".
        cursor.execute(
            f"INSERT INTO {quote(history)} ({columns}, history_date, history_change_reason,"  # noqa: S608
            f" history_type, history_user_id) SELECT {columns}, %s, '', '+', %s"
            f" FROM {quote(table)} WHERE {where} ORDER BY id",
            [now, actor.pk, *params],
        )


def _csv_quoted(text: str) -> str:
    """`text` as one quoted CSV field (inner quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def observations_upsert(
    *,
    actor: User,
    workspace: Workspace,
    rows: Sequence[CheckedRow],
    job: ImportJob | None = None,
    on_progress: Callable[[int], None] | None = None,
    copy: bool | None = None,
) -> UpsertCounts:
    """Write checked rows (from `RowChecker.check`) in chunks; call inside a transaction.

    The caller has checked the actor's right to edit and the rows; this only writes. New rows
    go through `COPY` on PostgreSQL (`copy_path_selected`; `copy=False` forces the ORM path),
    changed rows through the ORM on every database.
    """
    now = timezone.now()
    new = [row for row in rows if row.action == NEW]
    changed = [row for row in rows if row.action == CHANGED]
    done = 0
    if new and copy_path_selected(copy):
        for chunk in _chunks(new, COPY_CHUNK):
            _insert_new_by_copy(actor=actor, workspace=workspace, rows=chunk, job=job, now=now)
            done += len(chunk)
            if on_progress is not None:
                on_progress(done)
    else:
        for chunk in _chunks(new):
            _insert_new_by_orm(actor=actor, workspace=workspace, rows=chunk, job=job, now=now)
            done += len(chunk)
            if on_progress is not None and done % PROGRESS_EVERY < CHUNK:
                on_progress(done)
    content_type = ContentType.objects.get_for_model(Observation)
    for chunk in _chunks(changed):
        by_pk = Observation.objects.in_bulk([row.existing.pk for row in chunk if row.existing])
        objects = []
        events = []
        for row in chunk:
            assert row.existing is not None
            observation = by_pk[row.existing.pk]
            from_state = observation.review_state
            action = ReviewAction.EDIT
            if from_state == ReviewState.APPROVED:
                observation.review_state = ReviewState.DRAFT
                observation.version += 1
                action = ReviewAction.REOPEN
            observation.value = row.value
            observation.source_id = row.source_id
            observation.quality = row.quality
            observation.note = row.note
            observation.entered_by = actor
            observation.import_job = job
            observation.lock_version += 1
            observation.updated_at = now
            objects.append(observation)
            events.append(
                ReviewEvent(
                    content_type=content_type,
                    object_id=observation.pk,
                    workspace=workspace,
                    action=action,
                    actor=actor,
                    from_state=from_state,
                    to_state=observation.review_state,
                    version=observation.version,
                )
            )
        Observation.objects.bulk_update(objects, UPDATED_FIELDS, batch_size=CHUNK)
        Observation.history.bulk_history_create(
            objects, batch_size=CHUNK, update=True, default_user=actor, default_date=now
        )
        ReviewEvent.objects.bulk_create(events, batch_size=CHUNK)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done)
    if on_progress is not None:
        on_progress(len(new) + len(changed))
    if new or changed:
        # Bulk writes send no signals: the workspace's cached summaries are bumped here.
        touch_workspace(workspace.pk)
    return UpsertCounts(
        created=len(new),
        updated=len(changed),
        unchanged=sum(1 for row in rows if row.action == UNCHANGED),
    )


@dataclass(frozen=True)
class BulkResult:
    counts: UpsertCounts | None
    errors: list[dict[str, Any]]
    error_count: int


@transaction.atomic
def observations_bulk_upsert(
    *, actor: User, workspace: Workspace, rows: Sequence[dict[str, Any]]
) -> BulkResult:
    """Check and write a list of rows (the API's bulk endpoint): all of them or none.

    Rows are numbered from 1 in the order given; columns are those of an import file.
    """
    _require_edit(actor, workspace)
    if len(rows) > BULK_MAX_ROWS:
        raise ValidationError(
            _("Send at most %(limit)s rows at once; upload a file through an import for more.")
            % {"limit": BULK_MAX_ROWS},
            code="too_many",
        )
    checker = RowChecker(workspace)
    numbered = [
        (number, {key: "" if value is None else value for key, value in row.items()})
        for number, row in enumerate(rows, start=1)
    ]
    result = checker.check(numbered)
    if result.error_count:
        return BulkResult(
            counts=None,
            errors=[error.as_dict() for error in result.errors],
            error_count=result.error_count,
        )
    counts = observations_upsert(actor=actor, workspace=workspace, rows=result.rows)
    return BulkResult(counts=counts, errors=[], error_count=0)
