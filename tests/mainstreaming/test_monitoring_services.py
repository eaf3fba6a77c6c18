"""Services and selectors of monitoring: KPIs, targets, progress updates, deletion rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.choices import ProgressStatus
from mainstreaming.models import KPI, ProgressUpdate
from mainstreaming.selectors.monitoring import (
    kpi_list,
    kpi_row,
    kpi_statuses,
    monitoring_rows,
    organisation_summaries,
    organisations_by_id,
    status_counts,
)
from mainstreaming.services.monitoring import (
    kpi_delete,
    progress_update_create,
    progress_update_delete,
    targets_to_json,
)
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import ReviewEvent, review_edit

from ..factories import OrganisationFactory
from .monitoring_factories import approve, make_kpi, plan, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    return plan(world["editor"], world.workspace)


def test_kpi_create_stores_targets_as_text_and_records_history(world, setup):
    kpi = make_kpi(
        world["editor"],
        setup["cycle"],
        objective=setup["objective"],
        targets={2026: Decimal("20.50"), 2029: Decimal(100)},
    )
    kpi.refresh_from_db()
    assert kpi.targets == {"2026": "20.5", "2029": "100"}
    assert kpi.review_state == "draft"
    assert kpi.lock_version == 1
    assert kpi.created_by == world["editor"]
    assert kpi.workspace == world.workspace
    assert kpi.history.get().history_user == world["editor"]


def test_kpi_create_needs_edit_right(world, setup):
    for role in ("reviewer", "contributor", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            make_kpi(world[role], setup["cycle"], objective=setup["objective"])
    assert not KPI.objects.exists()


def test_kpi_create_refuses_targets_outside_cycle_and_bad_parent(world, setup):
    with pytest.raises(ValidationError) as error:
        make_kpi(world["editor"], setup["cycle"], objective=setup["objective"], targets={2031: 5})
    assert "targets" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_kpi(world["editor"], setup["cycle"])  # neither objective nor action
    with pytest.raises(ValidationError):
        make_kpi(
            world["editor"],
            setup["cycle"],
            objective=setup["objective"],
            action=setup["action"],
        )
    with pytest.raises(ValidationError) as error:
        make_kpi(world["editor"], setup["cycle"], objective=setup["objective"], baseline_year=2027)
    assert "baseline_year" in error.value.message_dict
    foreign = OrganisationFactory(workspace=world.other)
    with pytest.raises(ValidationError) as error:
        make_kpi(world["editor"], setup["cycle"], action=setup["action"], organisation=foreign)
    assert "responsible_organisation" in error.value.message_dict
    assert not KPI.objects.exists()
    # Positive control: the same call with valid values works.
    assert make_kpi(world["editor"], setup["cycle"], action=setup["action"]).pk


def test_progress_update_once_per_period_with_clear_error(world, setup):
    kpi = make_kpi(world["editor"], setup["cycle"], objective=setup["objective"])
    update = report(world["editor"], kpi, "2025-q2", 12)
    assert update.period == "2025-Q2"
    assert update.reporter == world["editor"]
    with pytest.raises(ValidationError) as error:
        report(world["coordinator"], kpi, "2025-Q2", 13)
    assert "This KPI already has an update for this period." in str(error.value)
    with pytest.raises(ValidationError):
        report(world["editor"], kpi, "2025-Q5", 13)
    with pytest.raises(PermissionDenied):
        progress_update_create(
            actor=world["reviewer"], kpi=kpi, period="2026", actual_value=Decimal(1)
        )
    assert ProgressUpdate.objects.count() == 1


def test_review_edit_of_an_approved_kpi_opens_a_draft_and_keeps_snapshot(world, setup):
    kpi = make_kpi(world["editor"], setup["cycle"], objective=setup["objective"])
    approve(world["editor"], world["reviewer"], kpi)
    review_edit(
        actor=world["editor"],
        item=kpi,
        expected_lock_version=kpi.lock_version,
        targets=targets_to_json({2027: Decimal(60)}),
    )
    kpi.refresh_from_db()
    assert kpi.review_state == "draft"
    assert kpi.version == 2
    assert kpi.targets == {"2027": "60"}
    assert kpi.approved_snapshot["targets"] == {"2027": "40"}
    assert ReviewEvent.objects.filter(object_id=kpi.pk, action="reopen").exists()


def test_delete_rules(world, setup):
    editor, coordinator, reviewer = world["editor"], world["coordinator"], world["reviewer"]
    draft = make_kpi(editor, setup["cycle"], objective=setup["objective"], name="Draft")
    report(editor, draft, "2025", 11)
    kpi_delete(actor=editor, kpi=draft)
    assert not KPI.objects.filter(name="Draft").exists()
    assert not ProgressUpdate.objects.exists()  # the updates went with it

    approved = make_kpi(editor, setup["cycle"], objective=setup["objective"], name="Approved")
    approve(editor, reviewer, approved)
    with pytest.raises(PermissionDenied):
        kpi_delete(actor=editor, kpi=approved)
    # A KPI never approved whose update was approved is also part of the record.
    other = make_kpi(editor, setup["cycle"], objective=setup["objective"], name="Other")
    update = report(editor, other, "2025", 11)
    approve(editor, reviewer, update)
    with pytest.raises(PermissionDenied):
        kpi_delete(actor=editor, kpi=other)
    with pytest.raises(PermissionDenied):
        progress_update_delete(actor=editor, update=update)
    with pytest.raises(PermissionDenied):
        kpi_delete(actor=reviewer, kpi=approved)
    progress_update_delete(actor=coordinator, update=update)
    kpi_delete(actor=coordinator, kpi=approved)
    assert list(KPI.objects.values_list("name", flat=True)) == ["Other"]


def test_monitoring_rows_for_drafts_reader_and_observer(world, setup):
    editor, reviewer = world["editor"], world["reviewer"]
    cycle = setup["cycle"]
    on_track = make_kpi(editor, cycle, objective=setup["objective"], name="On track KPI")
    approve(editor, reviewer, on_track)
    approved_update = report(editor, on_track, "2025", "19.5")
    approve(editor, reviewer, approved_update)
    report(editor, on_track, "2026", "5")  # a draft that would put it off track
    make_kpi(editor, cycle, action=setup["action"], name="Draft KPI")

    def rows(user):
        perms = workspace_perms(user, world.workspace)
        return monitoring_rows(user=user, workspace=world.workspace, cycle=cycle, perms=perms)

    editor_rows = {row.name: row for row in rows(editor)}
    assert set(editor_rows) == {"On track KPI", "Draft KPI"}
    assert editor_rows["On track KPI"].status == ProgressStatus.OFF_TRACK
    assert editor_rows["On track KPI"].progress.latest_period == "2026"

    observer_rows = rows(world["observer"])
    # Positive control: the approved KPI is there, with the approved update only.
    assert [row.name for row in observer_rows] == ["On track KPI"]
    assert observer_rows[0].status == ProgressStatus.ON_TRACK
    assert observer_rows[0].progress.latest_period == "2025"

    counts = {c.status: c.count for c in status_counts(rows(editor))}
    assert counts == {"off_track": 1, "at_risk": 0, "on_track": 0, "no_data": 1}
    summaries = organisation_summaries(rows(editor))
    assert [s.total for s in summaries] == [2]


def test_kpi_list_is_scoped_to_the_workspace(world, setup):
    make_kpi(world["editor"], setup["cycle"], objective=setup["objective"])
    assert kpi_list(user=world["editor"], workspace=world.workspace).count() == 1
    assert kpi_list(user=world["outsider"], workspace=world.workspace).count() == 0


def test_kpi_statuses_agree_with_the_rule_over_every_update(world, setup):
    """The fast path (latest update picked in SQL, minimal columns) gives, for every role, the
    same status, latest period and value, target and organisation as `kpi_row` computing the
    rule in Python over every fetched update."""
    editor, reviewer = world["editor"], world["reviewer"]
    cycle = setup["cycle"]
    # A year after the months and quarter ending it: "2026" is the latest, not "2026-Q4".
    years = make_kpi(editor, cycle, objective=setup["objective"], name="Years", targets={2027: 40})
    approve(editor, reviewer, years)
    for period, value in (("2025", 12), ("2026-12", 30), ("2026-Q4", 31), ("2026", 20)):
        approve(editor, reviewer, report(editor, years, period, value))
    # An approved update reopened as a draft with another period and value: readers of approved
    # content still see its approved period and value; drafts readers the new ones.
    reopened = make_kpi(editor, cycle, action=setup["action"], name="Reopened", targets={2027: 40})
    approve(editor, reviewer, reopened)
    approve(editor, reviewer, report(editor, reopened, "2025-06", 15))
    moved = report(editor, reopened, "2025-Q3", 39)
    approve(editor, reviewer, moved)
    review_edit(
        actor=editor,
        item=moved,
        expected_lock_version=moved.lock_version,
        period="2028",
        actual_value=Decimal("11"),
    )
    report(editor, reopened, "2026-01", 5)  # a draft update, never approved
    # A KPI without any update, and a never-approved one.
    make_kpi(editor, cycle, objective=setup["objective"], name="Empty")

    checked = 0
    for role in ("coordinator", "editor", "reviewer", "contributor", "observer"):
        user = world[role]
        perms = workspace_perms(user, world.workspace)
        organisations = organisations_by_id(user=user, workspace=world.workspace)
        slow = [
            kpi_row(kpi, perms=perms, organisations=organisations)
            for kpi in kpi_list(user=user, workspace=world.workspace, cycle=cycle)
        ]
        fast = kpi_statuses(user=user, workspace=world.workspace, cycle=cycle, perms=perms)
        assert [line.pk for line in fast] == [row.kpi.pk for row in slow], role
        for line, row in zip(fast, slow, strict=True):
            assert line.progress == row.progress, (role, row.name)
            assert line.organisation == row.organisation, (role, row.name)
            checked += 1
        by_name = {row.name: row.progress for row in slow}
        # Positive controls: the cases above are really exercised.
        assert by_name["Years"].latest_period == "2026"
        expected = ("2028", Decimal(11)) if Perm.VIEW_DRAFTS in perms else ("2025-Q3", Decimal(39))
        assert (by_name["Reopened"].latest_period, by_name["Reopened"].latest_value) == expected
    assert checked >= 10
