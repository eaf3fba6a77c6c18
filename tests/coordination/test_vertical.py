"""Vertical coordination: the national workspace's page of its local workspaces, and the rules
of the national coordinator's read exception."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mainstreaming.models import Priority
from stakeholders.review import review_approve, review_submit
from tests.factories import LocalWorkspaceFactory, MembershipFactory
from tests.mainstreaming.planning_factories import make_cycle, make_priority
from tests.querycount import assert_pinned_queries

from .mapping_factories import make_profile

pytestmark = [pytest.mark.django_db]


def _approve(item, submitter, reviewer):
    review_submit(actor=submitter, items=item)
    review_approve(actor=reviewer, items=item)
    item.refresh_from_db()
    return item


@pytest.fixture
def vertical(world):
    """A national approved priority, a city cycle with an approved priority serving it and a
    draft priority; a national draft priority."""
    city_reviewer = MembershipFactory(workspace=world.city, role="reviewer").user
    national_cycle = make_cycle(world)
    national = _approve(
        make_priority(world["editor"], national_cycle, title="Fair recruitment nationwide"),
        world["editor"],
        world["reviewer"],
    )
    national_draft = make_priority(world["editor"], national_cycle, title="National draft idea")
    city_cycle = make_cycle(world, workspace=world.city, title="Dakar city plan")
    approved = _approve(
        make_priority(
            world["citycoordinator"],
            city_cycle,
            title="Recruitment desk at city hall",
            national_priority=national,
        ),
        world["citycoordinator"],
        city_reviewer,
    )
    draft = make_priority(world["citycoordinator"], city_cycle, title="Secret city draft")
    return {
        "national": national,
        "national_draft": national_draft,
        "city_cycle": city_cycle,
        "approved": approved,
        "draft": draft,
    }


def _page(world):
    return reverse("mainstreaming:local_workspaces", kwargs={"slug": world.workspace.slug})


def test_national_coordinator_sees_approved_highlights_only(client, world, vertical):
    client.force_login(world["coordinator"])
    html = client.get(_page(world)).content.decode()
    assert "City workspace" in html
    assert "Dakar city plan" in html
    assert "Recruitment desk at city hall" in html
    assert "serves the national priority “Fair recruitment nationwide”" in html
    assert "Secret city draft" not in html


def test_approved_version_shown_while_a_new_draft_is_edited(client, world, vertical):
    approved = vertical["approved"]
    Priority.objects.filter(pk=approved.pk).update(title="Unapproved new wording")
    client.force_login(world["coordinator"])
    html = client.get(_page(world)).content.decode()
    assert "Recruitment desk at city hall" in html
    assert "Unapproved new wording" not in html


def test_other_national_members_see_the_list_not_the_content(client, world, vertical):
    client.force_login(world["observer"])
    html = client.get(_page(world)).content.decode()
    assert "City workspace" in html
    assert "Recruitment desk at city hall" not in html


def test_city_coordinator_and_outsider_get_404(client, world, vertical):
    for role in ("citycoordinator", "outsider"):
        client.force_login(world[role])
        assert client.get(_page(world)).status_code == 404


def test_local_workspace_has_no_such_page(client, world):
    client.force_login(world["citycoordinator"])
    url = reverse("mainstreaming:local_workspaces", kwargs={"slug": world.city.slug})
    assert client.get(url).status_code == 404


def test_national_coordinator_reads_approved_local_content(client, world, vertical):
    client.force_login(world["coordinator"])
    approved = reverse(
        "mainstreaming:priority_detail",
        kwargs={"slug": world.city.slug, "pk": vertical["approved"].pk},
    )
    draft = reverse(
        "mainstreaming:priority_detail",
        kwargs={"slug": world.city.slug, "pk": vertical["draft"].pk},
    )
    assert client.get(approved).status_code == 200
    assert client.get(draft).status_code == 404


def test_national_coordinator_cannot_write_locally(client, world, vertical):
    client.force_login(world["coordinator"])
    profile = make_profile(world["citycoordinator"], world.city)
    city = world.city.slug
    posts = [
        reverse("stakeholders:stakeholder_profile_create", kwargs={"slug": city}),
        reverse("stakeholders:stakeholder_profile_update", kwargs={"slug": city, "pk": profile.pk}),
        reverse("stakeholders:stakeholder_profile_delete", kwargs={"slug": city, "pk": profile.pk}),
        reverse("stakeholders:capacity_need_create", kwargs={"slug": city}),
        reverse("stakeholders:organisation_create", kwargs={"slug": city}),
    ]
    posts.append(
        reverse(
            "mainstreaming:priority_update", kwargs={"slug": city, "pk": vertical["approved"].pk}
        )
    )
    for url in posts:
        assert client.post(url, {"interest": "1"}).status_code in (403, 404), url
    profile.refresh_from_db()
    assert profile.interest == 3
    # Positive control: the city's own coordinator may write there.
    client.force_login(world["citycoordinator"])
    response = client.post(
        reverse("stakeholders:stakeholder_profile_update", kwargs={"slug": city, "pk": profile.pk}),
        {"interest": "1", "influence": "2", "role": "lead"},
    )
    assert response.status_code == 302


def test_local_users_cannot_read_national_drafts(client, world, vertical):
    client.force_login(world["citycoordinator"])
    for key in ("national", "national_draft"):
        url = reverse(
            "mainstreaming:priority_detail",
            kwargs={"slug": world.workspace.slug, "pk": vertical[key].pk},
        )
        assert client.get(url).status_code == 404
    # Positive control: a national editor reads the draft.
    client.force_login(world["editor"])
    url = reverse(
        "mainstreaming:priority_detail",
        kwargs={"slug": world.workspace.slug, "pk": vertical["national_draft"].pk},
    )
    assert client.get(url).status_code == 200


def test_api_local_workspaces(client, world, vertical):
    url = reverse("local-workspace-list", kwargs={"workspace_slug": world.workspace.slug})
    client.force_login(world["coordinator"])
    data = client.get(url).json()
    assert data["count"] == 1
    (city,) = data["results"]
    assert city["slug"] == "city" and city["readable"] is True
    assert city["cycle"]["title"] == "Dakar city plan"
    assert city["approved_counts"]["Priorities"] == 1
    assert [h["title"] for h in city["highlights"]] == ["Recruitment desk at city hall"]
    assert city["highlights"][0]["national_title"] == "Fair recruitment nationwide"
    client.force_login(world["observer"])
    (city,) = client.get(url).json()["results"]
    assert city["readable"] is False and city["highlights"] == [] and city["cycle"] is None
    client.force_login(world["citycoordinator"])
    assert client.get(url).status_code == 404


def _add_locals(world):
    def add(n):
        for _ in range(n):
            local = LocalWorkspaceFactory(parent=world.workspace)
            coordinator = MembershipFactory(workspace=local, role="coordinator").user
            cycle = make_cycle(world, workspace=local, actor=coordinator)
            make_priority(coordinator, cycle)

    return add


def test_local_page_queries_pinned(client, world):
    client.force_login(world["coordinator"])
    assert_pinned_queries(client, _page(world), rows=_add_locals(world), expected=14)


def test_local_api_queries_pinned(client, world):
    client.force_login(world["coordinator"])
    url = reverse("local-workspace-list", kwargs={"workspace_slug": world.workspace.slug})
    assert_pinned_queries(client, url, rows=_add_locals(world), expected=14)
