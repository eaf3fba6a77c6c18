"""API of data sources (serializer, viewset and routes), nested under the workspace.

Every member reads the registry; editors and coordinators add, change and delete sources
through `indicators.services.sources`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.serializers import BaseSerializer

from stakeholders.api.serializers import WorkspaceOrganisationField, WorkspaceScoped
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.permissions import Perm, workspace_perms

from ..models import DataSource
from ..selectors.observations import data_source_list
from ..services import sources as services


class DataSourceSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A census, survey, register or database; `producer` is one of the workspace's
    organisations."""

    producer: Any = WorkspaceOrganisationField(allow_null=True, required=False)

    class Meta:
        model = DataSource
        fields = ["id", "name", "producer", "kind", "periodicity", "limitations", "url"]
        # Uniqueness of the name is checked by the service (model validation).
        validators: list[Any] = []


@extend_schema(parameters=[WORKSPACE_SLUG])
class DataSourceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Data sources of the workspace."""

    model = DataSource
    serializer_class = DataSourceSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    filter_backends: list[Any] = []  # the selector restricts to the workspace
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def selected(self) -> QuerySet[DataSource]:
        perms = getattr(self, "workspace_perms", None)
        if perms is None:
            perms = workspace_perms(self.request.user, self.workspace)
        return data_source_list(workspace=self.workspace, perms=perms).order_by("name", "pk")

    def perform_create(self, serializer: BaseSerializer[DataSource]) -> None:
        serializer.instance = services.data_source_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[DataSource]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.data_source_update(
            actor=self.actor, source=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: DataSource) -> None:
        services.data_source_delete(actor=self.actor, source=instance)


NESTED = "workspaces/<slug:workspace_slug>"

urlpatterns = [
    path(
        f"{NESTED}/data-sources/",
        DataSourceViewSet.as_view({"get": "list", "post": "create"}),
        name="data-source-list",
    ),
    path(
        f"{NESTED}/data-sources/<int:pk>/",
        DataSourceViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="data-source-detail",
    ),
]
