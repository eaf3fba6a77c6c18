"""API of report schedules: /api/workspaces/<slug>/report-schedules/ (list, create), /<pk>/
(retrieve, PATCH, DELETE), /<pk>/subscribe/ and /<pk>/unsubscribe/ (POST, for oneself).

Coordinators (`Perm.PUBLISH`) create, change and delete schedules and see every one with its
subscribers. Members with `Perm.REQUEST_REPORTS` read the schedules they may subscribe to
(approved-level ones; drafts-level ones only if they see drafts) and subscribe or unsubscribe
themselves; the list of other subscribers is shown to coordinators only.
"""

from __future__ import annotations

from typing import Any, cast

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import User
from stakeholders.permissions import Perm

from ..choices import ReportKind, RightsLevel, ScheduleFrequency
from ..models import ReportSchedule
from ..services import schedules as services
from ..views.schedules import schedule_list


class ScheduleSerializer(serializers.ModelSerializer):
    """A schedule as its reader sees it; `subscribers` (user ids) only for coordinators."""

    is_subscribed = serializers.BooleanField(read_only=True)
    subscriber_count = serializers.IntegerField(read_only=True)
    subscribers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReportSchedule
        fields = [
            "id",
            "kind",
            "parameters",
            "frequency",
            "rights_level",
            "language",
            "active",
            "last_run_at",
            "created_at",
            "is_subscribed",
            "subscriber_count",
            "subscribers",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if Perm.PUBLISH not in self.context.get("perms", frozenset()):
            del fields["subscribers"]
        return fields


class ScheduleWriteSerializer(serializers.Serializer):
    """What a coordinator sends; the service checks the parameters and the subscribers."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    parameters = serializers.DictField(
        help_text='{"cycle": id}, {"edition": id} or {"indicator": id}, by kind.'
    )
    frequency = serializers.ChoiceField(choices=ScheduleFrequency.choices)
    rights_level = serializers.ChoiceField(
        choices=RightsLevel.choices, default=RightsLevel.APPROVED
    )
    language = serializers.CharField(max_length=10, required=False)
    active = serializers.BooleanField(required=False)
    subscribers = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        workspace = self.context.get("workspace")
        field: Any = self.fields["subscribers"]
        if workspace is not None:
            field.child_relation.queryset = User.objects.filter(
                memberships__workspace=workspace
            ).distinct()


@extend_schema_view(
    list=extend_schema(parameters=[WORKSPACE_SLUG]),
    retrieve=extend_schema(parameters=[WORKSPACE_SLUG]),
)
class ScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StakeholdersViewSet):
    """Report schedules of a workspace."""

    model = ReportSchedule
    serializer_class = ScheduleSerializer
    read_permission = Perm.REQUEST_REPORTS

    @property  # type: ignore[override]
    def write_permission(self) -> Perm:
        """Managing needs PUBLISH; subscribing oneself needs REQUEST_REPORTS."""
        if getattr(self, "action", None) in ("subscribe", "unsubscribe"):
            return Perm.REQUEST_REPORTS
        return Perm.PUBLISH

    def selected(self) -> Any:
        schedules = schedule_list(
            workspace=self.workspace, perms=self.workspace_perms, user=self.request.user
        )
        if Perm.PUBLISH in self.workspace_perms:  # only coordinators see the subscribers
            schedules = schedules.prefetch_related("subscribers")
        return schedules

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["perms"] = getattr(self, "workspace_perms", frozenset())
        return context

    def _read(self, schedule: ReportSchedule, code: int = status.HTTP_200_OK) -> Response:
        schedule = self.get_queryset().get(pk=schedule.pk)
        return Response(
            ScheduleSerializer(schedule, context=self.get_serializer_context()).data, status=code
        )

    def _write_data(self, request: Request, *, partial: bool) -> dict[str, Any]:
        data = ScheduleWriteSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(
        parameters=[WORKSPACE_SLUG],
        request=ScheduleWriteSerializer,
        responses={201: ScheduleSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self._write_data(request, partial=False)
        values.pop("active", None)
        values.setdefault("language", getattr(request, "LANGUAGE_CODE", None) or "en")
        schedule = services.schedule_create(actor=self.actor, workspace=self.workspace, **values)
        return self._read(schedule, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[WORKSPACE_SLUG],
        request=ScheduleWriteSerializer,
        responses={200: ScheduleSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        schedule = cast(ReportSchedule, self.get_object())
        values = self._write_data(request, partial=True)
        subscribers = values.pop("subscribers", None)
        services.schedule_update(
            actor=self.actor, schedule=schedule, subscribers=subscribers, **values
        )
        return self._read(schedule)

    @extend_schema(parameters=[WORKSPACE_SLUG], responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        schedule = cast(ReportSchedule, self.get_object())
        services.schedule_delete(actor=self.actor, schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[WORKSPACE_SLUG], request=None, responses={200: ScheduleSerializer})
    def subscribe(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Subscribe yourself (403 on a schedule you may not subscribe to)."""
        schedule = cast(ReportSchedule, self.get_object())
        services.schedule_subscribe(actor=self.actor, schedule=schedule)
        return self._read(schedule)

    @extend_schema(parameters=[WORKSPACE_SLUG], request=None, responses={200: ScheduleSerializer})
    def unsubscribe(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Unsubscribe yourself."""
        schedule = cast(ReportSchedule, self.get_object())
        services.schedule_unsubscribe(actor=self.actor, schedule=schedule)
        return self._read(schedule)


NESTED = "workspaces/<slug:workspace_slug>/report-schedules"

urlpatterns = [
    path(
        f"{NESTED}/",
        ScheduleViewSet.as_view({"get": "list", "post": "create"}),
        name="report-schedule-list",
    ),
    path(
        f"{NESTED}/<int:pk>/",
        ScheduleViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="report-schedule-detail",
    ),
    path(
        f"{NESTED}/<int:pk>/subscribe/",
        ScheduleViewSet.as_view({"post": "subscribe"}),
        name="report-schedule-subscribe",
    ),
    path(
        f"{NESTED}/<int:pk>/unsubscribe/",
        ScheduleViewSet.as_view({"post": "unsubscribe"}),
        name="report-schedule-unsubscribe",
    ),
]
