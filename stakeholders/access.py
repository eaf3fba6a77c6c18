"""Where access is enforced at the edge: one view mixin, one DRF permission + filter backend.

Both ask `stakeholders.permissions` and nothing else. A workspace the user may not see is a 404,
exactly like one that does not exist; a visible workspace without the needed right is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from rest_framework import permissions as drf_permissions
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from .models import Workspace
from .permissions import Perm, can, restrict, workspace_perms

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def workspace_and_perms(
    request: HttpRequest | Request, slug: str
) -> tuple[Workspace, frozenset[Perm]]:
    """The workspace `slug` and the user's permissions on it, or 404 if the user may not see it.

    `workspace_perms` holds `Perm.ACCESS` exactly when `restrict(…, Perm.ACCESS)` would keep the
    workspace (grants, the national coordinator's read exception, platform admins), so the
    workspace is fetched by its slug alone and the permissions decide.
    """
    workspace = (
        Workspace.objects.select_related("parent", "lead_organisation").filter(slug=slug).first()
    )
    perms = workspace_perms(request.user, workspace) if workspace is not None else frozenset()
    if workspace is None or Perm.ACCESS not in perms:
        raise Http404("No such workspace")
    return workspace, perms


def workspace_for(request: HttpRequest | Request, slug: str) -> Workspace:
    """The workspace `slug` if the user may see it, else 404."""
    return workspace_and_perms(request, slug)[0]


class WorkspaceMixin:
    """For views under /w/<slug>/.

    Sets `self.workspace` and `self.perms`; answers 404 when the user cannot see the workspace
    and 403 when they see it without `permission` (or `write_permission` for POST). Object views
    fetch through `get_queryset()`, which is restricted and scoped to the workspace.
    """

    permission: Perm = Perm.ACCESS
    write_permission: Perm | None = None
    object_permission: Perm | None = None
    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Workspace
    perms: frozenset[Perm]

    def required_permission(self) -> Perm:
        if self.request.method not in SAFE_METHODS and self.write_permission is not None:
            return self.write_permission
        return self.permission

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.workspace, self.perms = workspace_and_perms(request, kwargs["slug"])
        if self.required_permission() not in self.perms:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        return restrict(
            queryset.filter(workspace=self.workspace),
            self.request.user,
            self.object_permission or self.required_permission(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["workspace"] = self.workspace
        context["perms"] = {perm.name: perm in self.perms for perm in Perm}
        return context


class WorkspacePermission(drf_permissions.BasePermission):
    """DRF: reads need the view's `read_permission`, writes its `write_permission`.

    For nested routes (/api/workspaces/<slug>/…) the workspace itself is resolved here first,
    so an invisible workspace answers 404 before anything else happens.
    """

    def _required(self, request: Request, view: Any) -> Perm:
        if request.method in drf_permissions.SAFE_METHODS:
            return getattr(view, "read_permission", Perm.ACCESS)
        return getattr(view, "write_permission", Perm.MANAGE_WORKSPACE)

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        slug = view.kwargs.get("workspace_slug")
        if slug is not None:
            # The permissions are kept on the view so that it does not ask again.
            view.workspace, view.workspace_perms = workspace_and_perms(request, slug)
            if self._required(request, view) not in view.workspace_perms:
                raise PermissionDenied
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Model) -> bool:
        return can(request.user, self._required(request, view), obj)


class RestrictFilterBackend(BaseFilterBackend):
    """DRF: list and detail querysets only hold what the user may read."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        return restrict(queryset, request.user, getattr(view, "read_permission", Perm.ACCESS))
