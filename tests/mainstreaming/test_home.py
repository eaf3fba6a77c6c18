"""The workspace home as the overview of the current planning cycle."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from mainstreaming.choices import CycleStage, Direction, ProgressStatus
from mainstreaming.models import KPI, Action, Cycle, ProgressUpdate, SituationSection
from mainstreaming.selectors.home import current_cycle
from mainstreaming.services.cycles import cycle_create
from stakeholders.choices import Role
from stakeholders.review import review_approve, review_edit, review_return, review_submit

from ..factories import MembershipFactory, WorkspaceFactory
from ..querycount import assert_pinned_queries
from .bench_seed import _finish, seed_cycle_content

pytestmark = pytest.mark.django_db


def _home(slug: str = "national") -> str:
    return reverse("mainstreaming:workspace_home", kwargs={"slug": slug})


def _cycle(world, title: str = "Cycle 2025–2029") -> Cycle:
    return cycle_create(
        actor=world["editor"],
        workspace=world.workspace,
        title=title,
        start_year=2025,
        end_year=2029,
    )


def _sections_in_every_state(world, cycle: Cycle) -> dict[str, SituationSection]:
    """A: approved, then edited (new draft "Draft title A2"); B: returned; C: submitted."""
    a, b, c = list(cycle.sections.order_by("position")[:3])
    editor, reviewer = world["editor"], world["reviewer"]
    review_edit(
        actor=editor, item=a, expected_lock_version=a.lock_version, title="Approved title A"
    )
    review_submit(actor=editor, items=[a, b, c])
    review_approve(actor=reviewer, items=[a])
    review_return(actor=reviewer, items=[b], reason="Please add the sources.")
    review_edit(actor=editor, item=a, expected_lock_version=a.lock_version, title="Draft title A2")
    return {"approved": a, "returned": b, "submitted": c}


# Empty state -------------------------------------------------------------------------------------


def test_home_without_cycle_invites_editors_to_start_one(client, world):
    create_url = reverse("mainstreaming:cycle_create", kwargs={"slug": "national"})
    client.force_login(world["editor"])
    body = client.get(_home()).content.decode()
    assert "Start the first planning cycle" in body
    assert f'href="{create_url}"' in body

    client.force_login(world["observer"])
    body = client.get(_home()).content.decode()
    assert "This workspace has no planning cycle yet." in body
    assert "Start the first planning cycle" not in body
    assert create_url not in body


def test_current_cycle_is_the_latest_not_completed_else_the_latest(world):
    old = _cycle(world, "Old")
    Cycle.objects.filter(pk=old.pk).update(start_year=2020, end_year=2024)
    new = _cycle(world, "New")
    assert current_cycle(user=world["observer"], workspace=world.workspace) == new
    Cycle.objects.filter(pk=new.pk).update(completed_at="2026-01-01T00:00Z")
    assert current_cycle(user=world["observer"], workspace=world.workspace) == old
    Cycle.objects.filter(pk=old.pk).update(completed_at="2025-01-01T00:00Z")
    assert current_cycle(user=world["observer"], workspace=world.workspace) == new
    assert current_cycle(user=world["outsider"], workspace=world.workspace) is None


# Stages and counts -------------------------------------------------------------------------------


def test_home_shows_the_cycle_and_its_four_stages(client, world):
    cycle = _cycle(world)
    client.force_login(world["observer"])
    response = client.get(_home())
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert cycle.title in body
    assert cycle.get_absolute_url() in body
    assert reverse("mainstreaming:cycle_list", kwargs={"slug": "national"}) in body
    for stage in CycleStage:
        assert str(stage.label) in body
    assert reverse("mainstreaming:section_list", kwargs={"slug": "national", "pk": cycle.pk}) in (
        body
    )
    stages = response.context["overview"].stages
    assert [stage.status for stage in stages] == [
        "current",
        "not_started",
        "not_started",
        "not_started",
    ]


def test_home_counts_by_state_for_editors_and_approved_only_for_observers(client, world):
    cycle = _cycle(world)
    _sections_in_every_state(world, cycle)

    client.force_login(world["editor"])
    response = client.get(_home())
    sections = response.context["overview"].counts[0]
    assert sections.kind == "situationsection"
    # A is a new draft version; five untouched drafts; B returned; C submitted.
    assert sections.states == {"draft": 6, "submitted": 1, "approved": 0, "returned": 1}
    body = response.content.decode()
    assert "Items by review state" in body
    # The current stage says what stops the sign-off, draft titles included.
    assert "Draft title A2" in body

    client.force_login(world["observer"])
    response = client.get(_home())
    sections = response.context["overview"].counts[0]
    # The observer reads A through its approved snapshot: one approved section, nothing else.
    assert sections.states == {"approved": 1}
    assert [kind.total for kind in response.context["overview"].counts] == [1, 0, 0, 0, 0, 0]
    body = response.content.decode()
    assert "Approved items" in body
    assert "Items by review state" not in body
    assert "Draft title A2" not in body
    assert "Submitted for review" not in body


# Recent activity --------------------------------------------------------------------------------


def test_home_activity_shows_readers_only_approvals_with_the_approved_title(client, world):
    cycle = _cycle(world)
    sections = _sections_in_every_state(world, cycle)

    client.force_login(world["editor"])
    response = client.get(_home())
    actions = [entry.event.action for entry in response.context["activity"]]
    assert actions == ["reopen", "return", "approve", "submit", "submit", "submit", "edit"]
    body = response.content.decode()
    assert "Draft title A2" in body
    assert sections["approved"].get_absolute_url() in body

    client.force_login(world["observer"])
    response = client.get(_home())
    entries = response.context["activity"]
    assert [entry.event.action for entry in entries] == ["approve"]
    assert entries[0].label == "Approved title A"
    assert entries[0].url == sections["approved"].get_absolute_url()
    body = response.content.decode()
    assert "Approved title A" in body
    assert "Draft title A2" not in body
    assert "Please add the sources." not in body


# Needs my action --------------------------------------------------------------------------------


def test_home_needs_my_action_lists_submitted_for_reviewer_and_returned_for_editor(client, world):
    cycle = _cycle(world)
    sections = _sections_in_every_state(world, cycle)
    submitted, returned = sections["submitted"], sections["returned"]

    client.force_login(world["reviewer"])
    response = client.get(_home())
    waiting = response.context["waiting"]
    assert [(entry.item.pk, entry.needed_action) for entry in waiting] == [(submitted.pk, "review")]
    body = response.content.decode()
    assert "To review" in body
    assert f'href="{submitted.get_absolute_url()}"' in body
    assert reverse("stakeholders:needs_my_action", kwargs={"slug": "national"}) in body

    client.force_login(world["editor"])
    waiting = client.get(_home()).context["waiting"]
    assert [(entry.item.pk, entry.needed_action) for entry in waiting] == [(returned.pk, "revise")]

    client.force_login(world["observer"])
    response = client.get(_home())
    body = response.content.decode()
    assert "Recent activity" in body  # positive control: the page rendered its sections
    assert "waiting" not in response.context
    assert "Needs my action" not in body


def test_navigation_links_cycles_and_needs_my_action(client, world):
    cycles_url = reverse("mainstreaming:cycle_list", kwargs={"slug": "national"})
    waiting_url = reverse("stakeholders:needs_my_action", kwargs={"slug": "national"})
    members_url = reverse("stakeholders:membership_list", kwargs={"slug": "national"})
    client.force_login(world["reviewer"])
    body = client.get(members_url).content.decode()
    assert f'href="{cycles_url}"' in body
    assert f'href="{waiting_url}"' in body

    client.force_login(world["observer"])
    body = client.get(members_url).content.decode()
    assert f'href="{cycles_url}"' in body
    assert f'href="{waiting_url}"' not in body


# KPI status summary ------------------------------------------------------------------------------


def _kpi(world, cycle, action, name, *, approved=True, updates=()):
    kpi = _finish(
        KPI(
            cycle=cycle,
            workspace=cycle.workspace,
            action=action,
            name=name,
            unit="percent",
            direction=Direction.HIGHER,
            baseline_value=Decimal(0),
            baseline_year=2025,
            targets={"2029": "100"},
            responsible_organisation=action.lead_organisation,
        ),
        actor=world["editor"],
        approved=approved,
    )
    kpi.full_clean()
    kpi.save()
    for period, value, update_approved in updates:
        update = _finish(
            ProgressUpdate(
                kpi=kpi,
                workspace=cycle.workspace,
                period=period,
                actual_value=value,
                reporter=world["editor"],
            ),
            actor=world["editor"],
            approved=update_approved,
        )
        update.full_clean()
        update.save()
    return kpi


def test_home_kpi_summary_counts_statuses_as_the_reader_sees_them(client, world):
    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(cycle=cycle, actor=world["editor"], organisation=organisation, n=1)
    KPI.objects.filter(cycle=cycle).delete()  # keep only the KPIs made below
    action = Action.objects.get(cycle=cycle)
    # Expected value at the end of 2027 on the line 0 (end 2025) → 100 (end 2029): 50.
    _kpi(world, cycle, action, "On track", updates=[("2027-12", Decimal(50), True)])
    _kpi(world, cycle, action, "At risk", updates=[("2027-Q4", Decimal(35), True)])
    # Off track for readers; a later draft update meets the target for drafts readers.
    _kpi(
        world,
        cycle,
        action,
        "Off track",
        updates=[("2027", Decimal(10), True), ("2029", Decimal(100), False)],
    )
    _kpi(world, cycle, action, "No data")
    _kpi(
        world,
        cycle,
        action,
        "Never approved",
        approved=False,
        updates=[("2026", Decimal(99), False)],
    )

    client.force_login(world["observer"])
    summary = client.get(_home()).context["overview"].kpis
    assert summary.counts == {
        ProgressStatus.ON_TRACK: 1,
        ProgressStatus.AT_RISK: 1,
        ProgressStatus.OFF_TRACK: 1,
        ProgressStatus.NO_DATA: 1,
    }

    client.force_login(world["editor"])
    response = client.get(_home())
    assert response.context["overview"].kpis.counts == {
        ProgressStatus.ON_TRACK: 3,  # "Off track" meets its target by 2029; "Never approved"
        ProgressStatus.AT_RISK: 1,
        ProgressStatus.OFF_TRACK: 0,
        ProgressStatus.NO_DATA: 1,
    }
    assert "3 KPIs" in response.content.decode()


# A fixed number of queries ----------------------------------------------------------------------


@pytest.fixture
def busy_workspace(client):
    """A fresh workspace with a cycle, an editor who submits things and a signed-in user."""
    workspace = WorkspaceFactory(slug="busy", name="Busy workspace")
    editor = MembershipFactory(workspace=workspace, role=Role.EDITOR).user
    organisation = workspace.organisations.first()
    cycle = cycle_create(
        actor=editor, workspace=workspace, title="Busy cycle", start_year=2025, end_year=2029
    )
    counter = itertools.count()

    def add(n: int) -> None:
        start = next(counter) * 100
        seed_cycle_content(
            cycle=cycle,
            actor=editor,
            organisation=organisation,
            n=n,
            periods=["2025", "2026-Q1", "2026-05"],
            start=start,
        )
        drafts = seed_cycle_content(
            cycle=cycle, actor=editor, organisation=organisation, n=n, approved=False, start=start
        )
        assert drafts["kpis"] == n
        review_submit(
            actor=editor,
            items=list(SituationSection.objects.filter(cycle=cycle, review_state="draft")),
        )

    return workspace, cycle, add


@pytest.mark.parametrize(("role", "expected"), [(Role.COORDINATOR, 24), (Role.OBSERVER, 14)])
def test_home_queries_do_not_grow_with_the_cycle(client, busy_workspace, role, expected):
    workspace, _cycle, add = busy_workspace
    client.force_login(MembershipFactory(workspace=workspace, role=role).user)
    assert_pinned_queries(client, workspace.get_absolute_url(), rows=add, expected=expected)


def test_home_kpi_summary_reads_the_approved_value_of_a_reopened_update(client, world):
    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(cycle=cycle, actor=world["editor"], organisation=organisation, n=1)
    KPI.objects.filter(cycle=cycle).delete()
    kpi = _kpi(
        world,
        cycle,
        Action.objects.get(cycle=cycle),
        "Reopened",
        updates=[("2027-12", Decimal(50), True)],
    )
    update = kpi.updates.get()
    review_edit(
        actor=world["editor"],
        item=update,
        expected_lock_version=update.lock_version,
        period="2027-06",
        actual_value=Decimal(5),
    )
    client.force_login(world["observer"])
    counts = client.get(_home()).context["overview"].kpis.counts
    assert counts[ProgressStatus.ON_TRACK] == 1 and counts[ProgressStatus.OFF_TRACK] == 0
    client.force_login(world["editor"])
    counts = client.get(_home()).context["overview"].kpis.counts
    assert counts[ProgressStatus.OFF_TRACK] == 1 and counts[ProgressStatus.ON_TRACK] == 0


def test_home_offers_the_sign_off_of_a_ready_stage_to_the_coordinator_only(client, world):
    cycle = _cycle(world)
    sections = list(cycle.sections.all())
    review_submit(actor=world["editor"], items=sections)
    review_approve(actor=world["reviewer"], items=sections)
    signoff_url = reverse(
        "mainstreaming:stage_signoff",
        kwargs={"slug": "national", "pk": cycle.pk, "stage": CycleStage.SITUATION_ANALYSIS},
    )
    client.force_login(world["coordinator"])
    body = client.get(_home()).content.decode()
    assert "ready for sign-off" in body
    assert f'href="{signoff_url}"' in body

    client.force_login(world["editor"])
    body = client.get(_home()).content.decode()
    assert "ready for sign-off" in body
    assert signoff_url not in body


def test_progress_scan_picks_the_latest_period_as_progress_latest_key_does(world):
    from mainstreaming.progress import latest_key
    from mainstreaming.selectors.home import latest_progress_updates, progress_scan
    from stakeholders.permissions import workspace_perms

    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(cycle=cycle, actor=world["editor"], organisation=organisation, n=1)
    KPI.objects.filter(cycle=cycle).delete()
    action = Action.objects.get(cycle=cycle)
    # Mixed frequencies: a year ends with its December and its Q4 and comes after both; a
    # quarter ends with its last month (the SQL then prefers the quarter, as before).
    sets = [
        ["2026", "2026-Q4", "2026-12", "2026-11", "2025-Q4"],
        ["2026-Q4", "2026-12", "2026-11"],
        ["2026-Q3", "2026-10", "2026-09", "2025"],
        ["2027-Q1", "2027-01", "2026", "2026-Q4"],
        ["2027-02", "2027-Q1", "2026"],
        ["2024", "2025-Q1", "2025-02"],
        ["2029-12", "2029-Q3", "2028"],
    ]
    expected = {}
    for number, periods in enumerate(sets):
        updates = [(period, Decimal(index + 1), True) for index, period in enumerate(periods)]
        kpi = _kpi(world, cycle, action, f"Mixed {number}", updates=updates)
        chosen = max(updates, key=lambda u: (latest_key(u[0]), u[0].replace("Q", "~")))
        expected[kpi.pk] = (chosen[0], chosen[1])
    # Positive control: the winners are not all the lexicographic maximum of the periods.
    assert any(
        won != max(periods) for (won, _v), periods in zip(expected.values(), sets, strict=True)
    )
    # A reopened update: readers keep its approved period and value, drafts readers see the
    # new ones (moved back to an earlier month, so another update becomes the latest).
    reopened_kpi = _kpi(
        world,
        cycle,
        action,
        "Reopened",
        updates=[("2027-05", Decimal(7), True), ("2027-Q3", Decimal(8), True)],
    )
    update = reopened_kpi.updates.get(period="2027-Q3")
    review_edit(
        actor=world["editor"],
        item=update,
        expected_lock_version=update.lock_version,
        period="2027-Q1",
        actual_value=Decimal(9),
    )
    total = sum(len(periods) for periods in sets) + 2
    for name, reopened_latest in (("editor", ("2027-05", 7)), ("observer", ("2027-Q3", 8))):
        perms = workspace_perms(world[name], world.workspace)
        latest = latest_progress_updates(user=world[name], cycle=cycle, perms=perms)
        found = {pk: (u.period, u.actual_value) for pk, u in latest.items()}
        assert found == {**expected, reopened_kpi.pk: reopened_latest}, name
        assert sum(progress_scan(cycle=cycle, perms=perms).counts.values()) == total
