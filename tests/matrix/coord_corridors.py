"""Permission-matrix rows of corridors (stakeholders/corridors_views.py, api/corridors.py,
mainstreaming/views/corridors.py, api/corridors.py).

"national" has an active corridor with a partner workspace "partnerland" ("c_active", with a
proposed joint action of the partner, "c_joint") and an incoming proposal from "proposerland"
("c_incoming"). Statuses written by hand from DESIGN §3 and the corridor rules: every member of
a side reads the corridor under its own workspace's address; only its coordinators propose,
answer, end, share and agree; from any other address (the outsider's, the partner's, the city's)
a corridor is not found. POSTs that succeed redirect (pages) or answer 200/201 (API).
"""

from __future__ import annotations

from . import N, row

P = "partnerland"
E = "elsewhere"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row("stakeholders:corridor_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:corridor_list", "GET", "302 404 404 404 404 404 404 200", slug=E),
    row("stakeholders:corridor_create", "GET", "302 200 403 403 403 403 404 404", slug=N),
    row(
        "stakeholders:corridor_create",
        "POST",
        "302 200 403 403 403 403 404 404",
        slug=N,
        data="description=x",
    ),
    row(
        "mainstreaming:corridor_detail",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="c_active",
    ),
    row(
        "mainstreaming:corridor_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=E,
        pk="c_active",
    ),
    row(
        "mainstreaming:corridor_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=P,
        pk="c_active",
    ),
    row(
        "mainstreaming:corridor_share",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
    ),
    row(
        "mainstreaming:corridor_share",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
    ),
    row(
        "stakeholders:corridor_transition",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="c_incoming",
        action="accept",
    ),
    row(
        "stakeholders:corridor_transition",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="c_incoming",
        action="decline",
    ),
    row(
        "stakeholders:corridor_transition",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
        action="end",
    ),
    row(
        "stakeholders:joint_action_create",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
    ),
    row(
        "stakeholders:joint_action_create",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
        data="title=Joint+course",
    ),
    row(
        "stakeholders:joint_action_transition",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
        joint_pk="c_joint",
        action="agree",
    ),
    row(
        "stakeholders:joint_action_transition",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="c_active",
        joint_pk="c_joint",
        action="agree",
    ),
    # API.
    row("corridor-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("corridor-list", "POST", "403 400 403 403 403 403 404 404", workspace_slug=N, data="{}"),
    row(
        "corridor-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="c_active",
    ),
    row(
        "corridor-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=E,
        pk="c_active",
    ),
    row(
        "corridor-transition",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="c_incoming",
        action="accept",
    ),
    row(
        "corridor-joint-action-list",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="c_active",
    ),
    row(
        "corridor-joint-action-list",
        "POST",
        "403 201 403 403 403 403 404 404",
        workspace_slug=N,
        pk="c_active",
        data='{"title": "Joint course"}',
    ),
    row(
        "corridor-joint-action-transition",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="c_active",
        joint_pk="c_joint",
        action="agree",
    ),
    row(
        "corridor-shared-items",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="c_active",
    ),
    row(
        "corridor-shared-items",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=E,
        pk="c_active",
    ),
    row(
        "corridor-shares",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="c_active",
    ),
    row(
        "corridor-shares",
        "PUT",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="c_active",
        data="{}",
    ),
]


def targets(world) -> dict[str, str]:
    from stakeholders.corridors_services import joint_action_propose
    from tests.coordination.corridor_factories import active_corridor, partner_workspace

    partner, partner_coordinator = partner_workspace(P, "ITA")
    active = active_corridor(world, partner, partner_coordinator)
    joint = joint_action_propose(
        actor=partner_coordinator, corridor=active, workspace=partner, title="Joint data exchange"
    )
    proposer, proposer_coordinator = partner_workspace("proposerland", "FRA")
    from stakeholders.corridors_services import corridor_propose

    incoming = corridor_propose(
        actor=proposer_coordinator,
        workspace=proposer,
        partner=world.workspace,
        proposer_role="destination",
        partner_role="origin",
        description="Students move to proposerland.",
    )
    return {"c_active": str(active.pk), "c_joint": str(joint.pk), "c_incoming": str(incoming.pk)}
