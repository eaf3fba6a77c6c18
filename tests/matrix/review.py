"""Permission-matrix rows of the review mechanism (stakeholders/review_views.py, api/review.py).

Items are situation-analysis sections of a cycle in "national" opened by the editor (so the
editor is their author), put in each state through the services. Statuses are written by hand
from DESIGN §3: submit/share need an editor or coordinator, approve/return a reviewer or
coordinator who did not submit the item, history and the review log need the right to see
drafts, comments need the right to comment on an item one can read. In the city workspace the
national coordinator only reads approved content.
"""

from __future__ import annotations

from mainstreaming.services import cycle_create
from stakeholders.choices import Role
from stakeholders.review import comment_add, review_approve, review_share, review_submit

from . import C, N, row

K = "mainstreaming.situationsection"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # "Needs my action".
    row("stakeholders:needs_my_action", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:needs_my_action", "GET", "302 200 404 404 404 404 200 404", slug=C),
    # Transitions: confirmation pages and POSTs.
    row(
        "stakeholders:review_transition",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        kind=K,
        pk="draft_item",
        action="submit",
    ),
    row(
        "stakeholders:review_transition",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        kind=K,
        pk="draft_item",
        action="submit",
    ),
    row(
        "stakeholders:review_transition",
        "GET",
        "302 200 403 200 403 403 404 404",
        slug=N,
        kind=K,
        pk="submitted_item",
        action="approve",
    ),
    row(
        "stakeholders:review_transition",
        "POST",
        "302 302 403 302 403 403 404 404",
        slug=N,
        kind=K,
        pk="submitted_item",
        action="approve",
    ),
    # Nobody approves their own submission: the coordinator submitted this one.
    row(
        "stakeholders:review_transition",
        "POST",
        "302 400 403 302 403 403 404 404",
        slug=N,
        kind=K,
        pk="coordinator_submitted_item",
        action="approve",
    ),
    # Returning needs a reason.
    row(
        "stakeholders:review_transition",
        "POST",
        "302 400 403 400 403 403 404 404",
        slug=N,
        kind=K,
        pk="submitted_item",
        action="return",
    ),
    row(
        "stakeholders:review_transition",
        "POST",
        "302 302 403 302 403 403 404 404",
        slug=N,
        kind=K,
        pk="submitted_item",
        action="return",
        data="reason=Cite+your+sources",
    ),
    row(
        "stakeholders:review_transition",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        kind=K,
        pk="draft_item",
        action="share",
    ),
    row(
        "stakeholders:review_transition",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        kind=K,
        pk="shared_item",
        action="unshare",
    ),
    # Another workspace's item under this workspace's address: not found (once the right is had).
    row(
        "stakeholders:review_transition",
        "GET",
        "302 404 403 404 403 403 404 404",
        slug=N,
        kind=K,
        pk="foreign_item",
        action="approve",
    ),
    row(
        "stakeholders:review_transition",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        kind=K,
        pk="city_draft_item",
        action="submit",
    ),
    # Batch: a selection that is not in the workspace is refused as a whole (400).
    row(
        "stakeholders:review_batch",
        "POST",
        "302 400 403 400 403 403 404 404",
        slug=N,
        data=f"kind={K}&ids=999999&action=approve",
    ),
    row("stakeholders:review_batch", "POST", "302 400 400 400 400 400 404 404", slug=N),
    # History: drafts readers only.
    row(
        "stakeholders:review_history",
        "GET",
        "302 200 200 200 403 403 404 404",
        slug=N,
        kind=K,
        pk="draft_item",
    ),
    row(
        "stakeholders:review_history",
        "GET",
        "302 200 200 200 403 403 404 404",
        slug=N,
        kind=K,
        pk="approved_item",
    ),
    row(
        "stakeholders:review_history",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        kind=K,
        pk="city_draft_item",
    ),
    row(
        "stakeholders:review_history",
        "GET",
        "302 404 404 404 403 403 404 404",
        slug=N,
        kind=K,
        pk="foreign_item",
    ),
    # Comments: on what one can read; observers do not comment.
    row(
        "stakeholders:comment_create",
        "POST",
        "302 302 302 302 302 403 404 404",
        slug=N,
        kind=K,
        pk="approved_item",
        data="body=Please+cite+the+survey",
    ),
    row(
        "stakeholders:comment_create",
        "POST",
        "302 302 302 302 404 403 404 404",
        slug=N,
        kind=K,
        pk="draft_item",
        data="body=On+the+draft",
    ),
    row(
        "stakeholders:comment_create",
        "POST",
        "302 400 400 400 400 403 404 404",
        slug=N,
        kind=K,
        pk="approved_item",
    ),
    row(
        "stakeholders:comment_create",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        kind=K,
        pk="city_approved_item",
        data="body=From+the+city",
    ),
    # Resolving: coordinators and the item's author (the editor).
    row(
        "stakeholders:comment_resolve",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="comment",
    ),
    row(
        "stakeholders:comment_resolve",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="city_comment",
    ),
    # API.
    row("needs-my-action", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("needs-my-action", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "review-transition",
        "POST",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="draft_item",
        action="submit",
        data="{}",
    ),
    row(
        "review-transition",
        "POST",
        "403 200 403 200 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="submitted_item",
        action="approve",
        data="{}",
    ),
    row(
        "review-transition",
        "POST",
        "403 400 403 200 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="coordinator_submitted_item",
        action="approve",
        data="{}",
    ),
    row(
        "review-transition",
        "POST",
        "403 400 403 400 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="submitted_item",
        action="return",
        data="{}",
    ),
    row(
        "review-transition",
        "POST",
        "403 404 403 404 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="foreign_item",
        action="approve",
        data="{}",
    ),
    row(
        "review-transition",
        "POST",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        kind=K,
        pk="city_draft_item",
        action="submit",
        data="{}",
    ),
    row(
        "review-batch",
        "POST",
        "403 400 403 400 403 403 404 404",
        workspace_slug=N,
        data=f'{{"kind": "{K}", "ids": [999999], "action": "approve"}}',
    ),
    row(
        "review-comment-list",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        kind=K,
        pk="approved_item",
    ),
    row(
        "review-comment-list",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        kind=K,
        pk="draft_item",
    ),
    row(
        "review-comment-list",
        "POST",
        "403 201 201 201 201 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="approved_item",
        data='{"body": "Please cite the survey"}',
    ),
    row(
        "review-comment-list",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        kind=K,
        pk="city_approved_item",
    ),
    row(
        "review-event-list",
        "GET",
        "403 200 200 200 403 403 404 404",
        workspace_slug=N,
        kind=K,
        pk="draft_item",
    ),
    row(
        "review-event-list",
        "GET",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        kind=K,
        pk="city_draft_item",
    ),
]


def _sections(actor, workspace, title):
    cycle = cycle_create(
        actor=actor, workspace=workspace, title=title, start_year=2025, end_year=2029
    )
    return list(cycle.sections.order_by("position"))


def targets(world) -> dict[str, str]:
    from tests.factories import MembershipFactory

    editor, coordinator, reviewer = world["editor"], world["coordinator"], world["reviewer"]
    draft, submitted, mine, approved, shared, *_rest = _sections(
        editor, world.workspace, "National cycle"
    )
    review_submit(actor=editor, items=[submitted, approved])
    review_submit(actor=coordinator, items=mine)
    review_approve(actor=reviewer, items=approved)
    review_share(actor=editor, items=shared, shared=True)
    comment = comment_add(actor=reviewer, item=approved, body="Cite the survey.")

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city_draft, city_approved, *_rest = _sections(city_coordinator, world.city, "City cycle")
    review_submit(actor=city_coordinator, items=city_approved)
    review_approve(actor=city_reviewer, items=city_approved)
    city_comment = comment_add(actor=city_reviewer, item=city_approved, body="Good.")

    (foreign, *_rest) = _sections(world["outsider"], world.other, "Elsewhere cycle")
    return {
        "draft_item": str(draft.pk),
        "submitted_item": str(submitted.pk),
        "coordinator_submitted_item": str(mine.pk),
        "approved_item": str(approved.pk),
        "shared_item": str(shared.pk),
        "foreign_item": str(foreign.pk),
        "city_draft_item": str(city_draft.pk),
        "city_approved_item": str(city_approved.pk),
        "comment": str(comment.pk),
        "city_comment": str(city_comment.pk),
    }
