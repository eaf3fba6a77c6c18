"""The one place where access is decided (DESIGN §3).

Roles are django-guardian object permissions on a `Workspace`, granted to one group per
workspace and role. Everything else inherits from its workspace. `can()` answers "may this user do
this to this object?" and `restrict()` answers "which of these objects may this user do it to?";
both read the same grants and the same exceptions, so they always agree (tested).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Model, Q, QuerySet

from .choices import Role, WorkspaceLevel
from .models import Workspace, WorkspaceGroupObjectPermission

if TYPE_CHECKING:
    from .models import User


class Perm(StrEnum):
    """Object permissions on a workspace; codenames of `Workspace.Meta.permissions`."""

    ACCESS = "access_workspace"
    VIEW_DRAFTS = "view_drafts"
    EDIT = "edit_content"
    COMMENT = "comment"
    RESOLVE_COMMENTS = "resolve_comments"
    SUBMIT = "submit_content"
    SHARE = "share_content"
    REVIEW = "review_content"
    PUBLISH = "publish_content"
    ANSWER_REQUESTS = "answer_requests"
    REQUEST_REPORTS = "request_reports"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_WORKSPACE = "manage_workspace"
    VIEW_ACTIVITY = "view_activity"
    READ_LOCAL_WORKSPACES = "read_local_workspaces"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.COORDINATOR: frozenset(Perm),
    Role.EDITOR: frozenset(
        {
            Perm.ACCESS,
            Perm.VIEW_DRAFTS,
            Perm.EDIT,
            Perm.COMMENT,
            Perm.SUBMIT,
            Perm.SHARE,
            Perm.ANSWER_REQUESTS,
            Perm.REQUEST_REPORTS,
        }
    ),
    Role.REVIEWER: frozenset(
        {Perm.ACCESS, Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.REVIEW, Perm.REQUEST_REPORTS}
    ),
    Role.CONTRIBUTOR: frozenset(
        {Perm.ACCESS, Perm.COMMENT, Perm.ANSWER_REQUESTS, Perm.REQUEST_REPORTS}
    ),
    Role.OBSERVER: frozenset({Perm.ACCESS, Perm.REQUEST_REPORTS}),
}

# Read-only, approved-only rights that a national coordinator has on its local workspaces.
NATIONAL_READ_PERMS = frozenset({Perm.ACCESS})


def role_group_name(workspace: Workspace, role: str) -> str:
    return f"workspace:{workspace.pk}:{role}"


def role_group(workspace: Workspace, role: str) -> Group:
    group, _created = Group.objects.get_or_create(name=role_group_name(workspace, role))
    return group


def _is_platform_admin(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


def _signed_in(user: Any) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated


def workspaces_with(user: User | AnonymousUser, perm: Perm) -> QuerySet[Workspace]:
    """Every workspace on which `user` holds `perm`, exceptions included."""
    if not _signed_in(user) or not user.is_active:
        return Workspace.objects.none()
    if _is_platform_admin(user):
        return Workspace.objects.all()
    granted = WorkspaceGroupObjectPermission.objects.filter(
        permission__codename=perm.value, group__user=user
    ).values("content_object_id")
    condition = Q(pk__in=granted)
    if perm in NATIONAL_READ_PERMS:
        coordinated = WorkspaceGroupObjectPermission.objects.filter(
            permission__codename=Perm.READ_LOCAL_WORKSPACES.value, group__user=user
        ).values("content_object_id")
        condition |= Q(level=WorkspaceLevel.LOCAL, parent__in=coordinated)
    return Workspace.objects.filter(condition)


def workspace_perms(user: User | AnonymousUser, workspace: Workspace) -> frozenset[Perm]:
    """All the permissions `user` holds on `workspace` (two queries at most)."""
    if not _signed_in(user) or not user.is_active:
        return frozenset()
    if _is_platform_admin(user):
        return frozenset(Perm)
    codenames = set(
        WorkspaceGroupObjectPermission.objects.filter(
            content_object_id=workspace.pk, group__user=user
        ).values_list("permission__codename", flat=True)
    )
    perms = {perm for perm in Perm if perm.value in codenames}
    if workspace.level == WorkspaceLevel.LOCAL and workspace.parent_id is not None:
        parent_grants = WorkspaceGroupObjectPermission.objects.filter(
            content_object_id=workspace.parent_id,
            group__user=user,
            permission__codename=Perm.READ_LOCAL_WORKSPACES.value,
        )
        if parent_grants.exists():
            perms |= NATIONAL_READ_PERMS
    return frozenset(perms)


def workspace_of(obj: Model) -> Workspace:
    """The workspace an object belongs to (the object itself for a workspace)."""
    if isinstance(obj, Workspace):
        return obj
    workspace = getattr(obj, "workspace", None)
    if not isinstance(workspace, Workspace):
        raise TypeError(f"{type(obj).__name__} does not belong to a workspace")
    return workspace


def _workspace_lookup(model: type[Model]) -> str:
    """The ORM path from `model` to its workspace ('' for Workspace itself)."""
    if issubclass(model, Workspace):
        return ""
    path = getattr(model, "workspace_lookup", "workspace")
    field_names = {f.name for f in model._meta.get_fields()}
    if path.split("__")[0] not in field_names:
        raise TypeError(f"{model.__name__} has no path to a workspace")
    return str(path)


def can(user: User | AnonymousUser, perm: Perm, obj: Model) -> bool:
    """May `user` exercise `perm` on `obj` (a workspace or anything that belongs to one)?"""
    return perm in workspace_perms(user, workspace_of(obj))


def restrict[M: Model](
    queryset: QuerySet[M], user: User | AnonymousUser, perm: Perm
) -> QuerySet[M]:
    """Only the rows of `queryset` on which `user` may exercise `perm`."""
    allowed = workspaces_with(user, perm).values("pk")
    path = _workspace_lookup(queryset.model)
    return queryset.filter(**{f"{path}__in" if path else "pk__in": allowed})


# Reviewable content (stakeholders/review.py) ---------------------------------------------------
# Content inherits its workspace's permissions plus its own review state: drafts are read by
# those who may view drafts, and by commenters (contributors) once shared for consultation;
# everyone with access reads what has been approved (its approved snapshot).


def can_read_item_with(perms: frozenset[Perm], item: Any) -> bool:
    """May someone holding `perms` on the item's workspace read the reviewable `item`?"""
    if Perm.ACCESS not in perms:
        return False
    if Perm.VIEW_DRAFTS in perms or item.approved_version is not None:
        return True
    return Perm.COMMENT in perms and bool(item.shared_for_consultation)


def can_read_item(user: User | AnonymousUser, item: Model) -> bool:
    return can_read_item_with(workspace_perms(user, workspace_of(item)), item)


def restrict_readable[M: Model](queryset: QuerySet[M], user: User | AnonymousUser) -> QuerySet[M]:
    """Only the reviewable items of `queryset` that `user` may read (agrees with can_read_item)."""
    path = _workspace_lookup(queryset.model)
    drafts = workspaces_with(user, Perm.VIEW_DRAFTS).values("pk")
    consulted = workspaces_with(user, Perm.COMMENT).values("pk")
    return restrict(queryset, user, Perm.ACCESS).filter(
        Q(**{f"{path}__in": drafts})
        | Q(approved_version__isnull=False)
        | Q(shared_for_consultation=True, **{f"{path}__in": consulted})
    )


def restrict_readable_with[M: Model](queryset: QuerySet[M], perms: frozenset[Perm]) -> QuerySet[M]:
    """`restrict_readable` for a queryset already scoped to ONE workspace on which the reader
    holds `perms` (as `workspace_perms` computed them, e.g. `WorkspaceMixin.perms`).

    The same rule as `can_read_item_with`, written as plain filters on the item's own columns:
    no permission subqueries, since the workspace's permissions are already known. Agrees with
    `restrict_readable` for every role and review state (tested). The caller guarantees that
    every row of `queryset` belongs to that one workspace.
    """
    if Perm.ACCESS not in perms:
        return queryset.none()
    if Perm.VIEW_DRAFTS in perms:
        return queryset
    readable = Q(approved_version__isnull=False)
    if Perm.COMMENT in perms:
        readable |= Q(shared_for_consultation=True)
    return queryset.filter(readable)


# Corridor partners -----------------------------------------------------------------------------
# A corridor is seen from either side's workspace, by that side's members (Perm.ACCESS there),
# never from elsewhere. The coordinators of a side propose, answer and end it and agree joint
# actions (CORRIDOR_MANAGE, as for the workspace's own settings: a corridor commits the whole
# workspace); they alone mark which approved items their side shares (CORRIDOR_SHARE: sharing
# with another country is a publication). The partner reads only what the other side shared with
# an active corridor, approved content only; the selectors of the items' own apps apply that.

CORRIDOR_MANAGE = Perm.MANAGE_WORKSPACE
CORRIDOR_SHARE = Perm.PUBLISH


def restrict_corridors[M: Model](queryset: QuerySet[M], user: User | AnonymousUser) -> QuerySet[M]:
    """Only the corridors of `queryset` with a side on which `user` holds Perm.ACCESS."""
    allowed = workspaces_with(user, Perm.ACCESS).values("pk")
    return queryset.filter(Q(proposer__in=allowed) | Q(partner__in=allowed))


def can_read_corridor(user: User | AnonymousUser, corridor: Any) -> bool:
    """May `user` read the corridor (agrees with `restrict_corridors`)?"""
    return any(
        Perm.ACCESS in workspace_perms(user, side) for side in (corridor.proposer, corridor.partner)
    )
