"""API of the plan: entry-point concerns, priorities, objectives and actions.

Nested under /api/workspaces/<workspace_slug>/. Reads come from `selectors.planning` (readers
without drafts get the approved snapshot, via `ReviewStateSerializerMixin`); writes go to
`services.planning`, and edits of reviewed content through `review_edit` (ETag on GET, If-Match
required on PUT/PATCH, see `ReviewableViewSetMixin`). Review transitions use the generic
endpoints at …/review/<kind>/<pk>/<action>/.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api.review import (
    REVIEW_STATE_FIELDS,
    ReviewableViewSetMixin,
    ReviewStateSerializerMixin,
    etag_for,
)
from stakeholders.api.views import WORKSPACE_SLUG, StakeholdersViewSet
from stakeholders.models import Organisation
from stakeholders.permissions import Perm, restrict

from ..choices import FundingStatus, ImplementationStatus, PolicyLevel
from ..filters_planning import ActionFilterSet
from ..models import Action, Cycle, EntryPointConcern, Objective, Priority
from ..selectors import planning as selectors
from ..selectors.cycles import cycle_list
from ..services import planning as services

# Serializers -----------------------------------------------------------------------------------


class ConcernSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_default = serializers.SerializerMethodField(help_text="One of the portal's defaults.")

    class Meta:
        model = EntryPointConcern
        fields = ["id", "name", "is_default"]

    def get_is_default(self, concern: EntryPointConcern) -> bool:
        return concern.workspace_id is None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["name"] = str(instance)  # defaults in the reader's language
        return data


class PrioritySerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)
    concern = serializers.IntegerField(source="concern_id")
    national_priority = serializers.IntegerField(
        source="national_priority_id",
        allow_null=True,
        required=False,
        help_text="For a local workspace: an approved priority of its national workspace.",
    )
    level = serializers.ChoiceField(choices=PolicyLevel.choices, required=False)

    class Meta:
        model = Priority
        fields = [
            "id",
            "cycle",
            "rank",
            "title",
            "concern",
            "rationale",
            "affected_groups",
            "gender_considerations",
            "rights_considerations",
            "level",
            "national_priority",
            *REVIEW_STATE_FIELDS,
        ]
        read_only_fields = ["rank"]

    def validate_concern(self, value: int) -> int:
        view = self.context["view"]
        if not selectors.concern_list(user=view.request.user, workspace=view.workspace).filter(
            pk=value
        ):
            raise serializers.ValidationError(_("Choose one of this workspace's concerns."))
        return value

    def validate_national_priority(self, value: int | None) -> int | None:
        if value is None:
            return None
        workspace = self.context["view"].workspace
        allowed = {
            pk
            for pk, _title in selectors.national_priority_choices_unrestricted(workspace=workspace)
        }
        if value not in allowed:
            raise serializers.ValidationError(
                _("Choose one of the approved priorities of your national workspace.")
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("gender_considerations", "rights_considerations"):
            if name in attrs and not (attrs[name] or "").strip():
                raise serializers.ValidationError(
                    {
                        name: [
                            _(
                                "Every priority states its gender and migrants' rights "
                                "considerations."
                            )
                        ]
                    }
                )
        return attrs


class ObjectiveSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    priority = serializers.IntegerField(source="priority_id", read_only=True)
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)

    class Meta:
        model = Objective
        fields = [
            "id",
            "priority",
            "cycle",
            "position",
            "title",
            "description",
            *REVIEW_STATE_FIELDS,
        ]
        read_only_fields = ["position"]


class ActionSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    objective = serializers.IntegerField(
        source="objective_id", help_text="The objective it serves (set when created)."
    )
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)
    lead_organisation = serializers.IntegerField(source="lead_organisation_id")
    partners = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Organisation.objects.all(),
        help_text="Partner organisations (not reviewed).",
    )
    funding_status = serializers.ChoiceField(choices=FundingStatus.choices, required=False)
    implementation_status = serializers.ChoiceField(
        choices=ImplementationStatus.choices,
        required=False,
        help_text="Reported directly, outside review.",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "objective",
            "cycle",
            "position",
            "title",
            "description",
            "lead_organisation",
            "partners",
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "funding_status",
            "funding_source",
            "implementation_status",
            "outputs",
            *REVIEW_STATE_FIELDS,
        ]
        read_only_fields = ["position"]

    def validate_objective(self, value: int) -> int:
        if self.instance is not None and value != self.instance.objective_id:
            raise serializers.ValidationError(_("An action cannot move to another objective."))
        return value

    def validate_lead_organisation(self, value: int) -> int:
        workspace = self.context["view"].workspace
        if not Organisation.objects.filter(pk=value, workspace=workspace).exists():
            raise serializers.ValidationError(_("Choose one of this workspace's organisations."))
        return value

    def validate_partners(self, value: list[Organisation]) -> list[Organisation]:
        workspace = self.context["view"].workspace
        if any(org.workspace_id != workspace.pk for org in value):
            raise serializers.ValidationError(
                _("Choose partners among this workspace's organisations.")
            )
        return value

    def validate_budget_currency(self, value: str) -> str:
        return (value or "").upper()


class MoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rank = serializers.IntegerField(min_value=1, help_text="The new rank; 1 is the first.")


# Viewsets --------------------------------------------------------------------------------------


class PlanViewSet(StakeholdersViewSet):
    """Reads for every member (approved content for readers without drafts); edits for editors.

    Subclasses put `ReviewableViewSetMixin` first in their bases, so that its retrieve (ETag)
    and update (If-Match, `review_edit`) win over DRF's mixins."""

    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    def cycle(self) -> Cycle:
        found = cycle_list(user=self.request.user, workspace=self.workspace).filter(
            pk=self.kwargs["cycle_pk"]
        )
        cycle = found.first()
        if cycle is None:
            raise Http404("No such cycle")
        return cycle


@extend_schema(parameters=[WORKSPACE_SLUG])
class ConcernViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, StakeholdersViewSet):
    """The portal's default entry-point concerns and the workspace's own; editors add one."""

    model = EntryPointConcern
    serializer_class = ConcernSerializer
    filter_backends: list[Any] = []  # defaults have no workspace; the selector restricts
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    def selected(self) -> QuerySet[EntryPointConcern]:
        return selectors.concern_list(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.concern_create(
            actor=self.actor, workspace=self.workspace, name=serializer.validated_data["name"]
        )


@extend_schema(parameters=[WORKSPACE_SLUG])
class PriorityViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlanViewSet,
):
    """A cycle's ranked priorities (list, create under `cycles/<cycle_pk>/priorities/`)."""

    model = Priority
    serializer_class = PrioritySerializer

    def selected(self) -> QuerySet[Priority]:
        if "cycle_pk" in self.kwargs:
            return selectors.priority_list(user=self.request.user, cycle=self.cycle())
        return selectors.priority_queryset(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        national_id = data.get("national_priority_id")
        priority = services.priority_create(
            actor=self.actor,
            cycle=self.cycle(),
            concern=EntryPointConcern.objects.get(pk=data["concern_id"]),
            title=data["title"],
            rationale=data.get("rationale", ""),
            affected_groups=data.get("affected_groups", ""),
            gender_considerations=data.get("gender_considerations", ""),
            rights_considerations=data.get("rights_considerations", ""),
            level=data.get("level")
            or (PolicyLevel.LOCAL if self.workspace.parent_id else PolicyLevel.NATIONAL),
            national_priority=Priority.objects.get(pk=national_id) if national_id else None,
        )
        serializer.instance = self.reread(priority)

    def perform_destroy(self, instance: Priority) -> None:
        services.priority_delete(actor=self.actor, priority=instance)

    @extend_schema(request=MoveSerializer, responses=PrioritySerializer)
    def move(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put the priority at `rank` (1 = first) and renumber the ranking."""
        priority = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.priority_move(
            actor=self.actor, priority=priority, rank=serializer.validated_data["rank"]
        )
        return Response(self.get_serializer(self.reread(priority)).data)


@extend_schema(parameters=[WORKSPACE_SLUG])
class ObjectiveViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlanViewSet,
):
    """A priority's objectives (list, create under `priorities/<priority_pk>/objectives/`)."""

    model = Objective
    serializer_class = ObjectiveSerializer

    def priority(self) -> Priority:
        found = (
            selectors.priority_queryset(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["priority_pk"])
            .first()
        )
        if found is None:
            raise Http404("No such priority")
        return found

    def selected(self) -> QuerySet[Objective]:
        objectives = selectors.objective_queryset(user=self.request.user, workspace=self.workspace)
        if "priority_pk" in self.kwargs:
            return objectives.filter(priority=self.priority()).order_by("position", "pk")
        return objectives

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        objective = services.objective_create(
            actor=self.actor,
            priority=self.priority(),
            title=data["title"],
            description=data.get("description", ""),
        )
        serializer.instance = self.reread(objective)

    def perform_destroy(self, instance: Objective) -> None:
        services.objective_delete(actor=self.actor, objective=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class ActionViewSet(
    ReviewableViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    PlanViewSet,
):
    """A cycle's actions (list with filters, create under `cycles/<cycle_pk>/actions/` naming
    the `objective`). `implementation_status` and `partners` are reported outside review."""

    model = Action
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet

    def selected(self) -> QuerySet[Action]:
        if "cycle_pk" in self.kwargs:
            return selectors.action_list(user=self.request.user, cycle=self.cycle())
        return selectors.action_queryset(user=self.request.user, workspace=self.workspace)

    def filter_queryset(self, queryset: QuerySet[Action]) -> QuerySet[Action]:
        queryset = restrict(queryset, self.request.user, self.read_permission)
        if self.action != "list":
            return queryset
        filterset = ActionFilterSet(
            self.request.query_params or None,
            queryset=queryset,
            approved_only=Perm.VIEW_DRAFTS not in self.perms(),
        )
        if filterset.is_bound and not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        return filterset.qs

    def perms(self) -> frozenset[Perm]:
        return cast(frozenset[Perm], self.get_serializer_context()["workspace_perms"])

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        objective = (
            selectors.objective_queryset(user=self.request.user, workspace=self.workspace)
            .filter(pk=data.pop("objective_id"), cycle=self.cycle())
            .first()
        )
        if objective is None:
            raise exceptions.ValidationError(
                {"objective": [_("Choose an objective of this cycle.")]}
            )
        status = data.pop("implementation_status", None)
        lead = Organisation.objects.get(pk=data.pop("lead_organisation_id"))
        with transaction.atomic():
            action = services.action_create(
                actor=self.actor, objective=objective, lead_organisation=lead, **data
            )
            if status:
                services.action_set_status(
                    actor=self.actor, action=action, implementation_status=status
                )
        serializer.instance = self.reread(action)

    def review_changes(self, serializer: Any) -> dict[str, Any]:
        changes = super().review_changes(serializer)
        changes.pop("objective_id", None)
        return changes

    def save_extra(self, serializer: Any, item: Any) -> None:
        data = serializer.validated_data
        if "partners" in data:
            services.action_set_partners(actor=self.actor, action=item, partners=data["partners"])
        if "implementation_status" in data:
            services.action_set_status(
                actor=self.actor,
                action=item,
                implementation_status=data["implementation_status"],
            )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A PATCH of fields outside review only (status, partners) is not an edit of the content:
        # it is allowed while the action waits for review.
        if kwargs.get("partial"):
            instance = self.get_object()
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            if not self.review_changes(serializer):
                expected = self._expected_lock_version(instance)
                if isinstance(expected, Response):
                    return expected
                with transaction.atomic():
                    self.save_extra(serializer, instance)
                instance = self.get_object()
                data = self.get_serializer(instance).data
                return Response(data, headers={"ETag": etag_for(instance)})
        return super().update(request, *args, **kwargs)

    def perform_destroy(self, instance: Action) -> None:
        services.action_delete(actor=self.actor, action=instance)


NESTED = "workspaces/<slug:workspace_slug>"
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        f"{NESTED}/concerns/",
        ConcernViewSet.as_view({"get": "list", "post": "create"}),
        name="concern-list",
    ),
    path(
        f"{NESTED}/cycles/<int:cycle_pk>/priorities/",
        PriorityViewSet.as_view({"get": "list", "post": "create"}),
        name="priority-list",
    ),
    path(
        f"{NESTED}/priorities/<int:pk>/",
        PriorityViewSet.as_view(DETAIL),
        name="priority-detail",
    ),
    path(
        f"{NESTED}/priorities/<int:pk>/move/",
        PriorityViewSet.as_view({"post": "move"}),
        name="priority-move",
    ),
    path(
        f"{NESTED}/priorities/<int:priority_pk>/objectives/",
        ObjectiveViewSet.as_view({"get": "list", "post": "create"}),
        name="objective-list",
    ),
    path(
        f"{NESTED}/objectives/<int:pk>/",
        ObjectiveViewSet.as_view(DETAIL),
        name="objective-detail",
    ),
    path(
        f"{NESTED}/cycles/<int:cycle_pk>/actions/",
        ActionViewSet.as_view({"get": "list", "post": "create"}),
        name="action-list",
    ),
    path(
        f"{NESTED}/actions/<int:pk>/",
        ActionViewSet.as_view(DETAIL),
        name="action-detail",
    ),
]
