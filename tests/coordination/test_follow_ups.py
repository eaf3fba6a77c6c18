"""Follow-up actions: lifecycle, the owner organisation's rule, the open follow-ups view."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from stakeholders.coordination_models import FollowUp
from stakeholders.platforms_services import follow_up_set_status

from .platform_factories import make_follow_up, make_meeting, make_platform, organisation_of

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"slug": "national", **kwargs})


@pytest.fixture
def meeting(world):
    return make_meeting(make_platform(world.workspace, approved=True))


def test_follow_up_create_by_editor_with_owner_and_due_date(client, world, meeting):
    owner = organisation_of(world["contributor"], world.workspace)
    client.force_login(world["editor"])
    response = client.post(
        url("follow_up_create", pk=meeting.pk),
        {"title": "Draft the terms", "owner": owner.pk, "due_on": "2026-06-30", "status": "open"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(title="Draft the terms")
    assert follow_up.owner == owner and follow_up.due_on == datetime.date(2026, 6, 30)
    assert follow_up.closed_at is None
    page = client.get(url("meeting_detail", pk=meeting.pk)).content.decode()
    assert "Draft the terms" in page and str(owner) in page


def test_follow_up_closed_by_owner_contributor_and_reopened(client, world, meeting):
    follow_up = make_follow_up(meeting, organisation_of(world["contributor"], world.workspace))
    client.force_login(world["contributor"])
    status_url = url("follow_up_status", pk=follow_up.pk)
    assert client.get(status_url).status_code == 200
    response = client.post(status_url, {"status": "done", "note": "Sent on Monday"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.note == "Sent on Monday"
    assert follow_up.closed_by == world["contributor"] and follow_up.closed_at is not None
    assert follow_up.history.first().history_user == world["contributor"]
    assert client.post(status_url, {"status": "open"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    assert follow_up.closed_by is None and follow_up.closed_at is None


def test_follow_up_other_organisations_contributor_is_refused(client, world, meeting):
    follow_up = make_follow_up(meeting, organisation_of(world["editor"], world.workspace))
    mine = make_follow_up(meeting, organisation_of(world["contributor"], world.workspace))
    client.force_login(world["contributor"])
    assert client.get(url("follow_up_status", pk=follow_up.pk)).status_code == 403
    assert (
        client.post(url("follow_up_status", pk=follow_up.pk), {"status": "done"}).status_code == 403
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    # Positive control: their own organisation's follow-up is theirs to close.
    assert client.post(url("follow_up_status", pk=mine.pk), {"status": "done"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "done"
    # Only editors change the action itself or delete it.
    assert client.get(url("follow_up_update", pk=mine.pk)).status_code == 403
    assert client.post(url("follow_up_delete", pk=mine.pk)).status_code == 403


def test_follow_up_set_status_service_rules(world, meeting):
    owned = organisation_of(world["contributor"], world.workspace)
    follow_up = make_follow_up(meeting, owned)
    for role in ("observer", "reviewer", "outsider", "citycoordinator"):
        with pytest.raises(PermissionDenied):
            follow_up_set_status(actor=world[role], follow_up=follow_up, status="done")
    follow_up_set_status(actor=world["editor"], follow_up=follow_up, status="in_progress")
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress" and follow_up.closed_at is None
    follow_up_set_status(actor=world["coordinator"], follow_up=follow_up, status="cancelled")
    follow_up.refresh_from_db()
    assert follow_up.closed_by == world["coordinator"]


def test_follow_up_update_and_delete_by_editor(client, world, meeting):
    follow_up = make_follow_up(meeting, organisation_of(world["contributor"], world.workspace))
    other = organisation_of(world["observer"], world.workspace)
    client.force_login(world["editor"])
    response = client.post(
        url("follow_up_update", pk=follow_up.pk),
        {"title": "Renamed", "owner": other.pk, "status": "done"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.owner, follow_up.status) == ("Renamed", other, "done")
    assert follow_up.closed_by == world["editor"]
    assert client.post(url("follow_up_delete", pk=follow_up.pk)).status_code == 302
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()


def test_open_follow_ups_overdue_first_filters_and_per_organisation(client, world, meeting):
    today = timezone.localdate()
    mine = organisation_of(world["contributor"], world.workspace)
    theirs = organisation_of(world["editor"], world.workspace)
    make_follow_up(meeting, theirs, title="Due soon", due_on=today + datetime.timedelta(days=2))
    make_follow_up(meeting, mine, title="Long overdue", due_on=today - datetime.timedelta(days=30))
    make_follow_up(meeting, theirs, title="Undated", status="in_progress")
    make_follow_up(meeting, mine, title="Just overdue", due_on=today - datetime.timedelta(days=1))
    make_follow_up(meeting, mine, title="Finished already", status="done")
    draft_meeting = make_meeting(make_platform(world.workspace, name="Draft group"))
    make_follow_up(draft_meeting, mine, title="Draft platform action")
    client.force_login(world["observer"])
    page = client.get(url("follow_up_list")).content.decode()
    order = ["Long overdue", "Just overdue", "Due soon", "Undated"]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert "Finished already" not in page and "Draft platform action" not in page
    assert page.count("Overdue</strong>") == 2
    page = client.get(url("follow_up_list") + f"?owner={mine.pk}").content.decode()
    assert "Long overdue" in page and "Just overdue" in page and "Due soon" not in page
    assert f"Open follow-ups of {mine.name}" in page
    page = client.get(url("follow_up_list") + "?status=in_progress").content.decode()
    assert "Undated" in page and "Due soon" not in page
    page = client.get(url("follow_up_list") + "?overdue=1").content.decode()
    assert "Long overdue" in page and "Due soon" not in page
    # Editors also see the draft platform's follow-ups.
    client.force_login(world["editor"])
    assert "Draft platform action" in client.get(url("follow_up_list")).content.decode()
    assert client.get(url("follow_up_list") + "?owner=999999").status_code == 404


def test_open_follow_ups_offers_status_changes_to_the_owner_only(client, world, meeting):
    mine = make_follow_up(meeting, organisation_of(world["contributor"], world.workspace))
    theirs = make_follow_up(meeting, organisation_of(world["editor"], world.workspace))
    client.force_login(world["contributor"])
    page = client.get(url("follow_up_list")).content.decode()
    assert url("follow_up_status", pk=mine.pk) in page
    assert url("follow_up_status", pk=theirs.pk) not in page


def test_open_follow_ups_paginated(client, world, meeting):
    owner = organisation_of(world["editor"], world.workspace)
    for number in range(27):
        make_follow_up(meeting, owner, title=f"Action {number:02d}")
    client.force_login(world["editor"])
    first = client.get(url("follow_up_list")).content.decode()
    second = client.get(url("follow_up_list") + "?page=2").content.decode()
    assert "27 follow-up actions" in first
    assert "Action 00" in first and "Action 26" not in first
    assert "Action 26" in second and "Action 00" not in second
