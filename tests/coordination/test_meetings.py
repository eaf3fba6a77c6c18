"""Meetings in the browser: recording, time zone, attendance, decisions, minutes, and who reads
them; the iCalendar export of upcoming meetings."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from stakeholders.coordination_models import Decision, Meeting

from .platform_factories import (
    make_follow_up,
    make_meeting,
    make_platform,
    organisation_of,
)

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"slug": "national", **kwargs})


def test_meeting_create_in_the_workspace_time_zone_with_attendance(client, world):
    world.workspace.time_zone = "Asia/Manila"
    world.workspace.save()
    platform = make_platform(world.workspace, approved=True)
    present = organisation_of(world["contributor"], world.workspace)
    absent = organisation_of(world["observer"], world.workspace)
    client.force_login(world["editor"])
    response = client.post(
        url("meeting_create", pk=platform.pk),
        {
            "title": "First meeting",
            "starts_at": "2026-05-14T10:00",
            "ends_at": "2026-05-14T12:30",
            "location": "Ministry, room 3",
            "attendees": [present.pk],
            "agenda": "1. Welcome\n2. Work plan",
            "minutes": "The group **agreed** the plan.<img src=x onerror=alert(1)>",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="First meeting")
    manila = zoneinfo.ZoneInfo("Asia/Manila")
    assert meeting.starts_at == datetime.datetime(2026, 5, 14, 10, 0, tzinfo=manila)
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 2
    assert list(meeting.attendees.all()) == [present]
    assert meeting.created_by == world["editor"]
    page = client.get(response["Location"]).content.decode()
    assert "<strong>agreed</strong>" in page and "onerror" not in page
    assert str(present) in page and str(absent) not in page
    assert "10:00" in page or "10 a.m." in page


def test_meeting_end_before_start_is_refused(client, world):
    platform = make_platform(world.workspace, approved=True)
    client.force_login(world["editor"])
    response = client.post(
        url("meeting_create", pk=platform.pk),
        {"title": "Odd", "starts_at": "2026-05-14T10:00", "ends_at": "2026-05-14T09:00"},
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_update_and_delete(client, world):
    platform = make_platform(world.workspace, approved=True)
    meeting = make_meeting(platform, title="Old title")
    make_follow_up(meeting, organisation_of(world["editor"], world.workspace))
    client.force_login(world["editor"])
    response = client.post(
        url("meeting_update", pk=meeting.pk),
        {"title": "New title", "starts_at": "2026-01-10T09:00", "minutes": "Done."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "New title" and meeting.minutes == "Done."
    assert client.get(url("meeting_delete", pk=meeting.pk)).status_code == 200
    assert client.post(url("meeting_delete", pk=meeting.pk)).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_meeting_of_an_approved_platform_is_read_by_observers_not_a_drafts(client, world):
    approved = make_platform(world.workspace, name="Approved", approved=True)
    draft = make_platform(world.workspace, name="Draft")
    readable = make_meeting(approved, title="Approved meeting", minutes="Visible minutes")
    hidden = make_meeting(draft, title="Draft meeting", minutes="Hidden minutes")
    client.force_login(world["observer"])
    response = client.get(url("meeting_detail", pk=readable.pk))
    assert response.status_code == 200 and "Visible minutes" in response.content.decode()
    assert client.get(url("meeting_detail", pk=hidden.pk)).status_code == 404
    client.force_login(world["reviewer"])
    response = client.get(url("meeting_detail", pk=hidden.pk))
    assert response.status_code == 200 and "Hidden minutes" in response.content.decode()


def test_decisions_are_added_in_order_changed_and_removed(client, world):
    platform = make_platform(world.workspace, approved=True)
    meeting = make_meeting(platform)
    client.force_login(world["editor"])
    for text in ("First decision", "Second decision"):
        assert client.post(url("decision_create", pk=meeting.pk), {"text": text}).status_code == 302
    first, second = Decision.objects.filter(meeting=meeting)
    assert (first.text, first.position, second.position) == ("First decision", 0, 1)
    response = client.post(
        url("decision_update", pk=second.pk), {"text": "Second, amended", "position": 0}
    )
    assert response.status_code == 302
    # Reordered: the amended decision now comes first (same position, lower id last).
    client.post(url("decision_update", pk=first.pk), {"text": "First decision", "position": 1})
    page = client.get(url("meeting_detail", pk=meeting.pk)).content.decode()
    assert page.index("Second, amended") < page.index("First decision")
    follow_up = make_follow_up(
        meeting, organisation_of(world["editor"], world.workspace), decision=second
    )
    assert client.post(url("decision_delete", pk=second.pk)).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.decision is None
    assert list(Decision.objects.filter(meeting=meeting)) == [first]


def test_meeting_contributor_cannot_record_meetings_or_decisions(client, world):
    platform = make_platform(world.workspace, approved=True)
    meeting = make_meeting(platform)
    client.force_login(world["contributor"])
    assert client.get(url("meeting_create", pk=platform.pk)).status_code == 403
    assert client.post(url("decision_create", pk=meeting.pk), {"text": "X"}).status_code == 403
    assert not Decision.objects.exists()
    assert client.get(url("meeting_detail", pk=meeting.pk)).status_code == 200


def test_meeting_calendar_lists_upcoming_meetings_only(client, world):
    world.workspace.time_zone = "Asia/Manila"
    world.workspace.save()
    approved = make_platform(world.workspace, name="Working group", approved=True)
    draft = make_platform(world.workspace, name="Draft group")
    now = timezone.now()
    upcoming = make_meeting(
        approved,
        title="Next meeting",
        starts_at=now + datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(days=10, hours=2),
        location="Dakar",
        agenda="1. **Budget**\n2. Plan",
    )
    make_meeting(approved, title="Past meeting", starts_at=now - datetime.timedelta(days=10))
    make_meeting(draft, title="Draft meeting", starts_at=now + datetime.timedelta(days=5))
    client.force_login(world["observer"])
    response = client.get(url("meeting_calendar"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Next meeting (Working group)"]
    event = events[0]
    assert str(event["UID"]) == f"meeting-{upcoming.pk}@testserver"
    assert str(event["LOCATION"]) == "Dakar"
    assert "Budget" in str(event["DESCRIPTION"]) and "**" not in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == upcoming.starts_at.replace(microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Asia/Manila"
    assert event.decoded("DTEND") == upcoming.ends_at.replace(microsecond=0)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Manila"
    assert str(event["URL"]).endswith(url("meeting_detail", pk=upcoming.pk))
    # Stable: the same UID on the next download.
    again = Calendar.from_ical(client.get(url("meeting_calendar")).content)
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])
    # Editors also see the draft platform's upcoming meeting.
    client.force_login(world["editor"])
    summaries = [
        str(e["SUMMARY"])
        for e in Calendar.from_ical(client.get(url("meeting_calendar")).content).walk("VEVENT")
    ]
    assert summaries == ["Draft meeting (Draft group)", "Next meeting (Working group)"]
