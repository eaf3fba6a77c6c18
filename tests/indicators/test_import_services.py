"""Import services: checks with row errors, all-or-nothing writes, upsert by natural key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.choices import ImportStatus
from indicators.imports import RowChecker
from indicators.models import DataSource, ImportJob, Observation
from indicators.services.imports import (
    BULK_MAX_ROWS,
    import_job_cancel,
    import_job_commit,
    import_job_create,
    observations_bulk_upsert,
)
from stakeholders.review import ReviewAction, ReviewEvent, ReviewState

from .import_factories import (
    approve,
    csv_bytes,
    many_rows,
    row,
    source,
    upload,
    write,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_import(world, django_capture_on_commit_callbacks):
    """Upload as the editor, check, and import if the check passed (tasks run eagerly)."""

    def run(data: bytes, name: str = "values.csv", *, commit: bool = True) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                actor=world["editor"], workspace=world.workspace, file=upload(data, name)
            )
        job.refresh_from_db()
        if commit and job.status == ImportStatus.READY:
            with django_capture_on_commit_callbacks(execute=True):
                import_job_commit(actor=world["editor"], job=job)
            job.refresh_from_db()
        return job

    return run


def test_import_one_bad_row_among_1000_saves_nothing_and_reports_it(
    world, django_capture_on_commit_callbacks
):
    rows = many_rows(1000)
    rows[636]["value"] = "101"  # a percent above 100: spreadsheet row 638 (header is row 1)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            actor=world["editor"], workspace=world.workspace, file=upload(csv_bytes(rows))
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert job.total_rows == 1000
    assert job.error_count == 1
    assert job.errors == [
        {
            "row": 638,
            "column": "value",
            "message": "101 is above 100, the highest value for percent.",
        }
    ]
    assert Observation.objects.filter(workspace=world.workspace).count() == 0
    with pytest.raises(ValidationError):
        import_job_commit(actor=world["editor"], job=job)
    assert Observation.objects.filter(workspace=world.workspace).count() == 0

    # Positive control: the same file without the bad row imports all 1,000 values.
    rows[636]["value"] = "99"
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            actor=world["editor"], workspace=world.workspace, file=upload(csv_bytes(rows))
        )
    job.refresh_from_db()
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.READY, 1000, 0)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(actor=world["editor"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1000, 0, 0)
    assert job.processed_rows == job.total_rows == 1000
    assert Observation.objects.filter(workspace=world.workspace, import_job=job).count() == 1000
    first = Observation.objects.get(
        workspace=world.workspace, period="1950-01", sex="F", age="Y0T14", urbanisation="URBAN"
    )
    assert first.review_state == ReviewState.DRAFT
    assert first.entered_by == world["editor"] and first.created_by == world["editor"]
    assert first.history.count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_reimport_of_the_same_file_is_a_no_op(world, run_import, kind):
    src = source(world.workspace)
    rows = [
        row("ECO-02", "2023", "12.5", sex="F", source=src.name, quality="final", note="LFS"),
        row("ECO-02", "2023", 11, sex="M"),
        row("ECO-01", "2024-Q2", "-3.25"),
    ]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    name = f"values.{kind}"
    first_run = run_import(data, name)
    assert first_run.status == ImportStatus.DONE, first_run.errors
    assert first_run.created_count == 3
    female = Observation.objects.get(workspace=world.workspace, sex="F")
    assert (female.value, female.source, female.quality, female.note) == (
        Decimal("12.5"),
        src,
        "final",
        "LFS",
    )
    history = Observation.history.count()
    events = ReviewEvent.objects.count()
    snapshot = list(Observation.objects.values_list("pk", "version", "lock_version", "updated_at"))

    again = run_import(data, name)
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Observation.history.count() == history
    assert ReviewEvent.objects.count() == events
    assert (
        list(Observation.objects.values_list("pk", "version", "lock_version", "updated_at"))
        == snapshot
    )


def test_import_reopens_an_approved_value_and_keeps_its_snapshot(world, run_import):
    (observation,) = write(world.workspace, world["editor"], [row("ECO-02", "2022", "40", sex="F")])
    approve([observation], editor=world["editor"], reviewer=world["reviewer"])
    observation.refresh_from_db()
    assert observation.review_state == ReviewState.APPROVED

    job = run_import(csv_bytes([row("ECO-02", "2022", "42", sex="F")]))
    job.refresh_from_db()
    assert (job.status, job.updated_count, job.created_count) == (ImportStatus.DONE, 1, 0)
    observation.refresh_from_db()
    assert observation.value == Decimal("42")
    assert observation.review_state == ReviewState.DRAFT
    assert observation.version == 2
    assert observation.approved_version == 1
    assert Decimal(str(observation.approved_snapshot["value"])) == Decimal("40")
    assert observation.import_job == job
    event = ReviewEvent.objects.filter(object_id=observation.pk).order_by("pk").last()
    assert (event.action, event.from_state, event.to_state, event.version) == (
        ReviewAction.REOPEN,
        ReviewState.APPROVED,
        ReviewState.DRAFT,
        2,
    )
    assert observation.history.first().value == Decimal("42")


def test_import_refuses_to_change_a_value_waiting_for_review(world, run_import):
    (observation,) = write(world.workspace, world["editor"], [row("ECO-02", "2022", "40", sex="F")])
    from stakeholders.review import review_submit

    review_submit(actor=world["editor"], items=[observation])
    job = run_import(csv_bytes([row("ECO-02", "2022", "41", sex="F")]))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "value")]
    assert "waiting for review" in job.errors[0]["message"]
    # Positive control: the unchanged value of a submitted item is no error.
    same = run_import(csv_bytes([row("ECO-02", "2022", "40", sex="F")]))
    same.refresh_from_db()
    assert same.status == ImportStatus.DONE and same.unchanged_count == 1


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"indicator_code": "NOPE-1"},
            "indicator_code",
            "NOPE-1 is not the code of an indicator of this workspace.",
        ),
        (
            {"period": "2024-13"},
            "period",
            "Enter a year (2024), a quarter (2024-Q2) or a month (2024-05).",
        ),
        ({"period": "1949"}, "period", "The period must fall between 1950 and 2100."),
        ({"value": "abc"}, "value", "“abc” is not a number."),
        ({"value": "-0.5"}, "value", "-0.5 is below 0, the lowest value for percent."),
        ({"sex": "X"}, "sex", "“X” is not a code of sex; use one of F, M, _T."),
        (
            {"education_level": "ISCED5T8"},
            "education_level",
            "ECO-02 is not disaggregated by education level.",
        ),
        (
            {"source": "Unknown census"},
            "source",
            "“Unknown census” is not a data source of this workspace; add it first.",
        ),
        (
            {"quality": "good"},
            "quality",
            "“good” is not a quality; use one of estimate, provisional, final.",
        ),
    ],
)
def test_row_checker_reports_row_column_and_reason(world, cells, column, message):
    bad = {**row("ECO-02", "2024", "50"), **cells}
    result = RowChecker(world.workspace).check([(2, row("ECO-02", "2023", "50")), (3, bad)])
    assert [e.as_dict() for e in result.errors] == [
        {"row": 3, "column": column, "message": message}
    ]
    assert [r.row for r in result.rows] == [2]  # positive control: the good row passes


def test_row_checker_duplicate_key_in_the_file(world):
    rows = [(2, row("ECO-02", "2023", "1", sex="f")), (3, row("ECO-02", "2023", "2", sex="F"))]
    result = RowChecker(world.workspace).check(rows)
    assert [e.as_dict() for e in result.errors] == [
        {
            "row": 3,
            "column": "period",
            "message": "Row 2 already has a value for this indicator, period and breakdown.",
        }
    ]


def test_row_checker_ordinal_takes_label_or_rank(world):
    result = RowChecker(world.workspace).check(
        [
            (2, row("GOV-01", "2023", "Meets")),
            (3, row("GOV-01", "2024", 4)),
            (4, row("GOV-01", "2025", 5)),
        ]
    )
    assert [r.value for r in result.rows] == [Decimal(3), Decimal(4)]
    assert [(e.row, e.column) for e in result.errors] == [(4, "value")]


def test_import_upload_refuses_other_files_and_readers(world):
    with pytest.raises(ValidationError) as error:
        import_job_create(
            actor=world["editor"],
            workspace=world.workspace,
            file=upload(b"%PDF-1.4\x00\x01", "x.csv"),
        )
    assert "not CSV or Excel" in str(error.value)
    with pytest.raises(PermissionDenied):
        import_job_create(actor=world["observer"], workspace=world.workspace, file=upload(b"a,b\n"))
    assert not ImportJob.objects.exists()


def test_import_missing_column_is_a_file_error(world, run_import):
    job = run_import(b"indicator_code,period\nECO-02,2024\n", commit=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 1,
            "column": "value",
            "message": "The first row must name the columns; missing: value.",
        }
    ]


def test_import_cancel_a_ready_job(world, run_import):
    job = run_import(csv_bytes([row("ECO-02", "2023", "5")]), commit=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    import_job_cancel(actor=world["editor"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    with pytest.raises(ValidationError):
        import_job_commit(actor=world["editor"], job=job)
    assert not Observation.objects.exists()


def test_bulk_upsert_all_or_nothing(world):
    bad = [row("ECO-02", "2023", "5"), row("ECO-02", "2024", "500")]
    result = observations_bulk_upsert(actor=world["editor"], workspace=world.workspace, rows=bad)
    assert result.counts is None
    assert result.errors == [
        {"row": 2, "column": "value", "message": "500 is above 100, the highest value for percent."}
    ]
    assert not Observation.objects.exists()
    good = [row("ECO-02", "2023", "5"), row("ECO-02", "2024", "50")]
    result = observations_bulk_upsert(actor=world["editor"], workspace=world.workspace, rows=good)
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (2, 0, 0)
    result = observations_bulk_upsert(actor=world["editor"], workspace=world.workspace, rows=good)
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (0, 0, 2)
    with pytest.raises(ValidationError):
        observations_bulk_upsert(
            actor=world["editor"], workspace=world.workspace, rows=[good[0]] * (BULK_MAX_ROWS + 1)
        )


# Write paths: COPY (PostgreSQL) and ORM (SQLite, and the fallback) ----------------------------

# Rows that exercise every column the COPY path writes: periods of each kind, every axis, values
# with six decimals, negative and ordinal values, a source or none, each quality, and notes with
# the characters CSV quotes (comma, quote, line break), a backslash, accents and no note at all.
EQUIVALENCE_ROWS = [
    row(
        "ECO-02",
        "2023",
        "12.5",
        sex="F",
        age="Y15T24",
        urbanisation="URBAN",
        migratory_status="MIGRANT",
        source="Labour force survey 2024",
        quality="final",
        note='Said "yes", then\nno',
    ),
    row("ECO-02", "2023-Q2", "0", sex="M", quality="estimate", note="back\\slash, é"),
    row("ECO-02", "2023-07", "99.123456", migratory_status="RETURNEE"),
    row("ECO-01", "1950", "-3.25", note="   "),
    row(
        "ECO-05",
        "2100",
        "123456.5",
        sex="F",
        partner_country="fra",
        education_level="ISCED5T8",
        source="Labour force survey 2024",
    ),
    row("GOV-01", "2024", "Meets"),
]
# Columns compared as they are; the others are compared below through what they point to.
SAME_COLUMNS = [
    "period", "year", "sex", "age", "migratory_status", "urbanisation", "education_level",
    "partner_country", "value", "quality", "note", "review_state", "version", "lock_version",
    "shared_for_consultation", "approved_snapshot", "approved_version", "approved_at",
    "approved_by_id", "submitted_by_id", "created_by_id", "entered_by_id", "indicator_id",
]  # fmt: skip
HISTORY_COLUMNS = [*SAME_COLUMNS, "history_type", "history_change_reason", "history_user_id"]
# Compared apart: ids, what points to the workspace, source and import, and the times.
OTHER_COLUMNS = ["id", "workspace_id", "source_id", "import_job_id", "created_at", "updated_at"]
KEY = ["indicator_id", "period", "sex", "age", "migratory_status", "urbanisation",
       "education_level", "partner_country"]  # fmt: skip


def _written(workspace, job, *, copy, chunk=None, monkeypatch=None):
    """Write EQUIVALENCE_ROWS as new rows of `workspace` through one path; its rows and history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from indicators.services import imports as services

    source(workspace)
    if chunk is not None:
        monkeypatch.setattr(services, "COPY_CHUNK", chunk)
    result = RowChecker(workspace).check(enumerate(EQUIVALENCE_ROWS, start=2))
    assert not result.error_count, result.errors
    progress: list[int] = []
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        services.observations_upsert(
            actor=job.created_by, workspace=workspace, rows=result.rows, job=job,
            on_progress=progress.append, copy=copy,
        )  # fmt: skip
    after = timezone.now()
    used_copy = any("nextval" in query["sql"] for query in queries.captured_queries)
    observations = list(Observation.objects.filter(workspace=workspace).order_by("pk").values())
    history = list(Observation.history.filter(workspace=workspace).order_by("history_id").values())
    for item in observations:
        assert before <= item["created_at"] <= after and before <= item["updated_at"] <= after
    for item in history:
        assert before <= item["history_date"] <= after
    return observations, history, used_copy, progress


def _comparable(observations, history, workspace, job):
    """Rows by natural key with the workspace, source and import as what they point to."""
    source_id = DataSource.objects.get(workspace=workspace).pk

    def common(item):
        assert item["workspace_id"] == workspace.pk
        assert item["import_job_id"] == job.pk
        assert item["source_id"] in (None, source_id)
        return item["source_id"] is not None

    rows = {}
    for item in observations:
        rows[tuple(item[c] for c in KEY)] = (*(item[c] for c in SAME_COLUMNS), common(item))
    by_id = {item["id"]: (number, item) for number, item in enumerate(observations)}
    entries = []
    for item in history:
        number, observation = by_id[item["id"]]
        # A history row holds its observation's times as they were written.
        assert item["created_at"] == observation["created_at"]
        assert item["updated_at"] == observation["updated_at"]
        entries.append((number, *(item[c] for c in HISTORY_COLUMNS), common(item)))
    return rows, entries


@pytest.mark.parametrize("chunk", [None, 4], ids=["one-chunk", "chunks-of-4"])
def test_new_rows_by_copy_and_by_orm_are_identical(world, monkeypatch, chunk):
    """The COPY path (PostgreSQL) writes the same observations and history rows as the ORM path.

    On PostgreSQL (CI) the first workspace is written through the ORM (`copy=False`) and the
    second through COPY (the default), and every column is compared. On SQLite the COPY path
    cannot run: the test checks that it is not selected (even when asked for) and that both
    writes go through the ORM and give the same rows — the PostgreSQL half is exercised in CI.
    """
    from django.db import connection

    from indicators.services.imports import copy_path_selected

    columns = {field.column for field in Observation._meta.concrete_fields}
    assert columns == {*SAME_COLUMNS, *OTHER_COLUMNS}  # every column is compared
    on_postgresql = connection.vendor == "postgresql"
    orm_job = ImportJob.objects.create(workspace=world.workspace, created_by=world["editor"])
    copy_job = ImportJob.objects.create(workspace=world.other, created_by=world["editor"])

    orm = _written(world.workspace, orm_job, copy=False, chunk=chunk, monkeypatch=monkeypatch)
    copied = _written(world.other, copy_job, copy=None, chunk=chunk, monkeypatch=monkeypatch)

    assert orm[2] is False  # the ORM path takes no ids from the sequence
    assert copy_path_selected() is on_postgresql
    assert copy_path_selected(True) is on_postgresql
    assert copy_path_selected(False) is False
    assert copied[2] is on_postgresql, "PostgreSQL must write new rows with COPY"
    orm_rows, orm_history = _comparable(orm[0], orm[1], world.workspace, orm_job)
    copy_rows, copy_history = _comparable(copied[0], copied[1], world.other, copy_job)
    assert len(orm_rows) == len(EQUIVALENCE_ROWS)
    assert copy_rows == orm_rows
    assert copy_history == orm_history
    # Hand-written expectations, so that both paths cannot be wrong the same way.
    assert [entry[0] for entry in orm_history] == list(range(len(EQUIVALENCE_ROWS)))
    first = copied[0][0]
    assert (first["value"], first["note"], first["quality"], first["year"]) == (
        Decimal("12.500000"), 'Said "yes", then\nno', "final", 2023,
    )  # fmt: skip
    assert [item["note"] for item in copied[0][1:4]] == ["back\\slash, é", "", ""]
    assert copied[0][4]["partner_country"] == "FRA" and copied[0][4]["year"] == 2100
    assert copied[0][5]["value"] == Decimal(3)  # "Meets", the third category of GOV-01
    assert {item["history_type"] for item in copied[1]} == {"+"}
    assert {item["history_change_reason"] for item in copied[1]} == {""}
    assert {item["history_user_id"] for item in copied[1]} == {world["editor"].pk}
    assert {item["review_state"] for item in copied[0]} == {ReviewState.DRAFT}
    assert copied[3][-1] == len(EQUIVALENCE_ROWS)  # progress ends at the number of new rows
    if on_postgresql:
        # COPY stamps every row of a write with one time, the history date included.
        assert {item["created_at"] for item in copied[0]} == {
            item["history_date"] for item in copied[1]
        }


def test_copy_path_with_ids_not_in_one_run(world, monkeypatch):
    """The history rows are found by their ids when another writer took ids in between."""
    from django.db import connection

    from indicators.services import imports as services

    if connection.vendor != "postgresql":
        # SQLite: there is no COPY path and it is never selected; this half runs in CI.
        assert services.copy_path_selected(True) is False
        return
    take_ids = services._take_ids

    def every_other_id(cursor, table, count):
        return take_ids(cursor, table, 2 * count)[::2]  # as if another writer took the rest

    monkeypatch.setattr(services, "_take_ids", every_other_id)
    job = ImportJob.objects.create(workspace=world.workspace, created_by=world["editor"])
    observations, history, used_copy, _progress = _written(world.workspace, job, copy=True)
    ids = [item["id"] for item in observations]
    assert used_copy
    assert ids != list(range(ids[0], ids[0] + len(ids)))  # positive control: gaps between ids
    assert [item["id"] for item in history] == ids
    assert [item["period"] for item in history] == [item["period"] for item in observations]


def test_copy_columns_cover_every_observation_column():
    """A new column of Observation must be added to the COPY path, or the ORM path is used."""
    from indicators.services.imports import copy_columns_cover_model

    assert copy_columns_cover_model() is True


def test_import_of_new_and_changed_rows_in_one_file(world, run_import):
    """New rows (COPY on PostgreSQL) and changed rows (ORM) of one import, with their history."""
    (kept,) = write(world.workspace, world["editor"], [row("ECO-02", "2022", "40", sex="F")])
    job = run_import(
        csv_bytes([row("ECO-02", "2022", "41", sex="F"), row("ECO-02", "2022", "7", sex="M")])
    )
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 1, 1)
    kept.refresh_from_db()
    added = Observation.objects.get(workspace=world.workspace, sex="M")
    assert (kept.value, kept.lock_version, kept.import_job) == (Decimal(41), 1, job)
    assert (added.value, added.lock_version, added.import_job, added.year) == (
        Decimal(7),
        0,
        job,
        2022,
    )
    assert [h.history_type for h in kept.history.order_by("history_id")] == ["+", "~"]
    assert [(h.history_type, h.value) for h in added.history.all()] == [("+", Decimal(7))]
