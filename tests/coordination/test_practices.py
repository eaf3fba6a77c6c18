"""Good-practice exchange: the library never leaks unpublished practices, the lifecycle by role,
the link back to the workspace only for its members, sanitised Markdown.

Every "absent" assertion sits next to a "present" one (DESIGN §9).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stakeholders.choices import PracticeArea, PracticeStatus
from stakeholders.coordination_models import Practice
from stakeholders.practices_selectors import practice_return_reason
from stakeholders.practices_services import (
    practice_create,
    practice_delete,
    practice_transition,
    practice_update,
)

from .practice_factories import make_practice

pytestmark = pytest.mark.django_db

LIBRARY = "/practices/"
API_LIBRARY = "/api/practices/"


@pytest.fixture
def practices(world):
    """One practice per status in "national" (all with the word "zebra"), plus a published one
    in the city and one in the unlinked workspace."""
    contributor, coordinator = world["contributor"], world["coordinator"]
    n = world.workspace
    made = {
        status: make_practice(
            contributor,
            n,
            status=status,
            publisher=coordinator,
            title=f"Zebra {status} practice",
            summary=f"Zebra crossing, {status}marker.",
        )
        for status in PracticeStatus.values
    }
    made["city"] = make_practice(
        world["citycoordinator"],
        world.city,
        status=PracticeStatus.PUBLISHED,
        publisher=world["citycoordinator"],
        title="Zebra city practice",
        area=PracticeArea.LOCAL,
    )
    made["elsewhere"] = make_practice(
        world["outsider"],
        world.other,
        status=PracticeStatus.PUBLISHED,
        publisher=world["outsider"],
        title="Zebra elsewhere practice",
        area=PracticeArea.LABOUR,
    )
    return made


# The library never leaks ------------------------------------------------------------------------

HIDDEN = ["Zebra draft practice", "Zebra proposed practice", "Zebra withdrawn practice"]


@pytest.mark.parametrize("role", ["outsider", "contributor", "coordinator", "observer"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=zebra",
        "q=draftmarker",
        "q=proposedmarker",
        "area=diaspora",
        "country=SEN",
        "level=national",
    ],
)
def test_library_page_shows_published_only(client, world, practices, role, query):
    client.force_login(world[role])
    html = client.get(f"{LIBRARY}?{query}").content.decode()
    if query in ("q=draftmarker", "q=proposedmarker"):
        # Search text only the hidden practices hold: nothing found, the empty state says so.
        assert "No published practice matches your search" in html
    else:
        assert "Zebra published practice" in html
    for title in HIDDEN:
        assert title not in html


def test_library_filters_by_area_country_and_level(client, world, practices):
    client.force_login(world["outsider"])
    local = client.get(f"{LIBRARY}?level=local").content.decode()
    assert "Zebra city practice" in local
    assert "Zebra published practice" not in local
    labour = client.get(f"{LIBRARY}?area=labour").content.decode()
    assert "Zebra elsewhere practice" in labour
    assert "Zebra city practice" not in labour
    philippines = client.get(f"{LIBRARY}?country=PHL").content.decode()
    assert "Zebra elsewhere practice" in philippines
    assert "Zebra published practice" not in philippines


@pytest.mark.parametrize("role", ["outsider", "contributor", "coordinator"])
def test_library_detail_only_published(client, world, practices, role):
    client.force_login(world[role])
    published = client.get(f"{LIBRARY}{practices[PracticeStatus.PUBLISHED].pk}/")
    assert published.status_code == 200
    assert "Zebra published practice" in published.content.decode()
    for status in (PracticeStatus.DRAFT, PracticeStatus.PROPOSED, PracticeStatus.WITHDRAWN):
        assert client.get(f"{LIBRARY}{practices[status].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["outsider", "contributor", "coordinator"])
def test_library_api_shows_published_only(client, world, practices, role):
    client.force_login(world[role])
    titles = {p["title"] for p in client.get(f"{API_LIBRARY}?q=zebra").json()["results"]}
    assert titles == {
        "Zebra published practice",
        "Zebra city practice",
        "Zebra elsewhere practice",
    }
    assert client.get(f"{API_LIBRARY}?q=draftmarker").json()["count"] == 0
    assert client.get(f"{API_LIBRARY}?q=publishedmarker").json()["count"] == 1
    filtered = client.get(f"{API_LIBRARY}?level=local&country=sen").json()["results"]
    assert [p["title"] for p in filtered] == ["Zebra city practice"]
    assert client.get(f"{API_LIBRARY}{practices[PracticeStatus.PUBLISHED].pk}/").status_code == 200
    for status in (PracticeStatus.DRAFT, PracticeStatus.PROPOSED, PracticeStatus.WITHDRAWN):
        assert client.get(f"{API_LIBRARY}{practices[status].pk}/").status_code == 404


def test_library_api_refuses_bad_filters(client, world, practices):
    client.force_login(world["outsider"])
    assert client.get(f"{API_LIBRARY}?area=nonsense").status_code == 400
    assert client.get(f"{API_LIBRARY}?level=regional").status_code == 400
    assert client.get(f"{API_LIBRARY}?area=diaspora").status_code == 200


def test_library_needs_sign_in(client, practices):
    response = client.get(LIBRARY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(API_LIBRARY).status_code == 403


# Link back to the workspace only for its members ------------------------------------------------


def test_library_links_back_only_for_members(client, world, practices):
    published = practices[PracticeStatus.PUBLISHED]
    url = f"{LIBRARY}{published.pk}/"
    workspace_link = f'href="{world.workspace.get_absolute_url()}"'
    practice_link = reverse(
        "stakeholders:practice_detail", kwargs={"slug": "national", "pk": published.pk}
    )
    client.force_login(world["observer"])
    member = client.get(url).content.decode()
    assert workspace_link in member
    assert practice_link in member
    client.force_login(world["outsider"])
    other = client.get(url).content.decode()
    assert "National workspace" in other  # the name, without a link
    assert "Senegal" in other
    assert workspace_link not in other
    assert practice_link not in other


def test_library_api_gives_workspace_address_only_to_members(client, world, practices):
    url = f"{API_LIBRARY}{practices[PracticeStatus.PUBLISHED].pk}/"
    client.force_login(world["contributor"])
    assert client.get(url).json()["workspace"]["slug"] == "national"
    client.force_login(world["outsider"])
    workspace = client.get(url).json()["workspace"]
    assert workspace["name"] == "National workspace"
    assert workspace["country"] == "SEN"
    assert workspace["slug"] is None
    assert workspace["url"] is None


def test_national_coordinator_gets_link_to_city_practice(client, world, practices):
    client.force_login(world["coordinator"])
    html = client.get(f"{LIBRARY}{practices['city'].pk}/").content.decode()
    assert f'href="{world.city.get_absolute_url()}"' in html
    client.force_login(world["contributor"])
    html = client.get(f"{LIBRARY}{practices['city'].pk}/").content.decode()
    assert "City workspace" in html
    assert f'href="{world.city.get_absolute_url()}"' not in html


# Reading inside the workspace -------------------------------------------------------------------


def _workspace_titles(client, slug="national"):
    return client.get(f"/w/{slug}/practices/").content.decode()


def test_workspace_list_by_role(client, world, practices):
    editor_draft = make_practice(world["editor"], world.workspace, title="Zebra editor draft")
    client.force_login(world["observer"])
    html = _workspace_titles(client)
    assert "Zebra published practice" in html
    assert "Zebra draft practice" not in html
    assert "Zebra withdrawn practice" not in html
    # The contributor reads their own practices in every state, not someone else's draft.
    client.force_login(world["contributor"])
    html = _workspace_titles(client)
    assert "Zebra draft practice" in html
    assert "Zebra withdrawn practice" in html
    assert "Zebra editor draft" not in html
    client.force_login(world["reviewer"])
    html = _workspace_titles(client)
    assert "Zebra editor draft" in html
    assert "Zebra proposed practice" in html
    assert editor_draft.status == PracticeStatus.DRAFT


def test_national_coordinator_reads_published_city_practices_only(client, world, practices):
    make_practice(world["citycoordinator"], world.city, title="Zebra city draft")
    client.force_login(world["coordinator"])
    html = _workspace_titles(client, "city")
    assert "Zebra city practice" in html
    assert "Zebra city draft" not in html
    draft = Practice.objects.get(title="Zebra city draft")
    assert client.get(f"/w/city/practices/{draft.pk}/").status_code == 404
    assert client.get(f"/w/city/practices/{practices['city'].pk}/").status_code == 200
    assert client.get("/w/city/practices/new/").status_code == 403


def test_workspace_api_list_by_role(client, world, practices):
    url = "/api/workspaces/national/practices/"
    client.force_login(world["observer"])
    titles = {p["title"] for p in client.get(url).json()["results"]}
    assert titles == {"Zebra published practice"}
    client.force_login(world["editor"])
    titles = {p["title"] for p in client.get(url).json()["results"]}
    assert len(titles) == 4
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404


# Lifecycle by role ------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Migrant resource centre",
        "summary": "A centre that informs people before they leave.",
        "area": PracticeArea.LABOUR,
        "what_worked": "Working with **recruiters**.",
        "what_did_not": "",
        "contact_organisation": "",
    }
    data.update(overrides)
    return data


def test_contributor_proposes_and_coordinator_publishes_through_pages(client, world):
    contributor, coordinator = world["contributor"], world["coordinator"]
    organisation = world.workspace.memberships.get(user=contributor).organisation
    client.force_login(contributor)
    response = client.post(
        "/w/national/practices/new/", _form(contact_organisation=organisation.pk)
    )
    practice = Practice.objects.get(title="Migrant resource centre")
    assert response.status_code == 302
    assert response["Location"] == f"/w/national/practices/{practice.pk}/"
    assert practice.status == PracticeStatus.DRAFT
    assert practice.created_by == contributor
    assert practice.contact_organisation == organisation
    assert practice.history.first().history_user == contributor
    # The contributor cannot publish, the coordinator cannot publish a draft not yet proposed.
    assert client.post(f"/w/national/practices/{practice.pk}/publish/").status_code == 403
    assert client.post(f"/w/national/practices/{practice.pk}/propose/").status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PROPOSED
    client.force_login(coordinator)
    assert client.post(f"/w/national/practices/{practice.pk}/publish/").status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    assert practice.published_by == coordinator
    assert practice.published_at is not None
    client.force_login(world["outsider"])
    assert "Migrant resource centre" in client.get(LIBRARY).content.decode()


def test_observer_cannot_create(client, world):
    client.force_login(world["observer"])
    assert client.get("/w/national/practices/new/").status_code == 403
    assert client.post("/w/national/practices/new/", _form()).status_code == 403
    assert not Practice.objects.exists()
    client.force_login(world["editor"])
    assert client.post("/w/national/practices/new/", _form()).status_code == 302
    assert Practice.objects.count() == 1


def test_contact_organisation_of_another_workspace_refused(client, world):
    foreign = world.other.organisations.first()
    client.force_login(world["editor"])
    response = client.post("/w/national/practices/new/", _form(contact_organisation=foreign.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Practice.objects.exists()


def test_return_needs_a_reason_and_the_author_sees_it(client, world):
    practice = make_practice(world["contributor"], world.workspace, status="proposed")
    client.force_login(world["coordinator"])
    url = f"/w/national/practices/{practice.pk}/return/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PROPOSED
    assert client.post(url, {"reason": "Name the partners."}).status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT
    assert practice_return_reason(practice=practice) == "Name the partners."
    client.force_login(world["contributor"])
    html = client.get(f"/w/national/practices/{practice.pk}/").content.decode()
    assert "Name the partners." in html


def test_withdraw_removes_from_library(client, world):
    practice = make_practice(
        world["editor"], world.workspace, status="published", publisher=world["coordinator"]
    )
    client.force_login(world["outsider"])
    assert client.get(f"{LIBRARY}{practice.pk}/").status_code == 200
    client.force_login(world["editor"])
    assert client.post(f"/w/national/practices/{practice.pk}/withdraw/").status_code == 403
    client.force_login(world["coordinator"])
    assert client.get(f"/w/national/practices/{practice.pk}/withdraw/").status_code == 200
    assert client.post(f"/w/national/practices/{practice.pk}/withdraw/").status_code == 302
    client.force_login(world["outsider"])
    assert client.get(f"{LIBRARY}{practice.pk}/").status_code == 404


def test_edit_rules(world):
    contributor, editor, reviewer = world["contributor"], world["editor"], world["reviewer"]
    practice = make_practice(contributor, world.workspace)
    practice_update(actor=contributor, practice=practice, title="Own change")
    practice_update(actor=editor, practice=practice, title="Editor change")
    with pytest.raises(PermissionDenied):
        practice_update(actor=reviewer, practice=practice, title="Reviewer change")
    practice.refresh_from_db()
    assert practice.title == "Editor change"
    published = make_practice(
        contributor, world.workspace, status="published", publisher=world["coordinator"]
    )
    # A published practice is no longer edited (withdraw and return it to draft first).
    with pytest.raises(ValidationError):
        practice_update(actor=contributor, practice=published, title="Late change")
    with pytest.raises(PermissionDenied):
        practice_update(actor=world["observer"], practice=published, title="Observer change")


def test_delete_only_drafts_with_confirmation(client, world):
    contributor = world["contributor"]
    draft = make_practice(contributor, world.workspace, title="Throwaway")
    proposed = make_practice(contributor, world.workspace, status="proposed", title="Kept")
    client.force_login(contributor)
    page = client.get(f"/w/national/practices/{draft.pk}/delete/")
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert Practice.objects.filter(pk=draft.pk).exists()
    assert client.post(f"/w/national/practices/{draft.pk}/delete/").status_code == 302
    assert not Practice.objects.filter(pk=draft.pk).exists()
    assert client.post(f"/w/national/practices/{proposed.pk}/delete/").status_code == 403
    assert Practice.objects.filter(pk=proposed.pk).exists()


def test_services_refuse_wrong_state_and_roles(world):
    coordinator, contributor = world["coordinator"], world["contributor"]
    practice = make_practice(contributor, world.workspace)
    with pytest.raises(ValidationError):
        practice_transition(actor=coordinator, practice=practice, action="publish")
    with pytest.raises(PermissionDenied):
        practice_create(
            actor=world["observer"],
            workspace=world.workspace,
            title="x",
            summary="y",
            area=PracticeArea.DATA,
        )
    with pytest.raises(PermissionDenied):
        practice_delete(actor=world["outsider"], practice=practice)
    # A coordinator may publish a practice they wrote (no four eyes here, by design).
    own = make_practice(coordinator, world.workspace, status="published", publisher=coordinator)
    assert own.status == PracticeStatus.PUBLISHED


def test_api_lifecycle(client, world):
    base = "/api/workspaces/national/practices/"
    client.force_login(world["contributor"])
    created = client.post(
        base,
        {"title": "Api practice", "summary": "S.", "area": "data"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert sorted(body["actions"]) == ["delete", "edit", "propose"]
    pk = body["id"]
    patched = client.patch(
        f"{base}{pk}/", {"title": "Api practice 2"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "Api practice 2"
    assert (
        client.post(f"{base}{pk}/publish/", {}, content_type="application/json").status_code == 403
    )
    assert (
        client.post(f"{base}{pk}/propose/", {}, content_type="application/json").status_code == 200
    )
    client.force_login(world["coordinator"])
    returned = client.post(f"{base}{pk}/return/", {}, content_type="application/json")
    assert returned.status_code == 400
    assert "reason" in returned.json()
    client.force_login(world["contributor"])
    client.post(f"{base}{pk}/propose/", {}, content_type="application/json")
    client.force_login(world["coordinator"])
    published = client.post(f"{base}{pk}/publish/", {}, content_type="application/json")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    client.force_login(world["outsider"])
    assert client.get(f"{API_LIBRARY}{pk}/").status_code == 200
    assert client.get(f"{base}{pk}/").status_code == 404


def test_markdown_is_sanitised(client, world):
    practice = make_practice(
        world["editor"],
        world.workspace,
        status="published",
        publisher=world["coordinator"],
        what_worked="**Bold lesson** <script>alert(1)</script>",
    )
    client.force_login(world["outsider"])
    html = client.get(f"{LIBRARY}{practice.pk}/").content.decode()
    assert "<strong>Bold lesson</strong>" in html
    assert "<script>alert(1)" not in html
