"""Pinned query counts of the platforms' list pages and list endpoints (2 and 20 rows)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.choices import Role
from tests.factories import MembershipFactory, OrganisationFactory, WorkspaceFactory
from tests.querycount import assert_pinned_queries

from .platform_factories import (
    approve,
    make_decision,
    make_follow_up,
    make_meeting,
    make_platform,
    make_seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    """A fresh workspace with an approved platform and a meeting; its observer signed in (the
    reader whose lists are filtered to approved content)."""
    workspace = WorkspaceFactory(slug="qc", name="Query-count workspace")
    MembershipFactory(workspace=workspace, role=Role.COORDINATOR)
    MembershipFactory(workspace=workspace, role=Role.EDITOR)
    MembershipFactory(workspace=workspace, role=Role.REVIEWER)
    me = MembershipFactory(workspace=workspace, role=Role.OBSERVER).user
    client.force_login(me)
    platform = make_platform(workspace, name="Base platform", approved=True)
    meeting = make_meeting(platform, starts_at=timezone.now() + datetime.timedelta(days=1))
    return workspace, platform, meeting


def _platforms(workspace):
    def add(n: int) -> None:
        for _ in range(n):
            approve(
                make_platform(
                    workspace, name="Platform", chair=OrganisationFactory(workspace=workspace)
                )
            )

    return add


def _follow_ups(workspace, meeting):
    def add(n: int) -> None:
        for i in range(n):
            make_follow_up(
                meeting,
                OrganisationFactory(workspace=workspace),
                title=f"Action {i}",
                due_on=timezone.localdate() - datetime.timedelta(days=i % 3),
                decision=make_decision(meeting),
            )

    return add


def _meetings(platform, workspace):
    def add(n: int) -> None:
        for i in range(n):
            meeting = make_meeting(
                platform, starts_at=timezone.now() + datetime.timedelta(days=i + 2)
            )
            meeting.attendees.set([OrganisationFactory(workspace=workspace)])
            make_decision(meeting)
            make_follow_up(meeting, OrganisationFactory(workspace=workspace))

    return add


def _seats(platform, workspace):
    return lambda n: [
        make_seat(platform, OrganisationFactory(workspace=workspace)) for _ in range(n)
    ]


def _decisions(meeting):
    return lambda n: [make_decision(meeting) for _ in range(n)]


def page(name: str, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"slug": "qc", **kwargs})


def api(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"workspace_slug": "qc", **kwargs})


def test_platform_list_page_queries(client, setup):
    workspace, _platform, _meeting = setup
    assert_pinned_queries(client, page("platform_list"), rows=_platforms(workspace), expected=7)


def test_follow_up_list_page_queries(client, setup):
    workspace, _platform, meeting = setup
    assert_pinned_queries(
        client, page("follow_up_list"), rows=_follow_ups(workspace, meeting), expected=8
    )


def test_meeting_calendar_queries(client, setup):
    workspace, platform, _meeting = setup
    assert_pinned_queries(
        client, page("meeting_calendar"), rows=_meetings(platform, workspace), expected=5
    )


def test_platform_list_endpoint_queries(client, setup):
    workspace, _platform, _meeting = setup
    assert_pinned_queries(client, api("platform-list"), rows=_platforms(workspace), expected=6)


def test_seat_list_endpoint_queries(client, setup):
    workspace, platform, _meeting = setup
    assert_pinned_queries(
        client,
        api("seat-list", platform_pk=platform.pk),
        rows=_seats(platform, workspace),
        expected=7,
    )


def test_meeting_list_endpoint_queries(client, setup):
    workspace, platform, _meeting = setup
    assert_pinned_queries(
        client, api("meeting-list"), rows=_meetings(platform, workspace), expected=9
    )


def test_decision_list_endpoint_queries(client, setup):
    _workspace, _platform, meeting = setup
    assert_pinned_queries(
        client, api("decision-list", meeting_pk=meeting.pk), rows=_decisions(meeting), expected=7
    )


def test_follow_up_list_endpoint_queries(client, setup):
    workspace, _platform, meeting = setup
    assert_pinned_queries(
        client, api("follow-up-list"), rows=_follow_ups(workspace, meeting), expected=6
    )
