"""Permission-matrix rows of coordination platforms (stakeholders/platforms_views.py,
stakeholders/api/platforms.py).

In "national" the coordinator sets up an approved platform ("p_platform") with a seat, a meeting
with a decision and two follow-ups (one owned by the contributor's organisation, one by the
editor's), and a platform that was never approved with its meeting ("p_draft_*"). The city has
an approved platform with a meeting; "elsewhere" a platform of its own. Statuses are written by
hand from DESIGN §3: every member reads an approved platform and what is recorded under it;
drafts only those who see drafts; editors and coordinators record and change; only a
coordinator deletes an approved platform; a follow-up's status is changed by editors and by the
owner organisation's contributor. The national coordinator reads (never writes) the city's.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

READ = "302 200 200 200 200 200 404 404"
READ_DRAFT = "302 200 200 200 404 404 404 404"
READ_CITY = "302 200 404 404 404 404 200 404"
EDIT_GET = "302 200 200 403 403 403 404 404"
EDIT_FORM_POST = "302 200 200 403 403 403 404 404"  # an empty form comes back with errors
EDIT_DONE_POST = "302 302 302 403 403 403 404 404"
CITY_EDIT = "302 403 404 404 404 404 200 404"
FOREIGN = "302 404 404 404 404 404 404 404"

API_READ = "403 200 200 200 200 200 404 404"
API_READ_DRAFT = "403 200 200 200 404 404 404 404"
API_READ_CITY = "403 200 404 404 404 404 200 404"
API_CREATE_EMPTY = "403 400 400 403 403 403 404 404"
API_CHANGE = "403 200 200 403 403 403 404 404"
API_DELETE = "403 204 204 403 403 403 404 404"
API_FOREIGN = "403 404 404 404 404 404 404 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Platforms.
    row("stakeholders:platform_list", "GET", READ, slug=N),
    row("stakeholders:platform_list", "GET", READ_CITY, slug=C),
    row("stakeholders:platform_create", "GET", EDIT_GET, slug=N),
    row("stakeholders:platform_create", "POST", EDIT_FORM_POST, slug=N),
    row("stakeholders:platform_create", "GET", CITY_EDIT, slug=C),
    row("stakeholders:platform_detail", "GET", READ, slug=N, pk="p_platform"),
    row("stakeholders:platform_detail", "GET", READ_DRAFT, slug=N, pk="p_draft_platform"),
    row("stakeholders:platform_detail", "GET", READ_CITY, slug=C, pk="p_city_platform"),
    row("stakeholders:platform_detail", "GET", FOREIGN, slug=N, pk="p_foreign_platform"),
    row("stakeholders:platform_update", "GET", EDIT_GET, slug=N, pk="p_platform"),
    row("stakeholders:platform_update", "POST", EDIT_FORM_POST, slug=N, pk="p_platform"),
    row("stakeholders:platform_update", "GET", CITY_EDIT, slug=C, pk="p_city_platform"),
    row(
        "stakeholders:platform_delete",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="p_platform",
    ),
    row(
        "stakeholders:platform_delete",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="p_platform",
    ),
    row("stakeholders:platform_delete", "POST", EDIT_DONE_POST, slug=N, pk="p_draft_platform"),
    # Seats.
    row("stakeholders:seat_create", "GET", EDIT_GET, slug=N, pk="p_platform"),
    row("stakeholders:seat_create", "POST", EDIT_FORM_POST, slug=N, pk="p_platform"),
    row("stakeholders:seat_update", "GET", EDIT_GET, slug=N, pk="p_seat"),
    row("stakeholders:seat_update", "POST", EDIT_FORM_POST, slug=N, pk="p_seat"),
    row("stakeholders:seat_delete", "GET", EDIT_GET, slug=N, pk="p_seat"),
    row("stakeholders:seat_delete", "POST", EDIT_DONE_POST, slug=N, pk="p_seat"),
    # Meetings.
    row("stakeholders:meeting_create", "GET", EDIT_GET, slug=N, pk="p_platform"),
    row("stakeholders:meeting_create", "POST", EDIT_FORM_POST, slug=N, pk="p_platform"),
    # Without the right to edit, the refusal comes before the platform is looked up.
    row(
        "stakeholders:meeting_create",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="p_foreign_platform",
    ),
    row("stakeholders:meeting_detail", "GET", READ, slug=N, pk="p_meeting"),
    row("stakeholders:meeting_detail", "GET", READ_DRAFT, slug=N, pk="p_draft_meeting"),
    row("stakeholders:meeting_detail", "GET", READ_CITY, slug=C, pk="p_city_meeting"),
    row("stakeholders:meeting_update", "GET", EDIT_GET, slug=N, pk="p_meeting"),
    row("stakeholders:meeting_update", "POST", EDIT_FORM_POST, slug=N, pk="p_meeting"),
    row("stakeholders:meeting_update", "GET", CITY_EDIT, slug=C, pk="p_city_meeting"),
    row("stakeholders:meeting_delete", "GET", EDIT_GET, slug=N, pk="p_meeting"),
    row("stakeholders:meeting_delete", "POST", EDIT_DONE_POST, slug=N, pk="p_meeting"),
    row("stakeholders:meeting_calendar", "GET", READ, slug=N),
    row("stakeholders:meeting_calendar", "GET", READ_CITY, slug=C),
    # Decisions.
    row("stakeholders:decision_create", "GET", EDIT_GET, slug=N, pk="p_meeting"),
    row("stakeholders:decision_create", "POST", EDIT_FORM_POST, slug=N, pk="p_meeting"),
    row("stakeholders:decision_update", "GET", EDIT_GET, slug=N, pk="p_decision"),
    row("stakeholders:decision_update", "POST", EDIT_FORM_POST, slug=N, pk="p_decision"),
    row("stakeholders:decision_delete", "GET", EDIT_GET, slug=N, pk="p_decision"),
    row("stakeholders:decision_delete", "POST", EDIT_DONE_POST, slug=N, pk="p_decision"),
    # Follow-ups.
    row("stakeholders:follow_up_list", "GET", READ, slug=N),
    row("stakeholders:follow_up_list", "GET", READ_CITY, slug=C),
    row("stakeholders:follow_up_create", "GET", EDIT_GET, slug=N, pk="p_meeting"),
    row("stakeholders:follow_up_create", "POST", EDIT_FORM_POST, slug=N, pk="p_meeting"),
    row("stakeholders:follow_up_update", "GET", EDIT_GET, slug=N, pk="p_follow_up"),
    row("stakeholders:follow_up_update", "POST", EDIT_FORM_POST, slug=N, pk="p_follow_up"),
    row(
        "stakeholders:follow_up_status",
        "GET",
        "302 200 200 403 200 403 404 404",
        slug=N,
        pk="p_follow_up",
    ),
    row(
        "stakeholders:follow_up_status",
        "POST",
        "302 302 302 403 302 403 404 404",
        slug=N,
        pk="p_follow_up",
        data="status=done",
    ),
    row(
        "stakeholders:follow_up_status",
        "POST",
        EDIT_DONE_POST,
        slug=N,
        pk="p_other_follow_up",
        data="status=done",
    ),
    row("stakeholders:follow_up_status", "GET", CITY_EDIT, slug=C, pk="p_city_follow_up"),
    row("stakeholders:follow_up_delete", "GET", EDIT_GET, slug=N, pk="p_follow_up"),
    row("stakeholders:follow_up_delete", "POST", EDIT_DONE_POST, slug=N, pk="p_follow_up"),
    # API.
    row("platform-list", "GET", API_READ, workspace_slug=N),
    row("platform-list", "GET", API_READ_CITY, workspace_slug=C),
    row("platform-list", "POST", API_CREATE_EMPTY, workspace_slug=N, data="{}"),
    row("platform-detail", "GET", API_READ, workspace_slug=N, pk="p_platform"),
    row("platform-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="p_draft_platform"),
    row("platform-detail", "GET", API_READ_CITY, workspace_slug=C, pk="p_city_platform"),
    row("platform-detail", "GET", API_FOREIGN, workspace_slug=N, pk="p_foreign_platform"),
    row(
        "platform-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="p_platform",
        data='{"name": "Renamed"}',
    ),
    row(
        "platform-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="p_platform",
    ),
    row("seat-list", "GET", API_READ, workspace_slug=N, platform_pk="p_platform"),
    row(
        "seat-list", "POST", API_CREATE_EMPTY, workspace_slug=N, platform_pk="p_platform", data="{}"
    ),
    row("seat-detail", "GET", API_READ, workspace_slug=N, pk="p_seat"),
    row(
        "seat-detail",
        "PATCH",
        API_CHANGE,
        workspace_slug=N,
        pk="p_seat",
        data='{"person": "A. Diop"}',
    ),
    row("seat-detail", "DELETE", API_DELETE, workspace_slug=N, pk="p_seat"),
    row("meeting-list", "GET", API_READ, workspace_slug=N),
    row("meeting-list", "GET", API_READ_CITY, workspace_slug=C),
    row("meeting-list", "POST", API_CREATE_EMPTY, workspace_slug=N, data="{}"),
    row("meeting-detail", "GET", API_READ, workspace_slug=N, pk="p_meeting"),
    row("meeting-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="p_draft_meeting"),
    row(
        "meeting-detail",
        "PATCH",
        API_CHANGE,
        workspace_slug=N,
        pk="p_meeting",
        data='{"location": "Room 4"}',
    ),
    row("meeting-detail", "DELETE", API_DELETE, workspace_slug=N, pk="p_meeting"),
    row("decision-list", "GET", API_READ, workspace_slug=N, meeting_pk="p_meeting"),
    row(
        "decision-list",
        "POST",
        API_CREATE_EMPTY,
        workspace_slug=N,
        meeting_pk="p_meeting",
        data="{}",
    ),
    row("decision-detail", "GET", API_READ, workspace_slug=N, pk="p_decision"),
    row(
        "decision-detail",
        "PATCH",
        API_CHANGE,
        workspace_slug=N,
        pk="p_decision",
        data='{"text": "Amended"}',
    ),
    row("decision-detail", "DELETE", API_DELETE, workspace_slug=N, pk="p_decision"),
    row("follow-up-list", "GET", API_READ, workspace_slug=N),
    row("follow-up-list", "GET", API_READ_CITY, workspace_slug=C),
    row("follow-up-list", "POST", API_CREATE_EMPTY, workspace_slug=N, data="{}"),
    row("follow-up-detail", "GET", API_READ, workspace_slug=N, pk="p_follow_up"),
    row(
        "follow-up-detail",
        "PATCH",
        "403 200 200 403 200 403 404 404",
        workspace_slug=N,
        pk="p_follow_up",
        data='{"status": "done"}',
    ),
    row(
        "follow-up-detail",
        "PATCH",
        API_CHANGE,
        workspace_slug=N,
        pk="p_other_follow_up",
        data='{"status": "done"}',
    ),
    row("follow-up-detail", "DELETE", API_DELETE, workspace_slug=N, pk="p_follow_up"),
]


def targets(world: Any) -> dict[str, str]:
    from stakeholders.choices import Role
    from stakeholders.review import review_approve, review_submit
    from tests.coordination.platform_factories import (
        make_decision,
        make_follow_up,
        make_meeting,
        make_platform,
        make_seat,
        organisation_of,
    )
    from tests.factories import MembershipFactory

    national = world.workspace
    coordinator = world["coordinator"]
    platform = make_platform(national, actor=coordinator, name="Matrix working group")
    review_submit(actor=world["editor"], items=platform)
    review_approve(actor=world["reviewer"], items=platform)
    contributor_org = organisation_of(world["contributor"], national)
    editor_org = organisation_of(world["editor"], national)
    seat = make_seat(platform, contributor_org)
    meeting = make_meeting(platform, title="Matrix meeting")
    decision = make_decision(meeting)
    follow_up = make_follow_up(meeting, contributor_org, title="Contributor's action")
    other_follow_up = make_follow_up(meeting, editor_org, title="Editor's action")
    draft = make_platform(national, actor=coordinator, name="Matrix draft group")
    draft_meeting = make_meeting(draft, title="Draft meeting")

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city_platform = make_platform(world.city, actor=city_coordinator, name="City council")
    review_submit(actor=city_coordinator, items=city_platform)
    review_approve(actor=city_reviewer, items=city_platform)
    city_meeting = make_meeting(city_platform, title="City meeting")
    city_follow_up = make_follow_up(
        city_meeting, organisation_of(city_coordinator, world.city), title="City action"
    )
    foreign = make_platform(world.other, actor=world["outsider"], name="Elsewhere group")
    return {
        "p_platform": str(platform.pk),
        "p_draft_platform": str(draft.pk),
        "p_city_platform": str(city_platform.pk),
        "p_foreign_platform": str(foreign.pk),
        "p_seat": str(seat.pk),
        "p_meeting": str(meeting.pk),
        "p_draft_meeting": str(draft_meeting.pk),
        "p_city_meeting": str(city_meeting.pk),
        "p_decision": str(decision.pk),
        "p_follow_up": str(follow_up.pk),
        "p_other_follow_up": str(other_follow_up.pk),
        "p_city_follow_up": str(city_follow_up.pk),
    }
