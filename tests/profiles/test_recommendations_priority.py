"""A Part D recommendation becomes a draft planning-cycle priority in one action (idempotent)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mainstreaming.models import Priority
from mainstreaming.services.profile_links import recommendation_to_priority
from profiles.services.sections import recommendation_create
from tests.mainstreaming.planning_factories import default_concern, make_cycle

from .section_factories import make_edition, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(world):
    section = make_section(
        make_edition(world),
        actor=world["editor"],
        code="D.3",
        part="D",
        title="On mainstreaming",
        has_recommendations=True,
    )
    return recommendation_create(
        actor=world["editor"],
        section=section,
        text="Create a diaspora investment desk.",
        target="mainstreaming",
    )


def _url(recommendation):
    return reverse(
        "mainstreaming:recommendation_priority",
        kwargs={"slug": "national", "pk": recommendation.pk},
    )


def _data(cycle):
    return {
        "cycle": cycle.pk,
        "concern": default_concern().pk,
        "title": "Diaspora investment desk",
        "gender_considerations": "Women entrepreneurs of the diaspora are reached.",
        "rights_considerations": "No one is obliged to invest.",
    }


def test_turn_into_priority_creates_a_linked_draft_once(client, world, recommendation):
    cycle = make_cycle(world)
    client.force_login(world["editor"])
    form = client.get(_url(recommendation)).content.decode()
    assert "Create a diaspora investment desk." in form and cycle.title in form
    response = client.post(_url(recommendation), _data(cycle))
    priority = Priority.objects.get()
    assert response.status_code == 302 and response["Location"] == priority.get_absolute_url()
    assert (priority.recommendation, priority.cycle, priority.review_state) == (
        recommendation,
        cycle,
        "draft",
    )
    assert "Create a diaspora investment desk." in priority.rationale
    # A second click shows the existing priority and creates nothing.
    again = client.post(_url(recommendation), _data(cycle))
    assert again["Location"] == priority.get_absolute_url()
    assert Priority.objects.count() == 1
    page = client.get(_url(recommendation)).content.decode()
    assert "already became the priority" in page
    section_page = client.get(recommendation.section.get_absolute_url()).content.decode()
    assert "Became priority “Diaspora investment desk”" in section_page
    assert "Turn into a priority" not in section_page


def test_service_is_idempotent_and_checks_rights(world, recommendation):
    cycle = make_cycle(world)
    data = _data(cycle)
    data.update(cycle=cycle, concern=default_concern())
    first, created = recommendation_to_priority(
        actor=world["editor"], recommendation=recommendation, **data
    )
    second, created_again = recommendation_to_priority(
        actor=world["coordinator"], recommendation=recommendation, **data
    )
    assert (created, created_again, first) == (True, False, second)
    with pytest.raises(PermissionDenied):
        recommendation_to_priority(actor=world["reviewer"], recommendation=recommendation, **data)


def test_missing_considerations_are_asked_for(client, world, recommendation):
    cycle = make_cycle(world)
    client.force_login(world["editor"])
    data = _data(cycle)
    data["gender_considerations"] = ""
    response = client.post(_url(recommendation), data)
    assert response.status_code == 200
    assert Priority.objects.count() == 0


def test_api_turn_into_priority(client, world, recommendation):
    cycle = make_cycle(world)
    url = reverse(
        "profile-recommendation-priority",
        kwargs={"workspace_slug": "national", "pk": recommendation.pk},
    )
    client.force_login(world["reviewer"])
    assert client.post(url, _data(cycle), content_type="application/json").status_code == 403
    client.force_login(world["editor"])
    created = client.post(url, _data(cycle), content_type="application/json")
    assert created.status_code == 201, created.content
    again = client.post(url, _data(cycle), content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert Priority.objects.get().recommendation == recommendation
