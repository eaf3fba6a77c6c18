"""Every list page and list endpoint: same, pinned query count at 2 and at 20 rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.choices import Role
from stakeholders.models import Workspace
from stakeholders.services import invitation_create, organisation_update

from .factories import (
    LocalWorkspaceFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkspaceFactory,
)
from .querycount import assert_pinned_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    """A fresh workspace whose coordinator is signed in; lists start empty but for them."""
    workspace = WorkspaceFactory(slug="qc", name="Query-count workspace")
    me = MembershipFactory(workspace=workspace, role=Role.COORDINATOR).user
    client.force_login(me)
    return workspace, me


def _members(workspace: Workspace):
    return lambda n: [MembershipFactory(workspace=workspace, role=Role.OBSERVER) for _ in range(n)]


def _organisations(workspace: Workspace):
    return lambda n: [OrganisationFactory(workspace=workspace) for _ in range(n)]


def _invitations(workspace: Workspace, me):
    organisation = workspace.organisations.first()

    def add(n: int) -> None:
        start = workspace.invitations.count()
        for i in range(start, start + n):
            invitation_create(
                actor=me,
                workspace=workspace,
                email=f"p{i}@example.org",
                role=Role.EDITOR,
                organisation=organisation,
            )

    return add


def _my_workspaces(me):
    return lambda n: [MembershipFactory(user=me, role=Role.EDITOR) for _ in range(n)]


def _history(workspace: Workspace, me):
    organisation = workspace.organisations.first()

    def add(n: int) -> None:
        for i in range(n):
            organisation_update(
                actor=me,
                organisation=organisation,
                website=f"https://example.org/{organisation.history.count()}-{i}",
            )

    return add


# HTML pages ------------------------------------------------------------------------------------


def test_workspace_list_page_queries(client, setup):
    _workspace, me = setup
    assert_pinned_queries(
        client, reverse("mainstreaming:workspace_list"), rows=_my_workspaces(me), expected=3
    )


def test_workspace_home_page_queries(client, setup):
    workspace, _me = setup
    assert_pinned_queries(
        client, workspace.get_absolute_url(), rows=_members(workspace), expected=18
    )


def test_workspace_home_local_list_queries(client, setup):
    workspace, _me = setup
    add = lambda n: [LocalWorkspaceFactory(parent=workspace) for _ in range(n)]  # noqa: E731
    assert_pinned_queries(client, workspace.get_absolute_url(), rows=add, expected=18)


def test_membership_list_page_queries(client, setup):
    workspace, _me = setup
    url = reverse("stakeholders:membership_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_members(workspace), expected=6)


def test_organisation_list_page_queries(client, setup):
    workspace, _me = setup
    url = reverse("stakeholders:organisation_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_organisations(workspace), expected=6)


def test_activity_page_queries(client, setup):
    workspace, me = setup
    url = reverse("stakeholders:activity", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_history(workspace, me), expected=10)


# API endpoints ---------------------------------------------------------------------------------


def test_workspace_list_endpoint_queries(client, setup):
    _workspace, me = setup
    assert_pinned_queries(client, "/api/workspaces/", rows=_my_workspaces(me), expected=4)


def test_organisation_list_endpoint_queries(client, setup):
    workspace, _me = setup
    url = f"/api/workspaces/{workspace.slug}/organisations/"
    assert_pinned_queries(client, url, rows=_organisations(workspace), expected=6)


def test_membership_list_endpoint_queries(client, setup):
    workspace, _me = setup
    url = f"/api/workspaces/{workspace.slug}/memberships/"
    assert_pinned_queries(client, url, rows=_members(workspace), expected=6)


def test_invitation_list_endpoint_queries(client, setup):
    workspace, me = setup
    url = f"/api/workspaces/{workspace.slug}/invitations/"
    assert_pinned_queries(client, url, rows=_invitations(workspace, me), expected=6)
