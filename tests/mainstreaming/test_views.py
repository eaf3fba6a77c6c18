import pytest
from django.urls import reverse

from stakeholders.choices import Role
from stakeholders.services import invitation_create, workspace_update

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _home(world, slug="national"):
    return reverse("mainstreaming:workspace_home", kwargs={"slug": slug})


def test_workspace_list_shows_memberships_with_role_level_and_country(client, world):
    client.force_login(world["editor"])
    response = client.get(reverse("mainstreaming:workspace_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>My workspaces</h1>" in body
    assert "National workspace" in body
    assert "Editor" in body
    assert "Senegal" in body
    # The editor neither follows the city nor sees the unlinked workspace.
    assert "City workspace" not in body
    assert "Unlinked workspace" not in body
    assert "Local workspaces you follow" not in body


def test_workspace_list_shows_followed_local_workspaces_separately(client, world):
    client.force_login(world["coordinator"])
    body = client.get(reverse("mainstreaming:workspace_list")).content.decode()
    member_part, followed_part = body.split("Local workspaces you follow")
    assert "National workspace" in member_part
    assert "City workspace" in followed_part
    assert "City workspace" not in member_part
    assert "Unlinked workspace" not in body


def test_workspace_list_empty_state(client, db):
    client.force_login(UserFactory())
    body = client.get(reverse("mainstreaming:workspace_list")).content.decode()
    assert "You are not a member of any workspace yet" in body
    assert "<table" not in body


def test_workspace_list_requires_sign_in(client, db):
    response = client.get(reverse("mainstreaming:workspace_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_workspace_home_describes_workspace_and_members(client, world):
    workspace_update(
        actor=world["coordinator"],
        workspace=world.workspace,
        description="We plan **together**.\n\n<script>alert(1)</script>",
        development_plan="National plan 2030",
    )
    client.force_login(world["observer"])
    response = client.get(_home(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<strong>together</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert "National plan 2030" in body
    assert "Africa/Dakar" in body
    for role in ("coordinator", "editor", "reviewer", "contributor", "observer"):
        assert str(world[role]) in body
    # Local workspace listed, but the observer cannot open it: no link.
    assert "City workspace" in body
    assert world.city.get_absolute_url() not in body
    # Invitations are only for those who manage members.
    assert "Pending invitations" not in body


def test_workspace_home_shows_pending_invitations_to_coordinator(client, world):
    organisation = world.workspace.organisations.first()
    invitation_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        email="new@example.org",
        role=Role.EDITOR,
        organisation=organisation,
    )
    client.force_login(world["coordinator"])
    body = client.get(_home(world)).content.decode()
    assert "Pending invitations" in body
    assert "new@example.org" in body
    assert world.city.get_absolute_url() in body  # the coordinator may open the city


def test_workspace_home_of_local_links_parent_only_when_readable(client, world):
    client.force_login(world["citycoordinator"])
    body = client.get(_home(world, "city")).content.decode()
    assert "National workspace" in body
    assert 'href="/w/national/"' not in body
    assert "Dakar" in body

    client.force_login(world["coordinator"])
    body = client.get(_home(world, "city")).content.decode()
    assert 'href="/w/national/"' in body
    assert "You cannot change anything here" in body


def test_workspace_home_hidden_from_outsiders(client, world):
    client.force_login(world["outsider"])
    assert client.get(_home(world)).status_code == 404
    assert client.get(_home(world, "elsewhere")).status_code == 200
