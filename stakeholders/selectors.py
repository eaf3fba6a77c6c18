"""Reads: restricted querysets with their joins declared once, shared by pages and the API."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, QuerySet, Subquery

from .choices import InvitationStatus
from .models import Invitation, Membership, Organisation, User, Workspace
from .permissions import Perm, restrict


def workspace_list(*, user: User | AnonymousUser) -> QuerySet[Workspace]:
    """Workspaces the user may see, each annotated with `my_role` ('' when only readable)."""
    my_role = Membership.objects.filter(workspace=OuterRef("pk"), user_id=user.pk).values("role")
    return (
        restrict(Workspace.objects.all(), user, Perm.ACCESS)
        .select_related("parent", "lead_organisation")
        .annotate(my_role=Subquery(my_role[:1]))
        .order_by("name")
    )


def organisation_list(
    *, user: User | AnonymousUser, workspace: Workspace, perm: Perm = Perm.ACCESS
) -> QuerySet[Organisation]:
    return (
        restrict(Organisation.objects.filter(workspace=workspace), user, perm)
        .select_related("workspace", "parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def membership_list(
    *, user: User | AnonymousUser, workspace: Workspace, perm: Perm = Perm.ACCESS
) -> QuerySet[Membership]:
    return (
        restrict(Membership.objects.filter(workspace=workspace), user, perm)
        .select_related("workspace", "user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def invitation_list(
    *, user: User | AnonymousUser, workspace: Workspace, pending_only: bool = False
) -> QuerySet[Invitation]:
    """Invitations are visible to those who manage members only."""
    invitations = restrict(
        Invitation.objects.filter(workspace=workspace), user, Perm.MANAGE_MEMBERS
    ).select_related("workspace", "organisation", "invited_by", "accepted_by")
    if pending_only:
        invitations = invitations.filter(status=InvitationStatus.PENDING)
    return invitations.order_by("-created_at")
