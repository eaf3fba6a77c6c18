"""API of coordination platforms: platforms (reviewable: ETag/If-Match, writes through
`review_edit`), seats, meetings with their attendance, decisions and follow-ups.

Readers see what the pages show (`stakeholders.platforms_selectors`): approved platforms (their
approved snapshot) and everything recorded under them; drafts for those who see drafts. Writes
need Perm.EDIT, except a follow-up's `status` (and `note`), which a member of the owner
organisation who answers for it (a contributor) may change too. Review transitions use the
generic endpoints of `stakeholders.api.review` (kind `stakeholders.platform`).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import platforms_services as services
from ..choices import OPEN_FOLLOW_UP_STATUSES, FollowUpStatus
from ..coordination_models import Decision, FollowUp, Meeting, Platform, Seat
from ..models import Organisation, User
from ..permissions import Perm, workspace_perms
from ..platforms_selectors import (
    decision_list,
    follow_up_list,
    meeting_list,
    member_organisation_id,
    platform_list,
    seat_list,
)
from .review import ReviewableViewSetMixin, ReviewStateSerializerMixin
from .serializers import WorkspaceOrganisationField, WorkspaceScoped
from .views import WORKSPACE_SLUG, StakeholdersViewSet

# Serializers -----------------------------------------------------------------------------------


class PlatformSerializer(WorkspaceScoped, ReviewStateSerializerMixin, serializers.ModelSerializer):
    """A coordination platform; readers of approved content get the approved snapshot."""

    chair = WorkspaceOrganisationField(allow_null=True, required=False)

    class Meta:
        model = Platform
        fields = [
            "id",
            "name",
            "kind",
            "mandate",
            "terms_of_reference",
            "legal_basis",
            "established_on",
            "chair",
            "review_state",
            "version",
            "approved_version",
            "approved_at",
            "shared_for_consultation",
            "lock_version",
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The snapshot names the chair as `chair_id`; show it as `chair` like the draft.
        if "chair_id" in data:
            data["chair"] = data.pop("chair_id")
        return data


class SeatSerializer(WorkspaceScoped, serializers.ModelSerializer):
    organisation = WorkspaceOrganisationField()

    class Meta:
        model = Seat
        fields = ["id", "platform", "organisation", "person", "kind", "focal_point"]
        read_only_fields = ["platform"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "position"]
        read_only_fields = ["meeting"]
        extra_kwargs = {"position": {"required": False}}


class FollowUpSerializer(WorkspaceScoped, serializers.ModelSerializer):
    owner = WorkspaceOrganisationField()
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "owner",
            "due_on",
            "status",
            "note",
            "is_overdue",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = ["closed_at", "closed_by"]
        extra_kwargs = {"meeting": {"queryset": Meeting.objects.none()}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.workspace_scope()
        perms = self.context.get("workspace_perms") or frozenset()
        if workspace is not None:
            fields["meeting"].queryset = meeting_list(workspace=workspace, perms=perms)
            fields["decision"].queryset = Decision.objects.filter(workspace=workspace)
        else:
            fields["decision"].queryset = Decision.objects.none()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["meeting"].read_only = True
        return fields


class MeetingSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A meeting with the ids of the organisations present; its decisions and follow-ups are
    listed read-only (change them through their own endpoints)."""

    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.none(), required=False
    )
    decisions = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "platform",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "agenda",
            "minutes",
            "attendees",
            "decisions",
            "follow_ups",
        ]
        extra_kwargs = {"platform": {"queryset": Platform.objects.none()}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        workspace = self.workspace_scope()
        perms = self.context.get("workspace_perms") or frozenset()
        if workspace is not None:
            fields["platform"].queryset = platform_list(workspace=workspace, perms=perms)
            fields["attendees"].child_relation.queryset = Organisation.objects.filter(
                workspace=workspace
            )
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["platform"].read_only = True
        return fields

    def get_decisions(self, meeting: Meeting) -> list[dict[str, Any]]:
        return cast(
            list[dict[str, Any]], DecisionSerializer(meeting.decisions.all(), many=True).data
        )

    def get_follow_ups(self, meeting: Meeting) -> list[int]:
        return [follow_up.pk for follow_up in meeting.follow_ups.all()]


# Viewsets --------------------------------------------------------------------------------------


class PlatformsViewSet(StakeholdersViewSet):
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT
    filter_backends: list[Any] = []  # querysets come restricted from the selectors

    def perms(self) -> frozenset[Perm]:
        perms = getattr(self, "workspace_perms", None)
        if perms is None:
            perms = workspace_perms(self.request.user, self.workspace)
            self.workspace_perms = perms
        return cast(frozenset[Perm], perms)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "workspace", None) is not None:
            context["workspace_perms"] = self.perms()
        return context

    def reread(self, obj: Any) -> Any:
        return self.selected().get(pk=obj.pk)


@extend_schema(parameters=[WORKSPACE_SLUG])
class PlatformViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlatformsViewSet,
):
    """Coordination platforms. PATCH needs the ETag in If-Match; review transitions through
    the review endpoints (kind `stakeholders.platform`)."""

    model = Platform
    serializer_class = PlatformSerializer

    def selected(self) -> QuerySet[Platform]:
        return platform_list(workspace=self.workspace, perms=self.perms())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        platform = services.platform_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        return Response(
            self.get_serializer(self.reread(platform)).data, status=status.HTTP_201_CREATED
        )

    def review_changes(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        if "chair" in data:
            chair = data.pop("chair")
            data["chair_id"] = chair.pk if chair else None
        return data

    def perform_destroy(self, instance: Platform) -> None:
        services.platform_delete(actor=self.actor, platform=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class SeatViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlatformsViewSet,
):
    """Seats of a platform (one per organisation)."""

    model = Seat
    serializer_class = SeatSerializer

    def platform(self) -> Platform:
        found = (
            platform_list(workspace=self.workspace, perms=self.perms())
            .filter(pk=self.kwargs["platform_pk"])
            .first()
        )
        if found is None:
            raise Http404("No such platform")
        return found

    def selected(self) -> QuerySet[Seat]:
        queryset = seat_list(workspace=self.workspace, perms=self.perms())
        if "platform_pk" in self.kwargs:
            queryset = queryset.filter(platform=self.platform())
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        platform = self.platform()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = services.seat_create(
            actor=self.actor, platform=platform, **serializer.validated_data
        )
        return Response(self.get_serializer(self.reread(seat)).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        services.seat_update(
            actor=self.actor, seat=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Seat) -> None:
        services.seat_delete(actor=self.actor, seat=instance)


PLATFORM_FILTER = OpenApiParameter("platform", int, description="Only this platform's meetings.")
UPCOMING_FILTER = OpenApiParameter(
    "upcoming", bool, description="true: only meetings that have not started yet."
)


@extend_schema(parameters=[WORKSPACE_SLUG])
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlatformsViewSet,
):
    """Meetings of the workspace's platforms, with attendance (organisation ids), decisions
    and the ids of their follow-ups. Filter by `platform` and `upcoming`."""

    model = Meeting
    serializer_class = MeetingSerializer

    def selected(self) -> QuerySet[Meeting]:
        return meeting_list(workspace=self.workspace, perms=self.perms()).prefetch_related(
            "attendees", "decisions", "follow_ups"
        )

    @extend_schema(parameters=[PLATFORM_FILTER, UPCOMING_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
        if self.action != "list":
            return queryset
        params = self.request.query_params
        platform = params.get("platform", "")
        if platform:
            if not platform.isdigit():
                raise exceptions.ValidationError({"platform": [_("Give a platform id.")]})
            queryset = queryset.filter(platform_id=int(platform))
        if params.get("upcoming") in ("true", "1"):
            from django.utils import timezone

            queryset = queryset.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_create(actor=self.actor, **serializer.validated_data)
        return Response(
            self.get_serializer(self.reread(meeting)).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        attendees = data.pop("attendees", None)
        services.meeting_update(
            actor=self.actor, meeting=serializer.instance, attendees=attendees, **data
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        response.data = self.get_serializer(self.reread(self.get_object())).data
        return response

    def perform_destroy(self, instance: Meeting) -> None:
        services.meeting_delete(actor=self.actor, meeting=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlatformsViewSet,
):
    """Decisions of a meeting, in order."""

    model = Decision
    serializer_class = DecisionSerializer

    def meeting(self) -> Meeting:
        found = (
            meeting_list(workspace=self.workspace, perms=self.perms())
            .filter(pk=self.kwargs["meeting_pk"])
            .first()
        )
        if found is None:
            raise Http404("No such meeting")
        return found

    def selected(self) -> QuerySet[Decision]:
        queryset = decision_list(workspace=self.workspace, perms=self.perms())
        if "meeting_pk" in self.kwargs:
            queryset = queryset.filter(meeting=self.meeting())
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.meeting()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.decision_create(
            actor=self.actor, meeting=meeting, text=serializer.validated_data["text"]
        )
        return Response(self.get_serializer(decision).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        decision = serializer.instance
        services.decision_update(
            actor=self.actor,
            decision=decision,
            text=data.get("text", decision.text),
            position=data.get("position"),
        )

    def perform_destroy(self, instance: Decision) -> None:
        services.decision_delete(actor=self.actor, decision=instance)


OWNER_FILTER = OpenApiParameter("owner", int, description="Only this organisation's follow-ups.")
STATUS_FILTER = OpenApiParameter(
    "status",
    str,
    description="Only follow-ups with these statuses (comma-separated); "
    "`open` for open and in progress.",
)
OVERDUE_FILTER = OpenApiParameter(
    "overdue", bool, description="true: only open follow-ups past their due date."
)


@extend_schema(parameters=[WORKSPACE_SLUG])
class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlatformsViewSet,
):
    """Follow-up actions, overdue first. Filter by `owner`, `status` and `overdue`. PATCH
    `status` (and `note`) is open to the owner organisation's members who answer for it; other
    changes need the right to edit."""

    model = FollowUp
    serializer_class = FollowUpSerializer

    def get_permissions(self) -> list[Any]:
        # Status changes are decided per follow-up (the owner rule) by the service.
        if self.request.method in ("PATCH", "PUT"):
            self.write_permission = Perm.ANSWER_REQUESTS
        return super().get_permissions()

    def selected(self) -> QuerySet[FollowUp]:
        return follow_up_list(workspace=self.workspace, perms=self.perms())

    @extend_schema(parameters=[OWNER_FILTER, STATUS_FILTER, OVERDUE_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
        if self.action != "list":
            return queryset
        params = self.request.query_params
        owner = params.get("owner", "")
        if owner:
            if not owner.isdigit():
                raise exceptions.ValidationError({"owner": [_("Give an organisation id.")]})
            queryset = queryset.filter(owner_id=int(owner))
        statuses = [s for s in params.get("status", "").split(",") if s]
        if statuses:
            wanted: set[str] = set()
            for value in statuses:
                if value == "open":
                    wanted |= {s.value for s in OPEN_FOLLOW_UP_STATUSES}
                elif value in FollowUpStatus.values:
                    wanted.add(value)
                else:
                    raise exceptions.ValidationError(
                        {
                            "status": [
                                _("Choose among: %(values)s.")
                                % {"values": ", ".join(["open", *FollowUpStatus.values])}
                            ]
                        }
                    )
            queryset = queryset.filter(status__in=sorted(wanted))
        if params.get("overdue") in ("true", "1"):
            queryset = queryset.filter(is_overdue=True)
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_create(actor=self.actor, **serializer.validated_data)
        return Response(
            self.get_serializer(self.reread(follow_up)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        response.data = self.get_serializer(self.reread(self.get_object())).data
        return response

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        follow_up = serializer.instance
        if set(data) <= {"status", "note"}:
            if "status" not in data:
                data["status"] = follow_up.status
            services.follow_up_set_status(actor=self.actor, follow_up=follow_up, **data)
            return
        perms = self.perms()
        if Perm.EDIT not in perms:
            mine = member_organisation_id(user=self.request.user, workspace=self.workspace)
            detail = (
                _("You may change only the status and note of your organisation's follow-ups.")
                if mine == follow_up.owner_id
                else None
            )
            raise exceptions.PermissionDenied(detail)
        services.follow_up_update(actor=self.actor, follow_up=follow_up, **data)

    def perform_destroy(self, instance: FollowUp) -> None:
        services.follow_up_delete(actor=cast(User, self.request.user), follow_up=instance)


NESTED = "workspaces/<slug:workspace_slug>"
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        f"{NESTED}/platforms/",
        PlatformViewSet.as_view({"get": "list", "post": "create"}),
        name="platform-list",
    ),
    path(f"{NESTED}/platforms/<int:pk>/", PlatformViewSet.as_view(DETAIL), name="platform-detail"),
    path(
        f"{NESTED}/platforms/<int:platform_pk>/seats/",
        SeatViewSet.as_view({"get": "list", "post": "create"}),
        name="seat-list",
    ),
    path(f"{NESTED}/seats/<int:pk>/", SeatViewSet.as_view(DETAIL), name="seat-detail"),
    path(
        f"{NESTED}/meetings/",
        MeetingViewSet.as_view({"get": "list", "post": "create"}),
        name="meeting-list",
    ),
    path(f"{NESTED}/meetings/<int:pk>/", MeetingViewSet.as_view(DETAIL), name="meeting-detail"),
    path(
        f"{NESTED}/meetings/<int:meeting_pk>/decisions/",
        DecisionViewSet.as_view({"get": "list", "post": "create"}),
        name="decision-list",
    ),
    path(f"{NESTED}/decisions/<int:pk>/", DecisionViewSet.as_view(DETAIL), name="decision-detail"),
    path(
        f"{NESTED}/follow-ups/",
        FollowUpViewSet.as_view({"get": "list", "post": "create"}),
        name="follow-up-list",
    ),
    path(
        f"{NESTED}/follow-ups/<int:pk>/", FollowUpViewSet.as_view(DETAIL), name="follow-up-detail"
    ),
]
