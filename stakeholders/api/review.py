"""The review mechanism in the API, for every reviewable model (DESIGN §4).

Generic endpoints (nested under /api/workspaces/<workspace_slug>/; items addressed as
`<kind>/<pk>` with `kind = model._meta.label_lower`, registered models only):

* `review-transition` POST …/review/<kind>/<pk>/<action>/ (`{"reason": …}` for `return`)
  → 200 with the item's review state; 403 without the right; 400 with the service's message
  for a rule of the review (self-approval, wrong state, missing reason).
* `review-batch` POST …/review/ `{"kind", "ids", "action", "reason"}`: all or nothing.
* `review-comment-list` GET/POST …/review/<kind>/<pk>/comments/.
* `review-event-list` GET …/review/<kind>/<pk>/events/ (needs the right to see drafts).
* `needs-my-action` GET …/needs-my-action/.

For the viewsets of reviewable models (other apps):

* `ReviewStateSerializerMixin` — put it first in a ModelSerializer's bases and list
  `*REVIEW_STATE_FIELDS` in `Meta.fields`. Readers who may not see drafts get the values of the
  approved snapshot instead of the draft (the viewset puts `workspace_perms` in the context;
  without it the serializer assumes the reader sees approved content only).
* `ReviewableViewSetMixin` — before the viewset's other bases. `retrieve` sends a strong `ETag`
  (model label, pk, lock_version); `update`/`partial_update` require `If-Match` (428 without
  it, 412 with the current ETag when it is stale, 412 too when someone saves in between) and
  save through `review_edit`. Hooks as in the web mixin: `review_changes(serializer)` and
  `save_extra(serializer, item)`.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..access import RestrictFilterBackend, WorkspacePermission
from ..models import User, Workspace
from ..permissions import Perm, workspace_perms
from ..review import (
    TRANSITIONS,
    ActionEntry,
    Comment,
    Reviewable,
    ReviewConflict,
    ReviewEvent,
    approved_view,
    comment_add,
    item_kind,
    needs_my_action_entries,
    review_edit,
    review_event_list,
    review_transition,
    reviewable_item_list,
    reviewable_model_for,
    sees_drafts,
    visible_comment_list,
)
from ..review_views import item_url, reviewable_for
from .serializers import PublicUserSerializer

REVIEW_STATE_FIELDS = (
    "review_state",
    "version",
    "approved_version",
    "approved_at",
    "shared_for_consultation",
    "lock_version",
)

WORKSPACE_SLUG = OpenApiParameter(
    "workspace_slug", str, OpenApiParameter.PATH, description="Short name of the workspace."
)
KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    description="The kind of item: its model label in lower case, e.g. "
    "`mainstreaming.situationsection`.",
)
ITEM_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The item's id.")
ACTION = OpenApiParameter(
    "action", str, OpenApiParameter.PATH, enum=list(TRANSITIONS), description="The transition."
)


# Serializers -----------------------------------------------------------------------------------


class ReviewStateSerializerMixin(serializers.Serializer):
    """The review state of an item, read-only; approved values for readers of the snapshot."""

    review_state = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    approved_version = serializers.IntegerField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    shared_for_consultation = serializers.BooleanField(read_only=True)
    lock_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Send it back in If-Match (see the ETag)."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        perms = self.context.get("workspace_perms") or frozenset()
        if sees_drafts(perms, instance):
            return data
        # Only the approved version exists for this reader.
        snapshot = approved_view(instance)
        fields = cast(dict[str, Any], self.fields)
        for name in instance.review_fields:
            target = name if name in data else name.removesuffix("_id")
            if target not in data:
                continue
            value = snapshot.get(name)
            field = fields.get(target)
            try:
                data[target] = (
                    field.to_representation(value) if field and value is not None else value
                )
            except (TypeError, ValueError, AttributeError):
                data[target] = value
        data.update(
            review_state="approved",
            version=instance.approved_version,
            shared_for_consultation=False,
            lock_version=None,
        )
        return data


class ReviewStateSerializer(serializers.Serializer):
    """Where an item stands in review."""

    kind = serializers.CharField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    review_state = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    approved_version = serializers.IntegerField(read_only=True, allow_null=True)
    lock_version = serializers.IntegerField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "kind": item_kind(instance),
            "id": instance.pk,
            "review_state": instance.review_state,
            "version": instance.version,
            "approved_version": instance.approved_version,
            "lock_version": instance.lock_version,
        }


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required to return an item."
    )


class BatchSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="e.g. `mainstreaming.situationsection`.")
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.ModelSerializer):
    author = PublicUserSerializer(read_only=True)
    resolved_by = PublicUserSerializer(read_only=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id",
        required=False,
        allow_null=True,
        help_text="The comment this one replies to (its thread).",
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "parent",
            "version",
            "created_at",
            "resolved_at",
            "resolved_by",
        ]
        read_only_fields = ["version", "created_at", "resolved_at"]


STATES_HELP = "draft, submitted, approved or returned."


class ReviewEventSerializer(serializers.ModelSerializer):
    actor = PublicUserSerializer(read_only=True)
    # Plain strings: two enum fields over one choice set would make two schema components.
    from_state = serializers.CharField(read_only=True, help_text=STATES_HELP)
    to_state = serializers.CharField(read_only=True, help_text=STATES_HELP)

    class Meta:
        model = ReviewEvent
        fields = [
            "id",
            "action",
            "actor",
            "reason",
            "from_state",
            "to_state",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class ActionEntrySerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    needed_action = serializers.ChoiceField(choices=["review", "revise"], read_only=True)
    url = serializers.CharField(read_only=True, allow_null=True, help_text="The item's page.")
    version = serializers.IntegerField(read_only=True)
    by = PublicUserSerializer(read_only=True, allow_null=True, help_text="Who submitted/returned.")
    since = serializers.DateTimeField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True, help_text="Why it was returned.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        entry = cast(ActionEntry, instance)
        return {
            "kind": item_kind(entry.item),
            "id": entry.item.pk,
            "title": str(entry.item),
            "needed_action": entry.needed_action,
            "url": item_url(entry.item),
            "version": entry.item.version,
            "by": PublicUserSerializer(entry.by).data if entry.by else None,
            "since": serializers.DateTimeField().to_representation(entry.since)
            if entry.since
            else None,
            "reason": entry.reason,
        }


# Generic endpoints -----------------------------------------------------------------------------


class ReviewAPIView(generics.GenericAPIView):
    """Common parts: the workspace (WorkspacePermission) and the addressed item."""

    permission_classes = [WorkspacePermission]
    filter_backends: list[Any] = []
    read_permission: Perm = Perm.ACCESS
    write_permission: Perm = Perm.MANAGE_WORKSPACE
    workspace: Workspace

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    @property
    def perms(self) -> frozenset[Perm]:
        if not hasattr(self, "_perms"):
            self._perms = workspace_perms(self.request.user, self.workspace)
        return self._perms

    def item(self) -> Reviewable:
        return reviewable_for(
            self.request.user, self.workspace, self.kwargs["kind"], self.kwargs["pk"]
        )


class ReviewTransitionView(ReviewAPIView):
    """Submit, approve, return (with a reason), share or unshare one item."""

    serializer_class = TransitionSerializer

    @property
    def write_permission(self) -> Perm:  # type: ignore[override]
        return TRANSITIONS[self.kwargs["action"]]

    @extend_schema(
        operation_id="workspaces_review_transition",
        parameters=[WORKSPACE_SLUG, KIND, ITEM_ID, ACTION],
        request=TransitionSerializer,
        responses={
            200: ReviewStateSerializer,
            400: OpenApiResponse(description="A rule of the review refuses it (message given)."),
            403: OpenApiResponse(description="Your role does not allow this transition."),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = self.item()
        review_transition(
            actor=self.actor,
            action=kwargs["action"],
            items=item,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(ReviewStateSerializer(item).data)


class ReviewBatchView(ReviewAPIView):
    """One transition on a selection of items of one kind: all of them or none."""

    serializer_class = BatchSerializer

    @property
    def write_permission(self) -> Perm:  # type: ignore[override]
        action = self.request.data.get("action") if hasattr(self.request.data, "get") else None
        return TRANSITIONS.get(str(action), Perm.ACCESS)

    @extend_schema(
        operation_id="workspaces_review_batch",
        parameters=[WORKSPACE_SLUG],
        request=BatchSerializer,
        responses={
            200: ReviewStateSerializer(many=True),
            400: OpenApiResponse(description="Refused"),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        model = reviewable_model_for(data["kind"])
        if model is None:
            raise exceptions.ValidationError({"kind": [_("No such kind of item.")]})
        ids = sorted(set(data["ids"]))
        items = list(
            reviewable_item_list(model, user=request.user, workspace=self.workspace).filter(
                pk__in=ids
            )
        )
        missing = sorted(set(ids) - {item.pk for item in items})
        if missing:
            raise exceptions.ValidationError(
                {
                    "ids": [
                        _("Some selected items are not in this workspace: %(ids)s.")
                        % {"ids": ", ".join(map(str, missing))}
                    ]
                }
            )
        done = review_transition(
            actor=self.actor, action=data["action"], items=items, reason=data["reason"]
        )
        return Response(ReviewStateSerializer(done, many=True).data)


@extend_schema(parameters=[WORKSPACE_SLUG, KIND, ITEM_ID])
class ReviewCommentListView(ReviewAPIView, generics.ListCreateAPIView):
    """Comments on an item (threads through `parent`); members who may comment add them."""

    serializer_class = CommentSerializer
    filter_backends = [RestrictFilterBackend]
    read_permission = Perm.ACCESS
    write_permission = Perm.COMMENT

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return visible_comment_list(user=self.request.user, item=self.item(), perms=self.perms)

    def perform_create(self, serializer: Any) -> None:
        item = self.item()
        parent = None
        parent_id = serializer.validated_data.get("parent_id")
        if parent_id is not None:
            parent = (
                visible_comment_list(user=self.request.user, item=item, perms=self.perms)
                .filter(pk=parent_id)
                .first()
            )
            if parent is None:
                raise exceptions.ValidationError(
                    {"parent": [_("The comment you reply to is not on this item.")]}
                )
        comment = comment_add(
            actor=self.actor, item=item, body=serializer.validated_data["body"], parent=parent
        )
        serializer.instance = Comment.objects.select_related("author", "resolved_by").get(
            pk=comment.pk
        )


@extend_schema(parameters=[WORKSPACE_SLUG, KIND, ITEM_ID])
class ReviewEventListView(ReviewAPIView, generics.ListAPIView):
    """The review log of an item: who did what, why, on which version (drafts readers only)."""

    serializer_class = ReviewEventSerializer
    filter_backends = [RestrictFilterBackend]
    read_permission = Perm.VIEW_DRAFTS

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ReviewEvent.objects.none()
        return review_event_list(user=self.request.user, item=self.item())


@extend_schema(parameters=[WORKSPACE_SLUG])
class NeedsMyActionView(ReviewAPIView, generics.ListAPIView):
    """Items waiting for you in this workspace: to review, or returned to revise."""

    serializer_class = ActionEntrySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return []
        return needs_my_action_entries(
            user=self.request.user,
            workspace=self.workspace,
            perms=getattr(self, "workspace_perms", None),
        )


# For the viewsets of reviewable models ---------------------------------------------------------


def etag_for(item: Reviewable) -> str:
    """A strong ETag that changes whenever the item is saved."""
    return f'"{item._meta.label_lower}-{item.pk}-{item.lock_version}"'


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the item's ETag in an If-Match header to change it."
    default_code = "precondition_required"


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you changed (from GET).",
)


class ReviewableViewSetMixin:
    """ETag / If-Match for a viewset of a reviewable model; writes through `review_edit`."""

    request: Request
    workspace: Workspace

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        workspace = getattr(self, "workspace", None)
        if workspace is not None and "workspace_perms" not in context:
            if not hasattr(self, "_workspace_perms"):
                self._workspace_perms = workspace_perms(self.request.user, workspace)
            context["workspace_perms"] = self._workspace_perms
        return context

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        serializer = self.get_serializer(instance)  # type: ignore[attr-defined]
        return Response(serializer.data, headers={"ETag": etag_for(instance)})

    def review_changes(self, serializer: Any) -> dict[str, Any]:
        fields = serializer.instance.review_fields
        return {k: v for k, v in serializer.validated_data.items() if k in fields}

    def save_extra(self, serializer: Any, item: Reviewable) -> None:
        """Save the fields that are not reviewed (none by default)."""

    def _expected_lock_version(self, item: Reviewable) -> int | Response:
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired(
                _("Send the item's ETag in an If-Match header to change it (GET it first).")
            )
        current = etag_for(item)
        if header == "*":
            return item.lock_version
        pattern = re.compile(rf'^"{re.escape(item._meta.label_lower)}-{item.pk}-(\d+)"$')
        for tag in (part.strip() for part in header.split(",")):
            match = pattern.match(tag)
            if match and int(match.group(1)) == item.lock_version:
                return item.lock_version
        return self._precondition_failed(current)

    def _precondition_failed(self, current: str) -> Response:
        return Response(
            {
                "detail": _(
                    "Someone else changed this item after you read it. GET it again, apply "
                    "your change to the current version and send its ETag."
                )
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": current},
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()  # type: ignore[attr-defined]
        expected = self._expected_lock_version(instance)
        if isinstance(expected, Response):
            return expected
        serializer = self.get_serializer(instance, data=request.data, partial=partial)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                review_edit(
                    actor=cast(User, request.user),
                    item=instance,
                    expected_lock_version=expected,
                    **self.review_changes(serializer),
                )
                self.save_extra(serializer, instance)
        except ReviewConflict as conflict:
            instance.lock_version = conflict.lock_version
            return self._precondition_failed(etag_for(instance))
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self.get_serializer(instance).data  # type: ignore[attr-defined]
        return Response(data, headers={"ETag": etag_for(instance)})

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)
