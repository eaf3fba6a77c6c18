"""Import services: checks with row errors, all-or-nothing writes, upsert by natural key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.choices import ImportStatus
from indicators.imports import RowChecker
from indicators.models import ImportJob, Observation
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
