"""Services of the plan: priorities, concerns, objectives, actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.models import Action, EntryPointConcern, Objective, Priority
from mainstreaming.selectors.planning import (
    budget_totals,
    concern_choices,
    national_priority_choices_unrestricted,
)
from mainstreaming.services.planning import (
    action_delete,
    action_set_partners,
    action_set_status,
    concern_create,
    objective_delete,
    priority_delete,
    priority_move,
)
from stakeholders.permissions import workspace_perms
from stakeholders.review import review_edit
from tests.factories import OrganisationFactory

from .planning_factories import (
    approve,
    make_action,
    make_cycle,
    make_kpi,
    make_objective,
    make_priority,
)

pytestmark = pytest.mark.django_db


def test_priority_create_appends_a_draft_at_the_end_with_history(world):
    cycle = make_cycle(world)
    first = make_priority(world["editor"], cycle, title="First")
    second = make_priority(world["editor"], cycle, title="Second")
    assert (first.rank, second.rank) == (1, 2)
    assert second.review_state == "draft"
    assert second.lock_version == 1
    assert second.created_by == world["editor"]
    assert second.workspace == world.workspace
    assert second.history.first().history_user == world["editor"]


@pytest.mark.parametrize("field", ["gender_considerations", "rights_considerations"])
def test_priority_create_requires_gender_and_rights(world, field):
    cycle = make_cycle(world)
    with pytest.raises(ValidationError) as raised:
        make_priority(world["editor"], cycle, **{field: "  "})
    assert field in raised.value.message_dict
    assert "every priority" in raised.value.message_dict[field][0]
    assert not Priority.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "contributor", "observer", "outsider"])
def test_priority_create_refused_without_edit(world, role):
    cycle = make_cycle(world)
    with pytest.raises(PermissionDenied):
        make_priority(world[role], cycle)


def test_national_link_only_to_approved_parent_priorities(world):
    national_cycle = make_cycle(world)
    approved = make_priority(world["editor"], national_cycle, title="Approved national")
    approve(approved, submitter=world["editor"], approver=world["reviewer"])
    draft = make_priority(world["editor"], national_cycle, title="Draft national")
    city_cycle = make_cycle(world, workspace=world.city)

    assert national_priority_choices_unrestricted(workspace=world.city) == [
        (approved.pk, "Approved national")
    ]
    linked = make_priority(world["citycoordinator"], city_cycle, national_priority=approved)
    assert linked.national_priority == approved
    with pytest.raises(ValidationError) as raised:
        make_priority(world["citycoordinator"], city_cycle, national_priority=draft)
    assert "national_priority" in raised.value.message_dict
    # A national workspace has no national priority to link to, not even its own.
    with pytest.raises(ValidationError):
        make_priority(world["editor"], national_cycle, national_priority=approved)


def test_national_choices_show_the_approved_title_not_the_new_draft(world):
    cycle = make_cycle(world)
    priority = make_priority(world["editor"], cycle, title="Approved title")
    approve(priority, submitter=world["editor"], approver=world["reviewer"])
    review_edit(
        actor=world["editor"],
        item=priority,
        expected_lock_version=priority.lock_version,
        title="Draft title",
    )
    assert national_priority_choices_unrestricted(workspace=world.city) == [
        (priority.pk, "Approved title")
    ]
    assert national_priority_choices_unrestricted(workspace=world.workspace) == []


def test_priority_move_renumbers_the_ranking(world):
    cycle = make_cycle(world)
    a, _b, c = (make_priority(world["editor"], cycle, title=t) for t in "ABC")
    priority_move(actor=world["editor"], priority=c, rank=1)
    assert list(Priority.objects.order_by("rank").values_list("title", "rank")) == [
        ("C", 1),
        ("A", 2),
        ("B", 3),
    ]
    priority_move(actor=world["editor"], priority=c, rank=99)
    assert list(Priority.objects.order_by("rank").values_list("title", flat=True)) == [
        "A",
        "B",
        "C",
    ]
    # Reordering is not an edit of the content: an open edit form does not become stale.
    a.refresh_from_db()
    assert a.lock_version == 1
    with pytest.raises(PermissionDenied):
        priority_move(actor=world["reviewer"], priority=a, rank=2)


def test_priority_delete_rules(world):
    cycle = make_cycle(world)
    draft = make_priority(world["editor"], cycle, title="Draft")
    approved = make_priority(world["editor"], cycle, title="Approved")
    approve(approved, submitter=world["editor"], approver=world["reviewer"])
    last = make_priority(world["editor"], cycle, title="Last")

    with pytest.raises(PermissionDenied):
        priority_delete(actor=world["reviewer"], priority=draft)
    priority_delete(actor=world["editor"], priority=draft)
    with pytest.raises(PermissionDenied):
        priority_delete(actor=world["editor"], priority=approved)
    priority_delete(actor=world["coordinator"], priority=approved)
    last.refresh_from_db()
    assert last.rank == 1
    assert list(Priority.objects.values_list("title", flat=True)) == ["Last"]


def test_deleting_a_draft_that_holds_approved_children_needs_a_coordinator(world):
    cycle = make_cycle(world)
    priority = make_priority(world["editor"], cycle)
    objective = make_objective(world["editor"], priority)
    action = make_action(world["editor"], objective)
    approve(action, submitter=world["editor"], approver=world["reviewer"])
    with pytest.raises(PermissionDenied):
        priority_delete(actor=world["editor"], priority=priority)
    with pytest.raises(PermissionDenied):
        objective_delete(actor=world["editor"], objective=objective)
    with pytest.raises(PermissionDenied):
        action_delete(actor=world["editor"], action=action)
    objective_delete(actor=world["coordinator"], objective=objective)
    assert not Action.objects.exists()
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_objective_and_action_created_in_their_parents_cycle(world):
    cycle = make_cycle(world)
    priority = make_priority(world["editor"], cycle)
    first = make_objective(world["editor"], priority, title="One")
    second = make_objective(world["editor"], priority, title="Two")
    assert (first.position, second.position) == (0, 1)
    assert (second.cycle_id, second.workspace_id) == (cycle.pk, world.workspace.pk)
    action = make_action(
        world["editor"], second, budget_amount=Decimal("10"), budget_currency="eur"
    )
    assert action.budget_currency == "EUR"
    assert (action.cycle_id, action.review_state, action.lock_version) == (cycle.pk, "draft", 1)
    assert action.created_by == world["editor"]


def test_action_lead_and_partners_must_be_of_the_workspace(world):
    cycle = make_cycle(world)
    objective = make_objective(world["editor"], make_priority(world["editor"], cycle))
    foreign = world.other.organisations.first()
    with pytest.raises(ValidationError) as raised:
        make_action(world["editor"], objective, lead_organisation=foreign)
    assert "lead_organisation" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_action(world["editor"], objective, partners=[foreign])
    assert "partners" in raised.value.message_dict
    assert not Action.objects.exists()

    action = make_action(world["editor"], objective)
    partner = OrganisationFactory(workspace=world.workspace)
    action_set_partners(actor=world["editor"], action=action, partners=[partner])
    assert list(action.partners.all()) == [partner]
    with pytest.raises(ValidationError):
        action_set_partners(actor=world["editor"], action=action, partners=[foreign])
    assert list(action.partners.all()) == [partner]


def test_action_budget_needs_a_currency_and_dates_in_order(world):
    cycle = make_cycle(world)
    objective = make_objective(world["editor"], make_priority(world["editor"], cycle))
    with pytest.raises(ValidationError):
        make_action(world["editor"], objective, budget_amount=Decimal("5"))
    with pytest.raises(ValidationError):
        make_action(world["editor"], objective, budget_amount=Decimal("5"), budget_currency="XXY")
    with pytest.raises(ValidationError):
        make_action(
            world["editor"],
            objective,
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )


def test_action_set_status_is_outside_review(world):
    cycle = make_cycle(world)
    objective = make_objective(world["editor"], make_priority(world["editor"], cycle))
    action = approve(
        make_action(world["editor"], objective),
        submitter=world["editor"],
        approver=world["reviewer"],
    )
    action_set_status(actor=world["editor"], action=action, implementation_status="delayed")
    action.refresh_from_db()
    assert action.implementation_status == "delayed"
    assert action.review_state == "approved"  # no new draft version opened
    assert action.history.first().history_user == world["editor"]
    with pytest.raises(ValidationError):
        action_set_status(actor=world["editor"], action=action, implementation_status="nope")
    with pytest.raises(PermissionDenied):
        action_set_status(actor=world["reviewer"], action=action, implementation_status="completed")


def test_concern_create_unique_per_workspace_with_a_clear_error(world):
    concern = concern_create(actor=world["editor"], workspace=world.workspace, name="Return")
    assert concern.workspace == world.workspace
    with pytest.raises(ValidationError) as raised:
        concern_create(actor=world["editor"], workspace=world.workspace, name="return")
    assert "already has a concern" in raised.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        concern_create(actor=world["editor"], workspace=world.workspace, name="Remittances")
    # Another workspace may use the same name.
    concern_create(actor=world["citycoordinator"], workspace=world.city, name="Return")
    with pytest.raises(PermissionDenied):
        concern_create(actor=world["observer"], workspace=world.workspace, name="Other")
    names = [name for _pk, name in concern_choices(user=world["editor"], workspace=world.workspace)]
    assert "Remittances" in names and "Return" in names
    assert names.count("Return") == 1
    assert EntryPointConcern.objects.filter(name="Return").count() == 2


def test_priority_refuses_another_workspaces_concern(world):
    cycle = make_cycle(world)
    foreign = concern_create(actor=world["outsider"], workspace=world.other, name="Foreign")
    with pytest.raises(ValidationError) as raised:
        make_priority(world["editor"], cycle, concern=foreign)
    assert "concern" in raised.value.message_dict


def test_budget_totals_per_currency_never_mixed(world):
    cycle = make_cycle(world)
    p1 = make_priority(world["editor"], cycle, title="P1")
    p2 = make_priority(world["editor"], cycle, title="P2")
    o1, o2 = make_objective(world["editor"], p1), make_objective(world["editor"], p2)
    make_action(world["editor"], o1, budget_amount=Decimal("100"), budget_currency="XOF")
    make_action(world["editor"], o1, budget_amount=Decimal("50.50"), budget_currency="EUR")
    make_action(world["editor"], o2, budget_amount=Decimal("20"), budget_currency="XOF")
    make_action(world["editor"], o2)  # not costed
    perms = workspace_perms(world["editor"], world.workspace)
    totals = budget_totals(Action.objects.all(), perms=perms)
    assert totals.overall == {"XOF": Decimal("120"), "EUR": Decimal("50.50")}
    assert totals.by_priority[p1.pk] == {"XOF": Decimal("100"), "EUR": Decimal("50.50")}
    assert totals.by_priority[p2.pk] == {"XOF": Decimal("20")}
    assert totals.without_budget == 1


def test_budget_totals_use_approved_budgets_for_approved_only_readers(world):
    cycle = make_cycle(world)
    objective = make_objective(world["editor"], make_priority(world["editor"], cycle))
    action = make_action(
        world["editor"], objective, budget_amount=Decimal("100"), budget_currency="XOF"
    )
    approve(action, submitter=world["editor"], approver=world["reviewer"])
    review_edit(
        actor=world["editor"],
        item=action,
        expected_lock_version=action.lock_version,
        budget_amount=Decimal("999"),
    )
    observer = workspace_perms(world["observer"], world.workspace)
    editor = workspace_perms(world["editor"], world.workspace)
    assert budget_totals(Action.objects.all(), perms=observer).overall == {"XOF": Decimal("100")}
    assert budget_totals(Action.objects.all(), perms=editor).overall == {"XOF": Decimal("999")}


def test_kpis_go_with_their_action(world):
    cycle = make_cycle(world)
    objective = make_objective(world["editor"], make_priority(world["editor"], cycle))
    action = make_action(world["editor"], objective)
    make_kpi(action=action)
    make_kpi(objective=objective)
    action_delete(actor=world["editor"], action=action)
    assert Objective.objects.get(pk=objective.pk).kpis.count() == 1
