"""The platforms demo: loads twice without duplicates and shows what the issue asks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders import demo, demo_platforms
from stakeholders.coordination_models import Decision, FollowUp, Meeting, Platform, Seat

pytestmark = pytest.mark.django_db


def test_demo_platforms_load_twice_without_duplicates(client):
    demo.load()
    platform = demo_platforms.load()
    assert demo_platforms.load() == platform
    assert Platform.objects.count() == 1
    assert platform.review_state == "approved" and platform.approved_snapshot["terms_of_reference"]
    assert 5 <= Seat.objects.filter(platform=platform).count() <= 7
    assert Meeting.objects.count() == 3 and Decision.objects.count() == 3
    now = timezone.now()
    past = Meeting.objects.filter(starts_at__lt=now)
    assert past.count() == 2 and all(m.minutes for m in past)
    assert Meeting.objects.filter(starts_at__gt=now).count() == 1
    today = timezone.localdate()
    statuses = sorted(FollowUp.objects.values_list("status", flat=True))
    assert statuses == ["done", "in_progress", "open"]
    overdue = FollowUp.objects.filter(due_on__lt=today, status__in=["open", "in_progress"])
    assert overdue.count() == 1

    # The observer reads the approved group and its open follow-ups, the overdue one first.
    client.force_login(platform.workspace.memberships.get(user__username="observer").user)
    page = client.get(
        reverse("stakeholders:platform_detail", kwargs={"slug": "demo-senegal", "pk": platform.pk})
    ).content.decode()
    assert "Illustrative demo content" in page and "Third ordinary meeting" in page
    follow_ups = client.get(
        reverse("stakeholders:follow_up_list", kwargs={"slug": "demo-senegal"})
    ).content.decode()
    assert follow_ups.index("labour-migration data gaps") < follow_ups.index("returnee")
    assert "Circulate the adopted terms" not in follow_ups


def test_demo_platforms_without_the_demo_workspace_does_nothing():
    assert demo_platforms.load() is None
    assert not Platform.objects.exists()
