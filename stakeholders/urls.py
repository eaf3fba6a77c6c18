from django.urls import path

from . import (
    corridors_views,
    mapping_views,
    platforms_views,
    practices_views,
    review_views,
    views,
)

# The path converters `reviewkind` and `reviewaction` are registered by review_views.
REVIEW_ITEM = "w/<slug:slug>/review/<reviewkind:kind>/<int:pk>"

app_name = "stakeholders"

urlpatterns = [
    path("w/<slug:slug>/settings/", views.WorkspaceUpdateView.as_view(), name="workspace_update"),
    path("w/<slug:slug>/members/", views.MembershipListView.as_view(), name="membership_list"),
    path(
        "w/<slug:slug>/members/invite/",
        views.InvitationCreateView.as_view(),
        name="invitation_create",
    ),
    path(
        "w/<slug:slug>/members/<int:pk>/edit/",
        views.MembershipUpdateView.as_view(),
        name="membership_update",
    ),
    path(
        "w/<slug:slug>/members/<int:pk>/remove/",
        views.MembershipDeleteView.as_view(),
        name="membership_delete",
    ),
    path(
        "w/<slug:slug>/invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "w/<slug:slug>/organisations/",
        views.OrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "w/<slug:slug>/organisations/new/",
        views.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "w/<slug:slug>/organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "w/<slug:slug>/organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path("w/<slug:slug>/activity/", views.ActivityView.as_view(), name="activity"),
    # The review mechanism, for every reviewable model (stakeholders/review_views.py).
    path("w/<slug:slug>/review/", review_views.NeedsMyActionView.as_view(), name="needs_my_action"),
    path(
        "w/<slug:slug>/review/batch/",
        review_views.ReviewBatchView.as_view(),
        name="review_batch",
    ),
    path(
        f"{REVIEW_ITEM}/history/",
        review_views.ReviewHistoryView.as_view(),
        name="review_history",
    ),
    path(
        f"{REVIEW_ITEM}/comments/",
        review_views.CommentCreateView.as_view(),
        name="comment_create",
    ),
    path(
        f"{REVIEW_ITEM}/<reviewaction:action>/",
        review_views.ReviewTransitionView.as_view(),
        name="review_transition",
    ),
    path(
        "w/<slug:slug>/comments/<int:pk>/resolve/",
        review_views.CommentResolveView.as_view(),
        name="comment_resolve",
    ),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    *platforms_views.urlpatterns,
    *mapping_views.urlpatterns,
    *corridors_views.urlpatterns,
    *practices_views.urlpatterns,
]
