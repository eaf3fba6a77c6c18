"""The national workspace's page of its local workspaces (vertical coordination), and its API.

Members of the national workspace with access see which local workspaces exist; those who may
read a local workspace (its national coordinators, read-only and approved-only, DESIGN §3) also
see its current cycle and stage, counts of approved items and its approved priorities with the
national priority each serves. A local workspace has no such page (404): its home links to its
national workspace instead.

`urlpatterns` holds the page (namespace `mainstreaming`); `api_urlpatterns` the API route, to be
included by `mainstreaming/api_urls.py`.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import URLPattern, path, reverse
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.paging import page_range
from stakeholders.access import WorkspaceMixin, WorkspacePermission
from stakeholders.api.views import WORKSPACE_SLUG
from stakeholders.choices import WorkspaceLevel
from stakeholders.models import Workspace
from stakeholders.permissions import Perm
from stakeholders.selectors import local_workspace_list

from ..selectors.vertical import LocalWorkspaceSummary, local_workspace_summaries

PER_PAGE = 25


class LocalWorkspaceListView(WorkspaceMixin, TemplateView):
    template_name = "mainstreaming/vertical/local_workspaces.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.workspace.level != WorkspaceLevel.NATIONAL:
            raise Http404("Only a national workspace has local workspaces")
        context = super().get_context_data(**kwargs)
        locals_ = local_workspace_list(user=self.request.user, workspace=self.workspace)
        page = Paginator(locals_, PER_PAGE).get_page(self.request.GET.get("page"))
        summaries = local_workspace_summaries(
            national=self.workspace, local_workspaces=list(page.object_list), perms=self.perms
        )
        for summary in summaries:
            slug = summary.workspace.slug
            for highlight in summary.highlights:
                highlight.url = reverse(  # type: ignore[attr-defined]
                    "mainstreaming:priority_detail",
                    kwargs={"slug": slug, "pk": highlight.priority_id},
                )
            if summary.cycle is not None:
                summary.cycle_url = reverse(  # type: ignore[attr-defined]
                    "mainstreaming:cycle_detail", kwargs={"slug": slug, "pk": summary.cycle.pk}
                )
        context.update(
            summaries=summaries,
            page_obj=page,
            page_range=page_range(page),
            query_string="",
        )
        return context


# API -------------------------------------------------------------------------------------------


class LocalHighlightSerializer(serializers.Serializer):
    priority_id = serializers.IntegerField()
    title = serializers.CharField()
    national_priority_id = serializers.IntegerField(allow_null=True)
    national_title = serializers.CharField()


class LocalWorkspaceSummarySerializer(serializers.Serializer):
    """A local workspace; `cycle`, `approved_counts` and `highlights` only for its readers."""

    slug = serializers.CharField(source="workspace.slug")
    name = serializers.CharField(source="workspace.name")
    locality = serializers.CharField(source="workspace.locality")
    readable = serializers.BooleanField()
    cycle = serializers.SerializerMethodField()
    approved_counts = serializers.SerializerMethodField()
    highlights = LocalHighlightSerializer(many=True)

    def get_cycle(self, summary: LocalWorkspaceSummary) -> dict[str, Any] | None:
        cycle = summary.cycle
        if cycle is None:
            return None
        return {
            "id": cycle.pk,
            "title": cycle.title,
            "start_year": cycle.start_year,
            "end_year": cycle.end_year,
            "current_stage": cycle.current_stage,
            "completed": cycle.completed_at is not None,
        }

    def get_approved_counts(self, summary: LocalWorkspaceSummary) -> dict[str, int]:
        return {str(label): number for label, number in summary.counts}


@extend_schema(parameters=[WORKSPACE_SLUG], responses=LocalWorkspaceSummarySerializer(many=True))
class LocalWorkspaceListAPIView(generics.GenericAPIView):
    """A national workspace's local workspaces with their approved highlights (read-only)."""

    permission_classes = [WorkspacePermission]
    read_permission = Perm.ACCESS
    serializer_class = LocalWorkspaceSummarySerializer
    workspace: Workspace
    workspace_perms: frozenset[Perm]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Workspace.objects.none()
        return local_workspace_list(user=self.request.user, workspace=self.workspace)

    def get(self, request: Request, workspace_slug: str) -> Response:
        if self.workspace.level != WorkspaceLevel.NATIONAL:
            raise Http404("Only a national workspace has local workspaces")
        page = self.paginate_queryset(self.get_queryset())
        summaries = local_workspace_summaries(
            national=self.workspace, local_workspaces=list(page or []), perms=self.workspace_perms
        )
        return self.get_paginated_response(self.get_serializer(summaries, many=True).data)


urlpatterns: list[URLPattern] = [
    path("w/<slug:slug>/local/", LocalWorkspaceListView.as_view(), name="local_workspaces"),
]

api_urlpatterns: list[URLPattern] = [
    path(
        "workspaces/<slug:workspace_slug>/local-workspaces/",
        LocalWorkspaceListAPIView.as_view(),
        name="local-workspace-list",
    ),
]
