from django.urls import path

from . import views

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
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
