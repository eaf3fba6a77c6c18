"""API routes of the stakeholders app, included at /api/ (names follow DRF's router style)."""

from django.urls import path

from . import corridors, mapping, platforms, practices, review
from .views import InvitationViewSet, MembershipViewSet, OrganisationViewSet, WorkspaceViewSet

NESTED = "workspaces/<slug:workspace_slug>"
ITEM = f"{NESTED}/review/<reviewkind:kind>/<int:pk>"
# `reviewkind` and `reviewaction` are registered by stakeholders.review_views (imported by .review).

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
    # The review mechanism, for every reviewable model (stakeholders/api/review.py).
    path(f"{NESTED}/review/", review.ReviewBatchView.as_view(), name="review-batch"),
    path(f"{ITEM}/comments/", review.ReviewCommentListView.as_view(), name="review-comment-list"),
    path(f"{ITEM}/events/", review.ReviewEventListView.as_view(), name="review-event-list"),
    path(
        f"{ITEM}/<reviewaction:action>/",
        review.ReviewTransitionView.as_view(),
        name="review-transition",
    ),
    path(f"{NESTED}/needs-my-action/", review.NeedsMyActionView.as_view(), name="needs-my-action"),
    *platforms.urlpatterns,
    *mapping.urlpatterns,
    *corridors.urlpatterns,
    *practices.urlpatterns,
]
