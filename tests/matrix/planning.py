"""Permission-matrix rows of the plan (mainstreaming/views/planning.py, api/planning.py).

Targets: in "national", a cycle with an approved priority → objective → action (approved by the
reviewer) and a draft priority never approved; in "city", a cycle with an approved priority.
Statuses written by hand from DESIGN §3: every member reads approved content, only those who see
drafts read a never-approved item (404 otherwise: it does not exist for them); editors and
coordinators create and edit; once approved, only a coordinator deletes; the national coordinator
only reads the city's approved content; another workspace's object is 404.
"""

from __future__ import annotations

import datetime

from mainstreaming.models import EntryPointConcern
from mainstreaming.services import cycle_create
from mainstreaming.services.planning import action_create, objective_create, priority_create
from stakeholders.choices import Role
from stakeholders.review import review_approve, review_submit

from . import C, N, row

READ = "302 200 200 200 200 200 404 404"
READ_DRAFT = "302 200 200 200 404 404 404 404"
EDIT = "302 200 200 403 403 403 404 404"
EDIT_POST = "302 302 302 403 403 403 404 404"
COORD_ONLY = "302 200 403 403 403 403 404 404"
CITY_READ = "302 200 404 404 404 404 200 404"
CITY_EDIT = "302 403 404 404 404 404 200 404"
FOREIGN = "302 404 404 404 404 404 404 404"

API_READ = "403 200 200 200 200 200 404 404"
API_READ_DRAFT = "403 200 200 200 404 404 404 404"
API_INVALID = "403 400 400 403 403 403 404 404"
API_PRECONDITION = "403 428 428 403 403 403 404 404"
API_CITY_READ = "403 200 404 404 404 404 200 404"
API_FOREIGN = "403 404 404 404 404 404 404 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Concerns.
    row("mainstreaming:concern_list", "GET", READ, slug=N),
    row("mainstreaming:concern_list", "POST", EDIT_POST, data="name=Return", slug=N),
    row("mainstreaming:concern_list", "GET", CITY_READ, slug=C),
    # Priorities.
    row("mainstreaming:priority_list", "GET", READ, slug=N, pk="planning_plan_cycle"),
    row("mainstreaming:priority_create", "GET", EDIT, slug=N, pk="planning_plan_cycle"),
    row("mainstreaming:priority_create", "POST", EDIT, slug=N, pk="planning_plan_cycle"),
    row("mainstreaming:priority_detail", "GET", READ, slug=N, pk="planning_approved_priority"),
    row("mainstreaming:priority_detail", "GET", READ_DRAFT, slug=N, pk="planning_draft_priority"),
    row("mainstreaming:priority_update", "GET", EDIT, slug=N, pk="planning_approved_priority"),
    row("mainstreaming:priority_update", "POST", EDIT, slug=N, pk="planning_draft_priority"),
    row(
        "mainstreaming:priority_move",
        "POST",
        EDIT_POST,
        data="rank=1",
        slug=N,
        pk="planning_draft_priority",
    ),
    row("mainstreaming:priority_delete", "GET", EDIT, slug=N, pk="planning_draft_priority"),
    row("mainstreaming:priority_delete", "POST", EDIT_POST, slug=N, pk="planning_draft_priority"),
    row(
        "mainstreaming:priority_delete", "GET", COORD_ONLY, slug=N, pk="planning_approved_priority"
    ),
    # Objectives.
    row("mainstreaming:objective_create", "GET", EDIT, slug=N, pk="planning_approved_priority"),
    row("mainstreaming:objective_create", "POST", EDIT, slug=N, pk="planning_approved_priority"),
    row("mainstreaming:objective_detail", "GET", READ, slug=N, pk="planning_approved_objective"),
    row("mainstreaming:objective_update", "GET", EDIT, slug=N, pk="planning_approved_objective"),
    row(
        "mainstreaming:objective_delete",
        "GET",
        COORD_ONLY,
        slug=N,
        pk="planning_approved_objective",
    ),
    # Actions.
    row("mainstreaming:action_create", "GET", EDIT, slug=N, pk="planning_approved_objective"),
    row("mainstreaming:action_detail", "GET", READ, slug=N, pk="planning_approved_action"),
    row("mainstreaming:action_update", "GET", EDIT, slug=N, pk="planning_approved_action"),
    row("mainstreaming:action_delete", "GET", COORD_ONLY, slug=N, pk="planning_approved_action"),
    row("mainstreaming:action_status", "GET", EDIT, slug=N, pk="planning_approved_action"),
    row(
        "mainstreaming:action_status",
        "POST",
        EDIT_POST,
        data="implementation_status=delayed",
        slug=N,
        pk="planning_approved_action",
    ),
    # The plan as a whole.
    row("mainstreaming:action_plan", "GET", READ, slug=N, pk="planning_plan_cycle"),
    row("mainstreaming:logframe", "GET", READ, slug=N, pk="planning_plan_cycle"),
    row("mainstreaming:timeline", "GET", READ, slug=N, pk="planning_plan_cycle"),
    # The city: its coordinator does everything, the national coordinator only reads.
    row("mainstreaming:priority_list", "GET", CITY_READ, slug=C, pk="planning_city_plan_cycle"),
    row("mainstreaming:priority_create", "GET", CITY_EDIT, slug=C, pk="planning_city_plan_cycle"),
    row("mainstreaming:priority_detail", "GET", CITY_READ, slug=C, pk="planning_city_priority"),
    row("mainstreaming:priority_update", "GET", CITY_EDIT, slug=C, pk="planning_city_priority"),
    row("mainstreaming:action_plan", "GET", CITY_READ, slug=C, pk="planning_city_plan_cycle"),
    row("mainstreaming:logframe", "GET", CITY_READ, slug=C, pk="planning_city_plan_cycle"),
    row("mainstreaming:timeline", "GET", CITY_READ, slug=C, pk="planning_city_plan_cycle"),
    # Another workspace's objects under the national address.
    row("mainstreaming:priority_detail", "GET", FOREIGN, slug=N, pk="planning_city_priority"),
    row("mainstreaming:priority_list", "GET", FOREIGN, slug=N, pk="planning_city_plan_cycle"),
    # API.
    row("concern-list", "GET", API_READ, workspace_slug=N),
    row(
        "concern-list",
        "POST",
        "403 201 201 403 403 403 404 404",
        data='{"name": "Return"}',
        workspace_slug=N,
    ),
    row("priority-list", "GET", API_READ, workspace_slug=N, cycle_pk="planning_plan_cycle"),
    row(
        "priority-list",
        "POST",
        API_INVALID,
        data="{}",
        workspace_slug=N,
        cycle_pk="planning_plan_cycle",
    ),
    row("priority-detail", "GET", API_READ, workspace_slug=N, pk="planning_approved_priority"),
    row("priority-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="planning_draft_priority"),
    row(
        "priority-detail",
        "PATCH",
        API_PRECONDITION,
        data='{"title": "New"}',
        workspace_slug=N,
        pk="planning_approved_priority",
    ),
    row(
        "priority-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="planning_draft_priority",
    ),
    row(
        "priority-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="planning_approved_priority",
    ),
    row(
        "priority-move",
        "POST",
        "403 200 200 403 403 403 404 404",
        data='{"rank": 1}',
        workspace_slug=N,
        pk="planning_draft_priority",
    ),
    row(
        "objective-list",
        "GET",
        API_READ,
        workspace_slug=N,
        priority_pk="planning_approved_priority",
    ),
    row(
        "objective-list",
        "POST",
        API_INVALID,
        data="{}",
        workspace_slug=N,
        priority_pk="planning_approved_priority",
    ),
    row("objective-detail", "GET", API_READ, workspace_slug=N, pk="planning_approved_objective"),
    row(
        "objective-detail",
        "PATCH",
        API_PRECONDITION,
        data='{"title": "New"}',
        workspace_slug=N,
        pk="planning_approved_objective",
    ),
    row("action-list", "GET", API_READ, workspace_slug=N, cycle_pk="planning_plan_cycle"),
    row(
        "action-list",
        "POST",
        API_INVALID,
        data="{}",
        workspace_slug=N,
        cycle_pk="planning_plan_cycle",
    ),
    row("action-detail", "GET", API_READ, workspace_slug=N, pk="planning_approved_action"),
    row(
        "action-detail",
        "PATCH",
        API_PRECONDITION,
        data='{"implementation_status": "delayed"}',
        workspace_slug=N,
        pk="planning_approved_action",
    ),
    row(
        "priority-list", "GET", API_CITY_READ, workspace_slug=C, cycle_pk="planning_city_plan_cycle"
    ),
    row("priority-detail", "GET", API_CITY_READ, workspace_slug=C, pk="planning_city_priority"),
    row("action-list", "GET", API_CITY_READ, workspace_slug=C, cycle_pk="planning_city_plan_cycle"),
    row("concern-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row("priority-detail", "GET", API_FOREIGN, workspace_slug=N, pk="planning_city_priority"),
]


def targets(world) -> dict[str, str]:
    from tests.factories import MembershipFactory

    editor, reviewer = world["editor"], world["reviewer"]
    concern = EntryPointConcern.objects.filter(workspace__isnull=True).order_by("pk").first()
    texts = {"gender_considerations": "G", "rights_considerations": "R", "concern": concern}
    cycle = cycle_create(
        actor=editor, workspace=world.workspace, title="Plan", start_year=2025, end_year=2029
    )
    approved = priority_create(actor=editor, cycle=cycle, title="Approved priority", **texts)
    objective = objective_create(actor=editor, priority=approved, title="Objective")
    action = action_create(
        actor=editor,
        objective=objective,
        title="Action",
        lead_organisation=world.workspace.organisations.order_by("pk").first(),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    items = [approved, objective, action]
    review_submit(actor=editor, items=items)
    review_approve(actor=reviewer, items=items)
    draft = priority_create(actor=editor, cycle=cycle, title="Draft priority", **texts)

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city_cycle = cycle_create(
        actor=city_coordinator,
        workspace=world.city,
        title="City plan",
        start_year=2025,
        end_year=2027,
    )
    city_priority = priority_create(
        actor=city_coordinator, cycle=city_cycle, title="City priority", level="local", **texts
    )
    review_submit(actor=city_coordinator, items=city_priority)
    review_approve(actor=city_reviewer, items=city_priority)
    return {
        "planning_plan_cycle": str(cycle.pk),
        "planning_approved_priority": str(approved.pk),
        "planning_draft_priority": str(draft.pk),
        "planning_approved_objective": str(objective.pk),
        "planning_approved_action": str(action.pk),
        "planning_city_plan_cycle": str(city_cycle.pk),
        "planning_city_priority": str(city_priority.pk),
    }
