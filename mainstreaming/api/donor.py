"""The donor's overview as JSON: /api/donor/ (the workspaces the user reads, approved only)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors.donor import donor_highlights, donor_workspace_list

MAX_WORKSPACES = 50


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DonorReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="__str__")
    kind = serializers.CharField()
    finished_at = serializers.DateTimeField()
    url = serializers.CharField(source="get_absolute_url")


class WorkspaceHighlightsSerializer(serializers.Serializer):
    slug = serializers.CharField(source="workspace.slug")
    name = serializers.CharField(source="workspace.name")
    cycle = serializers.SerializerMethodField()
    kpi_counts = StatusCountSerializer(many=True)
    edition = serializers.SerializerMethodField()
    reports = DonorReportSerializer(many=True)

    def get_cycle(self, item: Any) -> dict[str, Any] | None:
        cycle = item.cycle
        if cycle is None:
            return None
        return {
            "id": cycle.pk,
            "title": cycle.title,
            "current_stage": cycle.current_stage,
            "start_year": cycle.start_year,
            "end_year": cycle.end_year,
        }

    def get_edition(self, item: Any) -> dict[str, Any] | None:
        edition = item.edition
        if edition is None:
            return None
        return {"id": edition.pk, "title": str(edition), "published_at": edition.published_at}


class DonorOverviewView(APIView):
    """Approved highlights of each workspace the user reads (at most 50, by name)."""

    @extend_schema(responses=WorkspaceHighlightsSerializer(many=True))
    def get(self, request: Request) -> Response:
        workspaces = list(donor_workspace_list(user=request.user)[:MAX_WORKSPACES])
        items = donor_highlights(user=request.user, workspaces=workspaces)
        return Response(WorkspaceHighlightsSerializer(items, many=True).data)


urlpatterns: list[URLPattern] = [
    path("donor/", DonorOverviewView.as_view(), name="donor-overview"),
]
