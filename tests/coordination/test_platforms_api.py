"""API of coordination platforms, seats, meetings, decisions and follow-ups."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.coordination_models import FollowUp, Platform, Seat
from stakeholders.review import review_edit

from .platform_factories import (
    make_decision,
    make_follow_up,
    make_meeting,
    make_platform,
    organisation_of,
)

pytestmark = pytest.mark.django_db


def api(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"workspace_slug": "national", **kwargs})


def test_platform_api_create_list_and_etag_update(client, world):
    chair = organisation_of(world["editor"], world.workspace)
    client.force_login(world["editor"])
    created = client.post(
        api("platform-list"),
        {"name": "Working group", "kind": "technical", "chair": chair.pk, "mandate": "M"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["review_state"] == "draft" and body["chair"] == chair.pk
    detail = api("platform-detail", pk=body["id"])
    got = client.get(detail)
    etag = got["ETag"]
    assert client.patch(detail, {"name": "X"}, content_type="application/json").status_code == 428
    changed = client.patch(
        detail, {"name": "Renamed group"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Renamed group"
    stale = client.patch(
        detail, {"name": "Again"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert Platform.objects.get(pk=body["id"]).name == "Renamed group"


def test_platform_api_observer_reads_the_approved_snapshot_only(client, world):
    platform = make_platform(world.workspace, name="Approved name", approved=True)
    review_edit(
        actor=world["editor"],
        item=platform,
        expected_lock_version=platform.lock_version,
        name="Draft name",
    )
    make_platform(world.workspace, name="Never approved")
    client.force_login(world["observer"])
    names = [p["name"] for p in client.get(api("platform-list")).json()["results"]]
    assert names == ["Approved name"]
    client.force_login(world["editor"])
    names = sorted(p["name"] for p in client.get(api("platform-list")).json()["results"])
    assert names == ["Draft name", "Never approved"]


def test_platform_api_refuses_observers_and_other_workspaces(client, world):
    client.force_login(world["observer"])
    response = client.post(
        api("platform-list"), {"name": "X", "kind": "technical"}, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(world["outsider"])
    assert client.get(api("platform-list")).status_code == 404


def test_seat_and_meeting_api(client, world):
    platform = make_platform(world.workspace, approved=True)
    organisation = organisation_of(world["contributor"], world.workspace)
    client.force_login(world["editor"])
    seat = client.post(
        api("seat-list", platform_pk=platform.pk),
        {"organisation": organisation.pk, "kind": "observer", "focal_point": True},
        content_type="application/json",
    )
    assert seat.status_code == 201, seat.content
    again = client.post(
        api("seat-list", platform_pk=platform.pk),
        {"organisation": organisation.pk},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert Seat.objects.filter(platform=platform).count() == 1
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = client.post(
        api("meeting-list"),
        {
            "platform": platform.pk,
            "title": "Third meeting",
            "starts_at": starts.isoformat(),
            "attendees": [organisation.pk],
        },
        content_type="application/json",
    )
    assert meeting.status_code == 201, meeting.content
    body = meeting.json()
    assert body["attendees"] == [organisation.pk] and body["decisions"] == []
    decision = client.post(
        api("decision-list", meeting_pk=body["id"]),
        {"text": "Adopt the plan"},
        content_type="application/json",
    )
    assert decision.status_code == 201
    bad = client.patch(
        api("meeting-detail", pk=body["id"]),
        {"ends_at": (starts - datetime.timedelta(hours=1)).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400
    listed = client.get(api("meeting-list") + f"?platform={platform.pk}&upcoming=true").json()
    assert [m["title"] for m in listed["results"]] == ["Third meeting"]
    assert listed["results"][0]["decisions"][0]["text"] == "Adopt the plan"


def test_follow_up_api_filters_and_owner_rule(client, world):
    platform = make_platform(world.workspace, approved=True)
    meeting = make_meeting(platform)
    mine = organisation_of(world["contributor"], world.workspace)
    theirs = organisation_of(world["editor"], world.workspace)
    today = timezone.localdate()
    late = make_follow_up(meeting, mine, title="Late", due_on=today - datetime.timedelta(days=3))
    later = make_follow_up(meeting, theirs, title="Later", due_on=today + datetime.timedelta(9))
    make_follow_up(meeting, mine, title="Done", status="done")
    client.force_login(world["contributor"])
    listed = client.get(api("follow-up-list") + "?status=open").json()["results"]
    assert [f["title"] for f in listed] == ["Late", "Later"]
    assert listed[0]["is_overdue"] is True and listed[1]["is_overdue"] is False
    owned = client.get(api("follow-up-list") + f"?owner={mine.pk}&overdue=true").json()
    assert [f["title"] for f in owned["results"]] == ["Late"]
    assert client.get(api("follow-up-list") + "?status=nonsense").status_code == 400
    # The owner organisation's contributor closes theirs, not someone else's.
    done = client.patch(
        api("follow-up-detail", pk=late.pk), {"status": "done"}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["closed_by"] == world["contributor"].pk
    refused = client.patch(
        api("follow-up-detail", pk=later.pk), {"status": "done"}, content_type="application/json"
    )
    assert refused.status_code == 403
    retitled = client.patch(
        api("follow-up-detail", pk=late.pk), {"title": "Mine now"}, content_type="application/json"
    )
    assert retitled.status_code == 403
    assert FollowUp.objects.get(pk=later.pk).status == "open"
    assert FollowUp.objects.get(pk=late.pk).title == "Late"
    client.force_login(world["observer"])
    assert (
        client.patch(
            api("follow-up-detail", pk=late.pk), {"status": "open"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_follow_up_api_create_needs_a_meeting_of_this_workspace(client, world):
    platform = make_platform(world.workspace, approved=True)
    meeting = make_meeting(platform)
    decision = make_decision(meeting)
    owner = organisation_of(world["contributor"], world.workspace)
    client.force_login(world["editor"])
    created = client.post(
        api("follow-up-list"),
        {
            "meeting": meeting.pk,
            "decision": decision.pk,
            "title": "Draft a note",
            "owner": owner.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    city_platform = make_platform(world.city, actor=world["citycoordinator"])
    foreign = make_meeting(city_platform, title="City meeting")
    refused = client.post(
        api("follow-up-list"),
        {"meeting": foreign.pk, "title": "X", "owner": owner.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
