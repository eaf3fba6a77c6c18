"""Coordination platforms in the browser: lifecycle with review, deletion rules, seats."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.coordination_models import Platform, Seat
from stakeholders.platforms_services import platform_delete
from stakeholders.review import review_edit
from tests.factories import OrganisationFactory

from .platform_factories import make_platform, make_seat, organisation_of

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"slug": "national", **kwargs})


def test_platform_create_saves_a_draft_and_shows_sanitised_markdown(client, world):
    chair = organisation_of(world["editor"], world.workspace)
    client.force_login(world["coordinator"])
    response = client.post(
        url("platform_create"),
        {
            "name": "National working group",
            "kind": "inter_ministerial",
            "chair": chair.pk,
            "established_on": "2024-03-15",
            "legal_basis": "Decree 2024-12",
            "mandate": "Coordinate **migration** work.<script>alert(1)</script>",
            "terms_of_reference": "- meets *quarterly*",
        },
    )
    assert response.status_code == 302
    platform = Platform.objects.get(name="National working group")
    assert platform.review_state == "draft" and platform.chair == chair
    assert platform.history.first().history_user == world["coordinator"]
    page = client.get(response["Location"]).content.decode()
    assert "<strong>migration</strong>" in page
    assert "<em>quarterly</em>" in page
    assert "<script>alert(1)" not in page
    assert "Decree 2024-12" in page and str(chair) in page


def test_platform_create_refuses_an_empty_form_with_errors(client, world):
    client.force_login(world["editor"])
    response = client.post(url("platform_create"), {"name": "", "kind": ""})
    assert response.status_code == 200
    assert "Enter the platform&#x27;s name." in response.content.decode()
    assert not Platform.objects.exists()


def test_platform_readers_without_drafts_see_only_the_approved_version(client, world):
    platform = make_platform(
        world.workspace, name="Working group", mandate="Approved mandate text", approved=True
    )
    review_edit(
        actor=world["editor"],
        item=platform,
        expected_lock_version=platform.lock_version,
        mandate="Draft mandate text",
    )
    detail = url("platform_detail", pk=platform.pk)
    client.force_login(world["observer"])
    page = client.get(detail).content.decode()
    assert "Approved mandate text" in page
    assert "Draft mandate text" not in page
    client.force_login(world["editor"])
    page = client.get(detail).content.decode()
    assert "Draft mandate text" in page
    assert "Approved mandate text" not in page


def test_platform_never_approved_is_hidden_from_observers_but_listed_for_editors(client, world):
    make_platform(world.workspace, name="Approved group", approved=True)
    draft = make_platform(world.workspace, name="Draft group")
    client.force_login(world["observer"])
    page = client.get(url("platform_list")).content.decode()
    assert "Approved group" in page and "Draft group" not in page
    assert client.get(url("platform_detail", pk=draft.pk)).status_code == 404
    client.force_login(world["editor"])
    page = client.get(url("platform_list")).content.decode()
    assert "Approved group" in page and "Draft group" in page


def test_platform_editor_submits_but_cannot_approve(client, world):
    platform = make_platform(world.workspace, actor=world["editor"])
    client.force_login(world["editor"])
    submit = reverse(
        "stakeholders:review_transition",
        kwargs={
            "slug": "national",
            "kind": "stakeholders.platform",
            "pk": platform.pk,
            "action": "submit",
        },
    )
    assert client.post(submit).status_code == 302
    platform.refresh_from_db()
    assert platform.review_state == "submitted"
    approve_url = submit.replace("/submit/", "/approve/")
    assert client.post(approve_url).status_code == 403
    client.force_login(world["reviewer"])
    assert client.post(approve_url).status_code == 302
    platform.refresh_from_db()
    assert platform.review_state == "approved" and platform.approved_version == 1


def test_platform_detail_offers_the_review_panel(client, world):
    platform = make_platform(world.workspace, name="Working group")
    client.force_login(world["editor"])
    page = client.get(url("platform_detail", pk=platform.pk)).content.decode()
    assert "/review/stakeholders.platform/" in page


def test_platform_update_goes_through_review_and_a_stale_form_gets_409(client, world):
    platform = make_platform(world.workspace, name="Working group", approved=True)
    client.force_login(world["editor"])
    edit = url("platform_update", pk=platform.pk)
    form = {
        "name": "Working group",
        "kind": "technical",
        "mandate": "New mandate",
        "terms_of_reference": "",
        "legal_basis": "",
        "established_on": "",
        "chair": "",
        "lock_version": platform.lock_version,
    }
    assert client.post(edit, form).status_code == 302
    platform.refresh_from_db()
    assert platform.review_state == "draft" and platform.version == 2
    assert platform.kind == "technical"
    assert platform.approved_snapshot["kind"] == "inter_ministerial"
    # The same (now stale) version again: a conflict page that keeps the text.
    form["mandate"] = "Someone else's text"
    response = client.post(edit, form)
    assert response.status_code == 409
    assert "Someone else&#x27;s text" in response.content.decode()
    platform.refresh_from_db()
    assert platform.mandate == "New mandate"


def test_platform_delete_editors_only_never_approved_coordinators_always(client, world):
    draft = make_platform(world.workspace, name="Draft group")
    approved = make_platform(world.workspace, name="Approved group", approved=True)
    client.force_login(world["editor"])
    assert client.get(url("platform_delete", pk=approved.pk)).status_code == 403
    assert client.post(url("platform_delete", pk=approved.pk)).status_code == 403
    assert client.get(url("platform_delete", pk=draft.pk)).status_code == 200
    assert client.post(url("platform_delete", pk=draft.pk)).status_code == 302
    assert not Platform.objects.filter(pk=draft.pk).exists()
    client.force_login(world["coordinator"])
    assert client.post(url("platform_delete", pk=approved.pk)).status_code == 302
    assert not Platform.objects.filter(pk=approved.pk).exists()


def test_platform_delete_service_refuses_an_editor_for_an_approved_platform(world):
    from django.core.exceptions import PermissionDenied

    approved = make_platform(world.workspace, approved=True)
    with pytest.raises(PermissionDenied):
        platform_delete(actor=world["editor"], platform=approved)
    assert Platform.objects.filter(pk=approved.pk).exists()


def test_seat_one_per_organisation_and_only_this_workspaces_organisations(client, world):
    platform = make_platform(world.workspace, approved=True)
    organisation = organisation_of(world["contributor"], world.workspace)
    client.force_login(world["editor"])
    create = url("seat_create", pk=platform.pk)
    data = {"organisation": organisation.pk, "person": "A. Diop", "kind": "member"}
    assert client.post(create, {**data, "focal_point": "on"}).status_code == 302
    seat = Seat.objects.get(platform=platform)
    assert seat.focal_point and seat.person == "A. Diop"
    again = client.post(create, data)
    assert again.status_code == 200
    assert "already has a seat" in again.content.decode()
    foreign = OrganisationFactory(workspace=world.other)
    refused = client.post(create, {**data, "organisation": foreign.pk})
    assert refused.status_code == 200
    assert Seat.objects.filter(platform=platform).count() == 1


def test_seat_update_and_remove(client, world):
    platform = make_platform(world.workspace, approved=True)
    seat = make_seat(platform, organisation_of(world["editor"], world.workspace))
    client.force_login(world["editor"])
    response = client.post(
        url("seat_update", pk=seat.pk),
        {"organisation": seat.organisation_id, "person": "New person", "kind": "observer"},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.kind == "observer" and seat.person == "New person"
    page = client.get(url("platform_detail", pk=platform.pk)).content.decode()
    assert "New person" in page
    assert client.post(url("seat_delete", pk=seat.pk)).status_code == 302
    assert not Seat.objects.filter(pk=seat.pk).exists()


def test_seat_contributor_and_observer_cannot_add_seats(client, world):
    platform = make_platform(world.workspace, approved=True)
    organisation = organisation_of(world["contributor"], world.workspace)
    for role in ("contributor", "observer", "reviewer"):
        client.force_login(world[role])
        response = client.post(
            url("seat_create", pk=platform.pk), {"organisation": organisation.pk, "kind": "member"}
        )
        assert response.status_code == 403, role
    assert not Seat.objects.exists()
