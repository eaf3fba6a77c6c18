"""The demo's stakeholder map and capacity needs: loaded twice without duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders import demo, demo_mapping
from stakeholders.coordination_models import CapacityNeed, StakeholderProfile
from stakeholders.mapping_selectors import capacity_summary
from stakeholders.models import User, Workspace

pytestmark = pytest.mark.django_db


def test_demo_mapping_twice_without_duplicates(client):
    demo.load()
    demo_mapping.load()
    first = (StakeholderProfile.objects.count(), CapacityNeed.objects.count())
    demo_mapping.load()
    assert (StakeholderProfile.objects.count(), CapacityNeed.objects.count()) == first == (8, 7)
    workspace = Workspace.objects.get(slug="demo-senegal")
    summary = capacity_summary(user=User.objects.get(username="coordinator"), workspace=workspace)
    assert (summary.total, summary.met) == (7, 2)
    assert {row.area for row in summary.areas if row.total} == {
        "data",
        "analysis",
        "policy",
        "coordination",
        "implementation",
    }
    client.force_login(User.objects.get(username="observer"))
    html = client.get(
        reverse("stakeholders:stakeholder_profile_list", kwargs={"slug": "demo-senegal"})
    ).content.decode()
    assert "Grid of 8 points" in html and "Ministry of Planning (demo) (MPLAN)" in html
