"""API routes of the stakeholders app, included at /api/ (names follow DRF's router style)."""

from django.urls import path

from .views import InvitationViewSet, MembershipViewSet, OrganisationViewSet, WorkspaceViewSet

NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        "workspaces/",
        WorkspaceViewSet.as_view({"get": "list"}),
        name="workspace-list",
    ),
    path(
        "workspaces/<slug:slug>/",
        WorkspaceViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="workspace-detail",
    ),
    path(
        f"{NESTED}/organisations/",
        OrganisationViewSet.as_view({"get": "list", "post": "create"}),
        name="organisation-list",
    ),
    path(
        f"{NESTED}/organisations/<int:pk>/",
        OrganisationViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update"}
        ),
        name="organisation-detail",
    ),
    path(
        f"{NESTED}/memberships/",
        MembershipViewSet.as_view({"get": "list"}),
        name="membership-list",
    ),
    path(
        f"{NESTED}/memberships/<int:pk>/",
        MembershipViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="membership-detail",
    ),
    path(
        f"{NESTED}/invitations/",
        InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation-list",
    ),
    path(
        f"{NESTED}/invitations/<int:pk>/",
        InvitationViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="invitation-detail",
    ),
]
