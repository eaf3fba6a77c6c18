"""Pages of the plan: priorities, concerns, objectives, actions, action plan, logframe, timeline."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mainstreaming.models import Action, EntryPointConcern, Priority
from mainstreaming.views.planning import timeline_cells
from stakeholders.review import review_edit
from tests.factories import OrganisationFactory
from tests.querycount import assert_pinned_queries

from .planning_factories import (
    approve,
    default_concern,
    make_action,
    make_cycle,
    make_kpi,
    make_objective,
    make_priority,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"mainstreaming:{name}", args=args)


@pytest.fixture
def plan(world):
    """A cycle with one approved priority → objective → action (then edited into a new draft)
    and one priority never approved."""
    editor, reviewer = world["editor"], world["reviewer"]
    cycle = make_cycle(world)
    priority = make_priority(editor, cycle, title="Approved priority title")
    approve(priority, submitter=editor, approver=reviewer)
    review_edit(
        actor=editor,
        item=priority,
        expected_lock_version=priority.lock_version,
        title="Draft priority title",
    )
    objective = approve(
        make_objective(editor, priority, title="Approved objective"),
        submitter=editor,
        approver=reviewer,
    )
    action = make_action(
        editor,
        objective,
        title="Approved action",
        budget_amount=Decimal("100"),
        budget_currency="XOF",
    )
    approve(action, submitter=editor, approver=reviewer)
    review_edit(
        actor=editor,
        item=action,
        expected_lock_version=action.lock_version,
        title="Draft action",
        budget_amount=Decimal("777"),
    )
    hidden = make_priority(editor, cycle, title="Never approved priority")
    return {
        "cycle": cycle,
        "priority": priority,
        "objective": objective,
        "action": action,
        "hidden": hidden,
    }


def W(world):
    return world.workspace.slug


# Priorities ------------------------------------------------------------------------------------


def test_priority_list_editor_sees_drafts_and_observer_the_approved_text(client, world, plan):
    page = url("priority_list", W(world), plan["cycle"].pk)
    client.force_login(world["editor"])
    body = client.get(page).content.decode()
    assert "Draft priority title" in body
    assert "Never approved priority" in body
    assert "Move down" in body and "batch-priorities" in body

    client.force_login(world["observer"])
    body = client.get(page).content.decode()
    assert "Approved priority title" in body  # positive control
    assert "Draft priority title" not in body
    assert "Never approved priority" not in body
    assert "Move down" not in body


def test_priority_list_empty_states(client, world):
    cycle = make_cycle(world)
    page = url("priority_list", W(world), cycle.pk)
    client.force_login(world["editor"])
    assert "No priorities yet — add the first one." in client.get(page).content.decode()
    client.force_login(world["observer"])
    assert "Nothing approved yet." in client.get(page).content.decode()


def test_priority_create_requires_gender_and_rights_in_the_form(client, world):
    cycle = make_cycle(world)
    client.force_login(world["editor"])
    response = client.post(
        url("priority_create", W(world), cycle.pk),
        {"title": "Skills", "concern": default_concern().pk, "level": "national"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert "every priority must state how it affects women and men" in body
    assert "every priority must state how it protects migrants" in body
    assert not Priority.objects.exists()

    response = client.post(
        url("priority_create", W(world), cycle.pk),
        {
            "title": "Skills",
            "concern": default_concern().pk,
            "level": "national",
            "gender_considerations": "Women trainees.",
            "rights_considerations": "Equal treatment.",
        },
    )
    priority = Priority.objects.get()
    assert response.status_code == 302
    assert response["Location"] == priority.get_absolute_url()
    assert priority.created_by == world["editor"]


def test_priority_create_in_city_offers_approved_national_priorities(client, world):
    national_cycle = make_cycle(world)
    approved = approve(
        make_priority(world["editor"], national_cycle, title="National approved"),
        submitter=world["editor"],
        approver=world["reviewer"],
    )
    make_priority(world["editor"], national_cycle, title="National draft")
    city_cycle = make_cycle(world, workspace=world.city)
    client.force_login(world["citycoordinator"])
    form = client.get(url("priority_create", "city", city_cycle.pk)).content.decode()
    assert "National approved" in form
    assert "National draft" not in form
    response = client.post(
        url("priority_create", "city", city_cycle.pk),
        {
            "title": "Local",
            "concern": default_concern().pk,
            "level": "local",
            "gender_considerations": "G",
            "rights_considerations": "R",
            "national_priority": approved.pk,
        },
    )
    assert response.status_code == 302
    local = Priority.objects.get(workspace=world.city)
    assert local.national_priority == approved
    detail = client.get(local.get_absolute_url()).content.decode()
    assert "National approved" in detail

    # Once approved, the national side lists it, for the national coordinator only.
    approve(local, submitter=world["citycoordinator"], approver=_city_reviewer(world))
    client.force_login(world["coordinator"])
    national = client.get(approved.get_absolute_url()).content.decode()
    assert "Local priorities that contribute to it" in national
    assert ">Local</a>" in national
    client.force_login(world["observer"])
    national = client.get(approved.get_absolute_url()).content.decode()
    assert "Local priorities that contribute to it" in national  # positive control
    assert ">Local</a>" not in national


def _city_reviewer(world):
    from stakeholders.choices import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(workspace=world.city, role=Role.REVIEWER).user


def test_priority_detail_observer_sees_approved_snapshot_and_approved_children(client, world, plan):
    editor_only = make_objective(world["editor"], plan["priority"], title="Draft objective")
    client.force_login(world["editor"])
    body = client.get(plan["priority"].get_absolute_url()).content.decode()
    assert "Draft priority title" in body
    assert "Draft objective" in body and "Draft action" in body
    assert "review-panel" in body
    assert "Add an objective" in body

    client.force_login(world["observer"])
    body = client.get(plan["priority"].get_absolute_url()).content.decode()
    assert "Approved priority title" in body
    assert "Approved objective" in body and "Approved action" in body
    assert "Draft priority title" not in body
    assert "Draft objective" not in body and "Draft action" not in body
    assert "Add an objective" not in body
    assert editor_only.pk  # the draft objective exists: the absence above is the rule, not luck
    assert client.get(plan["hidden"].get_absolute_url()).status_code == 404


def test_priority_update_goes_through_review_edit_and_detects_conflicts(client, world, plan):
    priority = plan["hidden"]
    page = url("priority_update", W(world), priority.pk)
    client.force_login(world["editor"])
    form = client.get(page).content.decode()
    lock = re.search(r'name="lock_version" value="(\d+)"', form).group(1)
    data = {
        "title": "Changed title",
        "concern": priority.concern_id,
        "level": "national",
        "gender_considerations": "G2",
        "rights_considerations": "R2",
        "lock_version": lock,
    }
    assert client.post(page, data).status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.gender_considerations) == ("Changed title", "G2")
    # The same form again, now stale: a conflict page that keeps the text.
    data["title"] = "My stale title"
    response = client.post(page, data)
    assert response.status_code == 409
    assert "My stale title" in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Changed title"


def test_priority_move_buttons_reorder(client, world):
    cycle = make_cycle(world)
    a = make_priority(world["editor"], cycle, title="A")
    b = make_priority(world["editor"], cycle, title="B")
    client.force_login(world["editor"])
    response = client.post(url("priority_move", W(world), b.pk), {"rank": 1})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#priority-{b.pk}")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.rank, a.rank) == (1, 2)
    client.force_login(world["reviewer"])
    assert client.post(url("priority_move", W(world), a.pk), {"rank": 1}).status_code == 403


def test_priority_delete_confirmation_and_rules(client, world, plan):
    client.force_login(world["editor"])
    page = url("priority_delete", W(world), plan["hidden"].pk)
    body = client.get(page).content.decode()
    assert "Delete “Never approved priority”?" in body
    assert "0 objectives" in body
    assert client.post(page).status_code == 302
    assert not Priority.objects.filter(pk=plan["hidden"].pk).exists()

    approved_page = url("priority_delete", W(world), plan["priority"].pk)
    assert client.get(approved_page).status_code == 403
    assert client.post(approved_page).status_code == 403
    client.force_login(world["coordinator"])
    body = client.get(approved_page).content.decode()
    assert "1 objective" in body and "1 action" in body and "part of the record" in body
    assert client.post(approved_page).status_code == 302
    assert not Action.objects.exists()


# Concerns --------------------------------------------------------------------------------------


def test_concern_list_shows_defaults_and_adds_own(client, world):
    page = url("concern_list", W(world))
    client.force_login(world["editor"])
    body = client.get(page).content.decode()
    assert "Diaspora engagement" in body
    assert client.post(page, {"name": "Return and reintegration"}).status_code == 302
    assert EntryPointConcern.objects.filter(workspace=world.workspace).count() == 1
    response = client.post(page, {"name": "return and reintegration"})
    assert response.status_code == 400
    assert "already has a concern" in response.content.decode()
    client.force_login(world["observer"])
    body = client.get(page).content.decode()
    assert "Return and reintegration" in body
    assert "Add concern" not in body
    assert client.post(page, {"name": "X"}).status_code == 403


# Objectives and actions ------------------------------------------------------------------------


def test_objective_create_and_detail(client, world, plan):
    client.force_login(world["editor"])
    response = client.post(
        url("objective_create", W(world), plan["priority"].pk),
        {"title": "New objective", "description": "**Why**"},
    )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "New objective" in body and "<strong>Why</strong>" in body
    assert "Add an action" in body


def test_objective_detail_lists_kpis(client, world, plan):
    make_kpi(objective=plan["objective"], name="Average recruitment fee")
    client.force_login(world["editor"])
    body = client.get(plan["objective"].get_absolute_url()).content.decode()
    assert "Average recruitment fee" in body


def test_action_create_refuses_another_workspaces_organisation(client, world, plan):
    foreign = world.other.organisations.first()
    client.force_login(world["editor"])
    data = {
        "title": "New action",
        "lead_organisation": foreign.pk,
        "start_date": "2026-01-01",
        "end_date": "2026-06-30",
        "funding_status": "unfunded",
    }
    page = url("action_create", W(world), plan["objective"].pk)
    response = client.post(page, data)
    assert response.status_code == 200
    assert "Choose one of this workspace" in response.content.decode()
    data["lead_organisation"] = world.workspace.organisations.first().pk
    data["budget_amount"] = "12.5"
    response = client.post(page, data)
    assert response.status_code == 200
    assert "Choose the currency of the budget." in response.content.decode()
    data["budget_currency"] = "EUR"
    partner = OrganisationFactory(workspace=world.workspace, name="Partner NGO")
    data["partners"] = [partner.pk]
    response = client.post(page, data)
    assert response.status_code == 302
    action = Action.objects.get(title="New action")
    assert list(action.partners.all()) == [partner]
    body = client.get(action.get_absolute_url()).content.decode()
    assert "Partner NGO" in body and "12.50 EUR" in body


def test_action_update_keeps_partners_outside_review(client, world, plan):
    action = plan["action"]
    partner = OrganisationFactory(workspace=world.workspace, name="Partner NGO")
    page = url("action_update", W(world), action.pk)
    client.force_login(world["editor"])
    form = client.get(page).content.decode()
    lock = re.search(r'name="lock_version" value="(\d+)"', form).group(1)
    response = client.post(
        page,
        {
            "title": "Draft action v3",
            "lead_organisation": action.lead_organisation_id,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "funding_status": "funded",
            "budget_amount": "800",
            "budget_currency": "XOF",
            "partners": [partner.pk],
            "lock_version": lock,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert (action.title, action.funding_status) == ("Draft action v3", "funded")
    assert list(action.partners.all()) == [partner]


def test_action_status_is_reported_without_review(client, world, plan):
    client.force_login(world["editor"])
    detail = client.get(plan["action"].get_absolute_url()).content.decode()
    assert "outside review" in detail
    response = client.post(
        url("action_status", W(world), plan["action"].pk), {"implementation_status": "delayed"}
    )
    assert response.status_code == 302
    plan["action"].refresh_from_db()
    assert plan["action"].implementation_status == "delayed"
    client.force_login(world["observer"])
    body = client.get(plan["action"].get_absolute_url()).content.decode()
    assert "Delayed" in body  # shown as it is
    assert "Approved action" in body and "Draft action" not in body
    assert "Update the implementation status" not in body


# The plan as a whole ---------------------------------------------------------------------------


def _costed_plan(world):
    cycle = make_cycle(world)
    editor = world["editor"]
    p1 = make_priority(editor, cycle, title="First priority")
    p2 = make_priority(editor, cycle, title="Second priority")
    o1, o2 = make_objective(editor, p1), make_objective(editor, p2)
    lead = world.workspace.organisations.first()
    other_lead = OrganisationFactory(workspace=world.workspace, name="Ministry of Labour")
    make_action(
        editor, o1, title="Euro action", budget_amount=Decimal("1000"), budget_currency="EUR"
    )
    make_action(
        editor,
        o1,
        title="Franc action",
        budget_amount=Decimal("2500"),
        budget_currency="XOF",
        lead_organisation=other_lead,
    )
    make_action(
        editor,
        o2,
        title="Second franc action",
        budget_amount=Decimal("500"),
        budget_currency="XOF",
        funding_status="funded",
    )
    return cycle, lead, other_lead


def test_action_plan_totals_per_currency_never_summed_together(client, world):
    cycle, _lead, other_lead = _costed_plan(world)
    client.force_login(world["editor"])
    body = client.get(url("action_plan", W(world), cycle.pk)).content.decode()
    assert "never converted" in body
    totals = body.split('id="budget-totals"')[1].split("</table>")[0]
    assert re.search(r'data-currency="EUR">1000', totals)
    assert re.search(r'data-currency="XOF">3000', totals)
    assert "4000" not in totals and "3500" not in totals and "1500" not in totals
    per_priority = body.split('id="budget-totals-per-priority"')[1].split("</table>")[0]
    assert "1. First priority" in per_priority and "2500" in per_priority
    assert "500" in per_priority

    filtered = client.get(
        url("action_plan", W(world), cycle.pk), {"lead_organisation": other_lead.pk}
    ).content.decode()
    assert "Franc action" in filtered and "Euro action" not in filtered
    filtered = client.get(
        url("action_plan", W(world), cycle.pk), {"funding_status": "funded"}
    ).content.decode()
    assert "Second franc action" in filtered and "Euro action" not in filtered


def test_action_plan_observer_sees_approved_actions_and_budgets(client, world, plan):
    client.force_login(world["observer"])
    body = client.get(url("action_plan", W(world), plan["cycle"].pk)).content.decode()
    assert "Approved action" in body and "100" in body
    assert "Draft action" not in body and "777" not in body
    assert "Approved priority title" in body and "Draft priority title" not in body


def test_logframe_nests_priorities_objectives_actions_and_kpis(client, world, plan):
    make_kpi(objective=plan["objective"], name="Objective KPI", unit="percent")
    draft_kpi = make_kpi(action=plan["action"], name="Draft action KPI")
    approved_kpi = make_kpi(action=plan["action"], name="Approved action KPI")
    approve(approved_kpi, submitter=world["editor"], approver=world["reviewer"])
    assert draft_kpi.approved_version is None

    client.force_login(world["editor"])
    body = client.get(url("logframe", W(world), plan["cycle"].pk)).content.decode()
    for text in ("Draft priority title", "Approved objective", "Draft action", "Objective KPI"):
        assert text in body
    assert "Draft action KPI" in body and "2027: 500" in body

    client.force_login(world["observer"])
    body = client.get(url("logframe", W(world), plan["cycle"].pk)).content.decode()
    assert "Approved priority title" in body and "Approved action" in body
    assert "Approved action KPI" in body
    assert "Draft priority title" not in body and "Draft action" not in body
    assert "Objective KPI" not in body and "Never approved priority" not in body


def test_timeline_cells_and_clamping(world):
    cycle = make_cycle(world)  # 2025–2029
    inside = timeline_cells(cycle, datetime.date(2026, 2, 1), datetime.date(2026, 8, 31))
    filled = [(c.year, c.quarter) for c in inside["cells"] if c.filled]
    assert filled == [(2026, 1), (2026, 2), (2026, 3)]
    assert not inside["starts_before"] and not inside["ends_after"]
    long = timeline_cells(cycle, datetime.date(2023, 5, 1), datetime.date(2031, 1, 1))
    assert all(c.filled for c in long["cells"]) and len(long["cells"]) == 20
    assert long["starts_before"] and long["ends_after"] and not long["outside"]
    before = timeline_cells(cycle, datetime.date(2020, 1, 1), datetime.date(2021, 1, 1))
    assert before["outside"] and not any(c.filled for c in before["cells"])


def test_timeline_page(client, world, plan):
    objective = plan["objective"]
    make_action(
        world["editor"],
        objective,
        title="Long action",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    client.force_login(world["editor"])
    body = client.get(url("timeline", W(world), plan["cycle"].pk)).content.decode()
    assert "Long action" in body and "Starts before the cycle" in body
    assert "timeline__cell--filled" in body
    assert "style=" not in body
    client.force_login(world["observer"])
    body = client.get(url("timeline", W(world), plan["cycle"].pk)).content.decode()
    assert "Approved action" in body
    assert "Long action" not in body and "Draft action" not in body


# Query counts ----------------------------------------------------------------------------------


@pytest.fixture
def qc(client, world):
    cycle = make_cycle(world)
    editor = world["editor"]
    priority = make_priority(editor, cycle)
    objective = make_objective(editor, priority)
    client.force_login(world["editor"])
    return cycle, priority, objective


def _priorities(world, cycle):
    return lambda n: [make_priority(world["editor"], cycle, title=f"P{i}") for i in range(n)]


def _full_rows(world, cycle):
    def add(n):
        for i in range(n):
            priority = make_priority(world["editor"], cycle, title=f"P{i}")
            objective = make_objective(world["editor"], priority)
            action = make_action(
                world["editor"],
                objective,
                budget_amount=Decimal(i),
                budget_currency="EUR" if i % 2 else "XOF",
                partners=[world.workspace.organisations.first()],
            )
            make_kpi(action=action)

    return add


def test_priority_list_query_count_is_pinned(client, world, qc):
    cycle = qc[0]
    assert_pinned_queries(
        client, url("priority_list", W(world), cycle.pk), rows=_priorities(world, cycle), expected=8
    )


@pytest.mark.parametrize("name", ["action_plan", "logframe", "timeline"])
def test_plan_pages_query_count_is_pinned(client, world, qc, name):
    cycle = qc[0]
    expected = {"action_plan": 12, "logframe": 13, "timeline": 13}[name]
    assert_pinned_queries(
        client, url(name, W(world), cycle.pk), rows=_full_rows(world, cycle), expected=expected
    )


def test_contributor_reads_a_draft_shared_for_consultation(client, world, plan):
    from stakeholders.review import review_share

    page = url("priority_list", W(world), plan["cycle"].pk)
    client.force_login(world["contributor"])
    body = client.get(page).content.decode()
    assert "Approved priority title" in body  # positive control
    assert "Never approved priority" not in body
    review_share(actor=world["editor"], items=plan["hidden"], shared=True)
    body = client.get(page).content.decode()
    assert "Never approved priority" in body
    assert "Shared for consultation" in body
    assert client.get(plan["hidden"].get_absolute_url()).status_code == 200


def test_national_coordinator_reads_only_approved_city_content(client, world):
    city_cycle = make_cycle(world, workspace=world.city)
    coordinator = world["citycoordinator"]
    approved = make_priority(coordinator, city_cycle, title="City approved", level="local")
    approve(approved, submitter=coordinator, approver=_city_reviewer(world))
    make_priority(coordinator, city_cycle, title="City draft", level="local")
    client.force_login(world["coordinator"])
    body = client.get(url("priority_list", "city", city_cycle.pk)).content.decode()
    assert "City approved" in body
    assert "City draft" not in body
    assert "Move down" not in body
