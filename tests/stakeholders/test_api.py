"""The REST API of workspaces, organisations, memberships and invitations.

The permission matrix and the query counts live in their own suites; here: behaviour per
resource and role, token authentication, tenancy and the OpenAPI schema.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from stakeholders.choices import InvitationStatus, OrganisationKind, Role
from stakeholders.models import Invitation, Membership, Organisation, Workspace

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_user(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


def url(name: str, slug: str = "national", **kwargs) -> str:
    return reverse(name, kwargs={"workspace_slug": slug, **kwargs})


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


# Workspaces ------------------------------------------------------------------------------------


def test_workspace_list_shows_only_visible_workspaces(api, world):
    response = as_user(api, world["coordinator"]).get(reverse("workspace-list"))
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()["results"]}
    # The national coordinator also reads its city workspace, without a role there.
    assert set(rows) == {"national", "city"}
    assert rows["national"]["my_role"] == Role.COORDINATOR
    assert rows["city"]["my_role"] is None
    assert rows["city"]["parent"] == "national"

    response = as_user(APIClient(), world["outsider"]).get(reverse("workspace-list"))
    assert {row["slug"] for row in response.json()["results"]} == {"elsewhere"}


def test_workspace_list_filters_by_level(api, world):
    response = as_user(api, world["coordinator"]).get(reverse("workspace-list"), {"level": "local"})
    assert [row["slug"] for row in response.json()["results"]] == ["city"]


def test_workspace_retrieve_by_slug_and_404_when_invisible(api, world):
    detail = reverse("workspace-detail", kwargs={"slug": "national"})
    assert as_user(api, world["observer"]).get(detail).json()["name"] == "National workspace"
    assert as_user(APIClient(), world["outsider"]).get(detail).status_code == 404
    missing = reverse("workspace-detail", kwargs={"slug": "no-such-workspace"})
    assert api.get(missing).status_code == 404


def test_workspace_patch_by_coordinator_goes_through_the_service(api, world):
    lead = OrganisationFactory(workspace=world.workspace, name="Ministry of Planning")
    detail = reverse("workspace-detail", kwargs={"slug": "national"})
    response = as_user(api, world["coordinator"]).patch(
        detail,
        {
            "name": "Senegal national workspace",
            "lead_organisation": lead.pk,
            "development_plan": "Plan Sénégal Émergent",
            "time_zone": "Africa/Dakar",
            "description": "Where we plan together.",
            "slug": "renamed",  # read-only: ignored
            "level": "local",  # read-only: ignored
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lead_organisation"] == lead.pk
    assert response.json()["my_role"] == Role.COORDINATOR
    workspace = Workspace.objects.get(pk=world.workspace.pk)
    assert workspace.name == "Senegal national workspace"
    assert workspace.lead_organisation == lead
    assert (workspace.slug, workspace.level) == ("national", "national")
    assert workspace.history.latest().history_user == world["coordinator"]


def test_workspace_patch_refused_to_editor_and_to_national_coordinator_on_city(api, world):
    detail = reverse("workspace-detail", kwargs={"slug": "national"})
    response = as_user(api, world["editor"]).patch(detail, {"name": "Hijacked"}, format="json")
    assert response.status_code == 403
    city = reverse("workspace-detail", kwargs={"slug": "city"})
    response = as_user(APIClient(), world["coordinator"]).patch(
        city, {"name": "Hijacked"}, format="json"
    )
    assert response.status_code == 403
    assert not Workspace.objects.filter(name="Hijacked").exists()
    assert Workspace.objects.filter(name="National workspace").exists()


def test_workspace_patch_refuses_lead_organisation_of_another_workspace(api, world):
    foreign = OrganisationFactory(workspace=world.other, name="Foreign ministry")
    own = OrganisationFactory(workspace=world.workspace, name="Own ministry")
    detail = reverse("workspace-detail", kwargs={"slug": "national"})
    client = as_user(api, world["coordinator"])
    response = client.patch(detail, {"lead_organisation": foreign.pk}, format="json")
    assert response.status_code == 400
    assert "lead_organisation" in response.json()
    assert Workspace.objects.get(pk=world.workspace.pk).lead_organisation is None
    # Positive control: an organisation of the workspace itself is accepted.
    response = client.patch(detail, {"lead_organisation": own.pk}, format="json")
    assert response.status_code == 200
    assert Workspace.objects.get(pk=world.workspace.pk).lead_organisation == own


# Organisations ---------------------------------------------------------------------------------


def test_organisation_list_is_paginated_and_filtered(api, world):
    OrganisationFactory(
        workspace=world.workspace,
        name="Diaspora Council",
        acronym="DC",
        kind=OrganisationKind.DIASPORA,
    )
    OrganisationFactory(
        workspace=world.workspace,
        name="Statistics Agency",
        acronym="ANSD",
        kind=OrganisationKind.STATISTICS_OFFICE,
    )
    client = as_user(api, world["observer"])
    response = client.get(url("organisation-list"))
    body = response.json()
    assert response.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(body)
    assert {"Diaspora Council", "Statistics Agency"} <= names(response)
    assert body["count"] == Organisation.objects.filter(workspace=world.workspace).count()

    assert names(client.get(url("organisation-list"), {"q": "ansd"})) == {"Statistics Agency"}
    assert names(client.get(url("organisation-list"), {"kind": "diaspora"})) == {"Diaspora Council"}
    page = client.get(url("organisation-list"), {"page_size": 1}).json()
    assert len(page["results"]) == 1
    assert page["next"] is not None


def test_organisation_create_by_coordinator(api, world):
    parent = OrganisationFactory(workspace=world.workspace, name="Ministry of Labour")
    response = as_user(api, world["coordinator"]).post(
        url("organisation-list"),
        {
            "name": "Labour Migration Unit",
            "acronym": "LMU",
            "kind": OrganisationKind.MINISTRY,
            "country": "SEN",
            "parent": parent.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Labour Migration Unit"
    assert body["parent"] == parent.pk
    assert body["member_count"] == 0
    created = Organisation.objects.get(pk=body["id"])
    assert created.workspace == world.workspace
    assert created.history.latest().history_user == world["coordinator"]


def test_organisation_create_answers_the_new_row_whatever_the_list_filters(api, world):
    response = as_user(api, world["coordinator"]).post(
        url("organisation-list") + "?kind=donor&q=nothing-matches",
        {"name": "Ministry of Interior", "kind": OrganisationKind.MINISTRY},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Ministry of Interior"


@pytest.mark.parametrize("role", ["editor", "reviewer", "contributor", "observer"])
def test_organisation_create_refused_without_manage_organisations(api, world, role):
    response = as_user(api, world[role]).post(
        url("organisation-list"), {"name": "Sneaky", "kind": "cso"}, format="json"
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Sneaky").exists()


def test_organisation_create_refuses_parent_of_another_workspace(api, world):
    foreign = OrganisationFactory(workspace=world.other, name="Foreign ministry")
    own = OrganisationFactory(workspace=world.workspace, name="Own ministry")
    client = as_user(api, world["coordinator"])
    response = client.post(
        url("organisation-list"),
        {"name": "Attached unit", "kind": "ministry", "parent": foreign.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Organisation.objects.filter(name="Attached unit").exists()
    # Positive control: the same request with a parent of this workspace succeeds.
    response = client.post(
        url("organisation-list"),
        {"name": "Attached unit", "kind": "ministry", "parent": own.pk},
        format="json",
    )
    assert response.status_code == 201


def test_organisation_create_duplicate_name_is_400_from_the_service(api, world):
    OrganisationFactory(workspace=world.workspace, name="Ministry of Health")
    response = as_user(api, world["coordinator"]).post(
        url("organisation-list"), {"name": "ministry of health", "kind": "ministry"}, format="json"
    )
    assert response.status_code == 400
    assert Organisation.objects.filter(name__iexact="ministry of health").count() == 1


def test_organisation_update_patch_and_put(api, world):
    organisation = OrganisationFactory(workspace=world.workspace, name="Old name", acronym="ON")
    detail = url("organisation-detail", pk=organisation.pk)
    client = as_user(api, world["coordinator"])
    response = client.patch(detail, {"name": "New name"}, format="json")
    assert response.status_code == 200
    assert response.json()["acronym"] == "ON"
    response = client.put(
        detail, {"name": "Newer name", "kind": OrganisationKind.ACADEMIA}, format="json"
    )
    assert response.status_code == 200, response.json()
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Newer name", OrganisationKind.ACADEMIA)
    assert organisation.history.latest().history_user == world["coordinator"]


def test_organisation_update_refuses_itself_as_parent(api, world):
    organisation = OrganisationFactory(workspace=world.workspace, name="Loop")
    detail = url("organisation-detail", pk=organisation.pk)
    response = as_user(api, world["coordinator"]).patch(
        detail, {"parent": organisation.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    organisation.refresh_from_db()
    assert organisation.parent is None


def test_organisation_update_refused_to_editor(api, world):
    organisation = OrganisationFactory(workspace=world.workspace, name="Stable")
    response = as_user(api, world["editor"]).patch(
        url("organisation-detail", pk=organisation.pk), {"name": "Changed"}, format="json"
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Stable"


# Memberships -----------------------------------------------------------------------------------


def test_membership_list_shows_public_user_fields_only(api, world):
    response = as_user(api, world["observer"]).get(url("membership-list"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["user"]["username"] for row in rows} == {role.value for role in Role}
    for row in rows:
        assert set(row["user"]) == {"id", "username", "name"}
    assert "@" not in response.content.decode()


def test_membership_list_filters_by_role(api, world):
    response = as_user(api, world["observer"]).get(url("membership-list"), {"role": "reviewer"})
    assert [row["user"]["username"] for row in response.json()["results"]] == ["reviewer"]


def test_membership_update_by_coordinator(api, world):
    membership = Membership.objects.get(user=world["editor"], workspace=world.workspace)
    new_organisation = OrganisationFactory(workspace=world.workspace, name="Planning Commission")
    response = as_user(api, world["coordinator"]).patch(
        url("membership-detail", pk=membership.pk),
        {"role": Role.REVIEWER, "organisation": new_organisation.pk, "focal_point": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    membership.refresh_from_db()
    assert (membership.role, membership.organisation, membership.focal_point) == (
        Role.REVIEWER,
        new_organisation,
        True,
    )
    assert world["editor"].groups.filter(name__endswith=":reviewer").exists()
    assert membership.history.latest().history_user == world["coordinator"]


def test_membership_update_refuses_organisation_of_another_workspace(api, world):
    membership = Membership.objects.get(user=world["editor"], workspace=world.workspace)
    before = membership.organisation_id
    foreign = OrganisationFactory(workspace=world.other, name="Foreign ministry")
    own = OrganisationFactory(workspace=world.workspace, name="Own ministry")
    client = as_user(api, world["coordinator"])
    detail = url("membership-detail", pk=membership.pk)
    response = client.patch(detail, {"organisation": foreign.pk}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    membership.refresh_from_db()
    assert membership.organisation_id == before
    assert client.patch(detail, {"organisation": own.pk}, format="json").status_code == 200


def test_membership_update_refused_to_editor(api, world):
    membership = Membership.objects.get(user=world["observer"], workspace=world.workspace)
    response = as_user(api, world["editor"]).patch(
        url("membership-detail", pk=membership.pk), {"role": Role.EDITOR}, format="json"
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER


def test_membership_last_coordinator_cannot_be_demoted_or_removed(api, world):
    membership = Membership.objects.get(user=world["coordinator"], workspace=world.workspace)
    client = as_user(api, world["coordinator"])
    detail = url("membership-detail", pk=membership.pk)

    response = client.patch(detail, {"role": Role.EDITOR}, format="json")
    assert response.status_code == 400
    assert "coordinator" in response.json()["non_field_errors"][0]
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR

    response = client.delete(detail)
    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk, role=Role.COORDINATOR).exists()

    # Positive control: once a second coordinator exists, the demotion goes through.
    MembershipFactory(workspace=world.workspace, role=Role.COORDINATOR)
    assert client.patch(detail, {"role": Role.EDITOR}, format="json").status_code == 200


def test_membership_delete_removes_member_and_their_access(api, world):
    membership = Membership.objects.get(user=world["observer"], workspace=world.workspace)
    response = as_user(api, world["coordinator"]).delete(url("membership-detail", pk=membership.pk))
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    observer = as_user(APIClient(), world["observer"])
    assert observer.get(url("organisation-list")).status_code == 404
    assert Membership.objects.filter(user=world["reviewer"], workspace=world.workspace).exists()


def test_membership_post_is_not_allowed(api, world):
    response = as_user(api, world["coordinator"]).post(
        url("membership-list"), {"role": "editor"}, format="json"
    )
    assert response.status_code == 405


# Invitations -----------------------------------------------------------------------------------


def _organisation(world) -> Organisation:
    return Organisation.objects.filter(workspace=world.workspace).first()


def test_invitation_post_creates_and_emails_without_exposing_the_token(
    api, world, django_capture_on_commit_callbacks
):
    organisation = _organisation(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user(api, world["coordinator"]).post(
            url("invitation-list"),
            {
                "email": "new.person@example.org",
                "role": Role.CONTRIBUTOR,
                "organisation": organisation.pk,
            },
            format="json",
        )
    assert len(callbacks) == 1
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == InvitationStatus.PENDING
    assert body["invited_by"]["username"] == "coordinator"
    assert not {"token", "token_hash"} & set(body)
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.token_hash not in response.content.decode()
    assert invitation.workspace == world.workspace

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    link = re.search(r"/invitations/([^/\s]+)/", mail.outbox[0].body)
    assert link is not None
    assert link.group(1) not in response.content.decode()


def test_invitation_post_refuses_organisation_of_another_workspace(
    api, world, django_capture_on_commit_callbacks
):
    foreign = OrganisationFactory(workspace=world.other, name="Foreign ministry")
    client = as_user(api, world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url("invitation-list"),
            {"email": "new.person@example.org", "role": Role.EDITOR, "organisation": foreign.pk},
            format="json",
        )
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Invitation.objects.exists()
    assert (callbacks, mail.outbox) == ([], [])
    # Positive control: the same invitation with an organisation of this workspace is sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invitation-list"),
            {
                "email": "new.person@example.org",
                "role": Role.EDITOR,
                "organisation": _organisation(world).pk,
            },
            format="json",
        )
    assert response.status_code == 201
    assert len(mail.outbox) == 1


def test_invitation_post_for_existing_member_is_400(api, world):
    response = as_user(api, world["coordinator"]).post(
        url("invitation-list"),
        {
            "email": world["editor"].email,
            "role": Role.EDITOR,
            "organisation": _organisation(world).pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["editor", "reviewer", "contributor", "observer"])
def test_invitations_refused_without_manage_members(api, world, role):
    client = as_user(api, world[role])
    assert client.get(url("invitation-list")).status_code == 403
    response = client.post(
        url("invitation-list"),
        {"email": "x@example.org", "role": Role.EDITOR, "organisation": _organisation(world).pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_delete_revokes_and_keeps_the_record(api, world):
    client = as_user(api, world["coordinator"])
    created = client.post(
        url("invitation-list"),
        {
            "email": "new.person@example.org",
            "role": Role.OBSERVER,
            "organisation": _organisation(world).pk,
        },
        format="json",
    ).json()
    detail = url("invitation-detail", pk=created["id"])
    assert client.delete(detail).status_code == 204
    assert Invitation.objects.get(pk=created["id"]).status == InvitationStatus.REVOKED
    listed = client.get(url("invitation-list")).json()["results"]
    assert [(row["id"], row["status"]) for row in listed] == [(created["id"], "revoked")]
    assert client.get(url("invitation-list"), {"status": "pending"}).json()["results"] == []
    # Revoking twice is refused rather than silently accepted.
    assert client.delete(detail).status_code == 400


# Tenancy ---------------------------------------------------------------------------------------


NESTED_LISTS = ["organisation-list", "membership-list", "invitation-list"]


def test_outsider_sees_nothing_of_the_first_workspace(api, world):
    national_org = OrganisationFactory(workspace=world.workspace, name="National ministry")
    national_invite = as_user(APIClient(), world["coordinator"]).post(
        url("invitation-list"),
        {"email": "invitee@example.org", "role": Role.EDITOR, "organisation": national_org.pk},
        format="json",
    )
    assert national_invite.status_code == 201
    coordinator = as_user(APIClient(), world["coordinator"])
    outsider = as_user(api, world["outsider"])

    # Positive control: the coordinator sees the objects in the national lists.
    seen = coordinator.get(url("organisation-list")).content.decode()
    assert "National ministry" in seen
    assert "invitee@example.org" in coordinator.get(url("invitation-list")).content.decode()
    assert '"username":"editor"' in coordinator.get(url("membership-list")).content.decode()

    # The outsider's own lists hold only their workspace's objects…
    for name in NESTED_LISTS:
        response = outsider.get(url(name, slug="elsewhere"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "National ministry" not in content
        assert "invitee@example.org" not in content
        assert '"username":"editor"' not in content
    assert (
        '"username":"outsider"'
        in outsider.get(url("membership-list", "elsewhere")).content.decode()
    )
    workspaces = outsider.get(reverse("workspace-list")).json()["results"]
    assert [row["slug"] for row in workspaces] == ["elsewhere"]

    # …and the national workspace's URLs answer 404, as if nothing were there.
    for name in NESTED_LISTS:
        assert outsider.get(url(name)).status_code == 404
    assert outsider.get(url("organisation-detail", pk=national_org.pk)).status_code == 404
    assert (
        outsider.patch(
            url("organisation-detail", pk=national_org.pk), {"name": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            url("organisation-list"), {"name": "Planted", "kind": "cso"}, format="json"
        ).status_code
        == 404
    )
    invitation_id = national_invite.json()["id"]
    assert outsider.delete(url("invitation-detail", pk=invitation_id)).status_code == 404
    assert Invitation.objects.get(pk=invitation_id).status == InvitationStatus.PENDING
    assert not Organisation.objects.filter(name="Planted").exists()


def test_nested_routes_only_serve_objects_of_their_workspace(api, world):
    foreign = OrganisationFactory(workspace=world.other, name="Foreign ministry")
    foreign_member = Membership.objects.get(user=world["outsider"])
    client = as_user(api, world["coordinator"])
    # Objects of another workspace are not reachable through this workspace's URLs.
    assert client.get(url("organisation-detail", pk=foreign.pk)).status_code == 404
    assert client.get(url("membership-detail", pk=foreign_member.pk)).status_code == 404
    assert client.delete(url("membership-detail", pk=foreign_member.pk)).status_code == 404
    assert Membership.objects.filter(pk=foreign_member.pk).exists()
    # Positive control: the outsider reaches them through their own workspace.
    outsider = as_user(APIClient(), world["outsider"])
    assert outsider.get(url("organisation-detail", "elsewhere", pk=foreign.pk)).status_code == 200


def test_national_coordinator_reads_city_but_cannot_write(api, world):
    client = as_user(api, world["coordinator"])
    assert client.get(url("organisation-list", slug="city")).status_code == 200
    assert client.get(url("invitation-list", slug="city")).status_code == 403
    response = client.post(
        url("organisation-list", slug="city"),
        {"name": "From above", "kind": "cso"},
        format="json",
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="From above").exists()


# Authentication, root, schema ------------------------------------------------------------------


def test_anonymous_api_request_is_403(api, world):
    assert api.get(reverse("workspace-list")).status_code == 403
    assert api.get(url("organisation-list")).status_code == 403
    assert api.get(reverse("api-root")).status_code == 403


def test_token_obtained_with_password_then_used(api, world):
    response = api.post(
        reverse("api-token"), {"username": "editor", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(reverse("workspace-list"))
    assert response.status_code == 200
    assert {row["slug"] for row in response.json()["results"]} == {"national"}
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    # Session authentication comes first, so DRF answers 403 (not 401) for a bad token.
    assert bad.get(reverse("workspace-list")).status_code == 403


def test_token_wrong_password_is_400_and_counted_by_axes(api, world):
    response = api.post(
        reverse("api-token"), {"username": "editor", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.failures_since_start == 1


def test_token_refused_once_axes_locks_the_account(api, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post(reverse("api-token"), {"username": "editor", "password": "wrong"}, format="json")
    response = api.post(
        reverse("api-token"), {"username": "editor", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "locked" in response.json()["detail"]
    assert "token" not in response.json()
    # Positive control: another account from the same address still gets its token.
    response = api.post(
        reverse("api-token"), {"username": "observer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_api_root_lists_the_endpoints(api, world):
    response = as_user(api, world["observer"]).get(reverse("api-root"), format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"workspaces", "token", "schema", "docs"}
    assert response.json()["workspaces"].endswith("/api/workspaces/")


def test_schema_and_docs_are_public_and_docs_has_no_inline_script(api, db):
    schema = api.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/workspaces/{workspace_slug}/organisations/" in schema.content
    docs = api.get(reverse("swagger-ui"))
    assert docs.status_code == 200
    html = docs.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all("src=" in attributes for attributes in scripts)
    assert "cdn" not in html.lower()
    script = api.get(reverse("swagger-ui") + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    content = target.read_text()
    assert "/api/workspaces/{workspace_slug}/invitations/{id}/" in content
    assert "token_hash" not in content
