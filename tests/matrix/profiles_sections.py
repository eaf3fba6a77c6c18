"""Permission-matrix rows of profile sections (profiles/views/sections.py, api/sections.py) and
of "turn a recommendation into a priority" (mainstreaming/views|api/profile_links.py).

In "national" an edition has a draft section "ps_draft" (a table "ps_table", holds
recommendations, one recommendation "ps_rec") and an approved section "ps_approved"; the city
workspace has an approved section "ps_city"; "elsewhere" has a section "ps_foreign". Statuses are
written by hand from DESIGN §3: drafts are read by coordinator, editor and reviewer (contributors
only when shared, observers never); approved sections by every member and the national
coordinator of the city; editors and coordinators change sections; anything else is 403 in one's
own workspace and 404 elsewhere.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
READ_DRAFT = "302 200 200 200 404 404 404 404"
READ_APPROVED = "302 200 200 200 200 200 404 404"
EDIT_GET = "302 200 200 403 403 403 404 404"
EDIT_POST_INVALID = "302 200 200 403 403 403 404 404"
EDIT_POST_DONE = "302 302 302 403 403 403 404 404"
API_READ_DRAFT = "403 200 200 200 404 404 404 404"
API_WRITE_INVALID = "403 400 400 403 403 403 404 404"

P = "profiles"

ROWS = [
    # Pages.
    row(f"{P}:section_detail", "GET", READ_DRAFT, slug=N, pk="ps_draft"),
    row(f"{P}:section_detail", "GET", READ_APPROVED, slug=N, pk="ps_approved"),
    row(f"{P}:section_detail", "GET", "302 200 404 404 404 404 200 404", slug=C, pk="ps_city"),
    row(f"{P}:section_detail", "GET", "302 404 404 404 404 404 404 404", slug=N, pk="ps_foreign"),
    row(f"{P}:section_update", "GET", EDIT_GET, slug=N, pk="ps_draft"),
    row(f"{P}:section_update", "POST", EDIT_POST_INVALID, slug=N, pk="ps_draft"),
    row(f"{P}:section_update", "GET", "302 403 404 404 404 404 200 404", slug=C, pk="ps_city"),
    row(f"{P}:section_table_create", "GET", EDIT_GET, slug=N, pk="ps_draft"),
    row(f"{P}:section_table_create", "POST", EDIT_POST_INVALID, slug=N, pk="ps_draft"),
    row(f"{P}:section_table_delete", "GET", EDIT_GET, slug=N, pk="ps_table"),
    row(f"{P}:section_table_delete", "POST", EDIT_POST_DONE, slug=N, pk="ps_table"),
    row(
        f"{P}:section_table_move",
        "POST",
        EDIT_POST_DONE,
        slug=N,
        pk="ps_table",
        data="direction=down",
    ),
    row(f"{P}:section_sources", "GET", EDIT_GET, slug=N, pk="ps_draft"),
    row(f"{P}:section_sources", "POST", EDIT_POST_DONE, slug=N, pk="ps_draft"),
    row(f"{P}:section_gap_create", "GET", EDIT_GET, slug=N, pk="ps_draft"),
    row(f"{P}:section_gap_create", "POST", EDIT_POST_INVALID, slug=N, pk="ps_draft"),
    row(f"{P}:recommendation_create", "GET", EDIT_GET, slug=N, pk="ps_draft"),
    row(f"{P}:recommendation_create", "POST", EDIT_POST_INVALID, slug=N, pk="ps_draft"),
    row(f"{P}:recommendation_update", "GET", EDIT_GET, slug=N, pk="ps_rec"),
    row(f"{P}:recommendation_update", "POST", EDIT_POST_INVALID, slug=N, pk="ps_rec"),
    row(f"{P}:recommendation_delete", "GET", EDIT_GET, slug=N, pk="ps_rec"),
    row(f"{P}:recommendation_delete", "POST", EDIT_POST_DONE, slug=N, pk="ps_rec"),
    row(
        f"{P}:recommendation_move", "POST", EDIT_POST_DONE, slug=N, pk="ps_rec", data="direction=up"
    ),
    row("mainstreaming:recommendation_priority", "GET", EDIT_GET, slug=N, pk="ps_rec"),
    row("mainstreaming:recommendation_priority", "POST", EDIT_POST_INVALID, slug=N, pk="ps_rec"),
    # API.
    row("profile-section-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("profile-section-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="ps_draft"),
    row(
        "profile-section-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="ps_approved",
    ),
    row(
        "profile-section-detail",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        pk="ps_city",
    ),
    row(
        "profile-section-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="ps_draft",
        data='{"narrative": "Changed"}',
    ),
    row(
        "profile-section-table-list", "GET", API_READ_DRAFT, workspace_slug=N, section_pk="ps_draft"
    ),
    row(
        "profile-section-table-list",
        "POST",
        API_WRITE_INVALID,
        workspace_slug=N,
        section_pk="ps_draft",
        data="{}",
    ),
    row(
        "profile-section-table-detail",
        "GET",
        API_READ_DRAFT,
        workspace_slug=N,
        section_pk="ps_draft",
        pk="ps_table",
    ),
    row(
        "profile-section-table-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        section_pk="ps_draft",
        pk="ps_table",
    ),
    row(
        "profile-recommendation-list",
        "GET",
        API_READ_DRAFT,
        workspace_slug=N,
        section_pk="ps_draft",
    ),
    row(
        "profile-recommendation-list",
        "POST",
        API_WRITE_INVALID,
        workspace_slug=N,
        section_pk="ps_draft",
        data="{}",
    ),
    row(
        "profile-recommendation-detail",
        "GET",
        API_READ_DRAFT,
        workspace_slug=N,
        section_pk="ps_draft",
        pk="ps_rec",
    ),
    row(
        "profile-recommendation-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        section_pk="ps_draft",
        pk="ps_rec",
        data='{"target": "statistics"}',
    ),
    row(
        "profile-recommendation-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        section_pk="ps_draft",
        pk="ps_rec",
    ),
    row(
        "profile-recommendation-priority",
        "POST",
        API_WRITE_INVALID,
        workspace_slug=N,
        pk="ps_rec",
        data="{}",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from profiles.services.sections import recommendation_create
    from stakeholders.review import review_approve, review_submit
    from tests.profiles.section_factories import add_table, make_edition, make_section

    edition = make_edition(world, number=91)
    draft = make_section(edition, actor=world["editor"], has_recommendations=True)
    table = add_table(draft, world["editor"])
    recommendation = recommendation_create(
        actor=world["editor"], section=draft, text="Count returnees.", target="statistics"
    )
    approved = make_section(edition, actor=world["editor"], code="A.5", title="Return")
    review_submit(actor=world["editor"], items=approved)
    review_approve(actor=world["reviewer"], items=approved)
    city = make_section(
        make_edition(world, workspace=world.city, number=91), actor=world["citycoordinator"]
    )
    foreign = make_section(
        make_edition(world, workspace=world.other, number=91), actor=world["outsider"]
    )
    # Four eyes: the city coordinator cannot approve their own submission, so the national
    # approval path is not available there; mark the city section approved the way review does.
    from stakeholders.models import User

    second = User.objects.create_user(username="ps-city-reviewer")
    from stakeholders.choices import Role
    from tests.factories import MembershipFactory

    MembershipFactory(workspace=world.city, role=Role.REVIEWER, user=second)
    review_submit(actor=world["citycoordinator"], items=city)
    review_approve(actor=second, items=city)
    return {
        "ps_draft": str(draft.pk),
        "ps_table": str(table.pk),
        "ps_rec": str(recommendation.pk),
        "ps_approved": str(approved.pk),
        "ps_city": str(city.pk),
        "ps_foreign": str(foreign.pk),
    }
