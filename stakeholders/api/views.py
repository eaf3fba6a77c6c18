"""API viewsets. Reads come from `stakeholders.selectors`, writes go to `stakeholders.services`.

Access: `WorkspacePermission` (the workspace of a nested route is resolved first: 404 when the
user cannot see it, 403 without the viewset's `read_permission` / `write_permission`) and
`RestrictFilterBackend` on every queryset.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from axes.helpers import get_cool_off
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from .. import selectors, services
from ..access import RestrictFilterBackend, WorkspacePermission
from ..filters import (
    InvitationFilterSet,
    MembershipFilterSet,
    OrganisationFilterSet,
    WorkspaceFilterSet,
)
from ..models import Invitation, Membership, Organisation, User, Workspace
from ..permissions import Perm
from .serializers import (
    InvitationSerializer,
    MembershipSerializer,
    OrganisationSerializer,
    WorkspaceSerializer,
)

M = TypeVar("M", bound=Model)

WORKSPACE_SLUG = OpenApiParameter(
    "workspace_slug",
    str,
    OpenApiParameter.PATH,
    description="Short name of the workspace in addresses.",
)


class StakeholdersViewSet(viewsets.GenericViewSet):
    """Common parts: permissions, filters, and the workspace in the serializer context."""

    permission_classes = [WorkspacePermission]
    filter_backends = [RestrictFilterBackend, DjangoFilterBackend]
    read_permission: Perm = Perm.ACCESS
    write_permission: Perm = Perm.MANAGE_WORKSPACE
    model: type[Model]
    workspace: Workspace

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no workspace
            return self.model._default_manager.none()
        return self.selected()

    def selected(self) -> QuerySet[Any]:
        raise NotImplementedError

    @property
    def actor(self) -> User:
        # WorkspacePermission lets only signed-in users through.
        return cast(User, self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "workspace": getattr(self, "workspace", None)}

    def reread(self, obj: M) -> M:
        """The object as the read endpoints show it (selector joins and annotations).

        Only the access filter applies: list filters in the query string do not hide the
        object just written."""
        restricted = RestrictFilterBackend().filter_queryset(
            self.request, self.get_queryset(), self
        )
        return cast(M, restricted.get(pk=obj.pk))


class WorkspaceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, StakeholdersViewSet
):
    """Workspaces you can see; coordinators change a workspace's settings (PATCH)."""

    model = Workspace
    serializer_class = WorkspaceSerializer
    filterset_class = WorkspaceFilterSet
    lookup_field = "slug"
    read_permission = Perm.ACCESS
    write_permission = Perm.MANAGE_WORKSPACE
    http_method_names = ["get", "patch", "head", "options"]

    def selected(self) -> QuerySet[Workspace]:
        return selectors.workspace_list(user=self.request.user)

    def perform_update(self, serializer: BaseSerializer[Workspace]) -> None:
        serializer.instance = services.workspace_update(
            actor=self.actor,
            workspace=cast(Workspace, serializer.instance),
            **serializer.validated_data,
        )


@extend_schema(parameters=[WORKSPACE_SLUG])
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    StakeholdersViewSet,
):
    """Organisations registered in a workspace; coordinators add and edit them."""

    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    read_permission = Perm.ACCESS
    write_permission = Perm.MANAGE_ORGANISATIONS

    def selected(self) -> QuerySet[Organisation]:
        return selectors.organisation_list(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: BaseSerializer[Organisation]) -> None:
        organisation = services.organisation_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(organisation)

    def perform_update(self, serializer: BaseSerializer[Organisation]) -> None:
        organisation = services.organisation_update(
            actor=self.actor,
            organisation=cast(Organisation, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = self.reread(organisation)


@extend_schema(parameters=[WORKSPACE_SLUG])
class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Members of a workspace. People join through invitations, so there is no POST."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    read_permission = Perm.ACCESS
    write_permission = Perm.MANAGE_MEMBERS
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def selected(self) -> QuerySet[Membership]:
        return selectors.membership_list(user=self.request.user, workspace=self.workspace)

    def perform_update(self, serializer: BaseSerializer[Membership]) -> None:
        membership = services.membership_update(
            actor=self.actor,
            membership=cast(Membership, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = self.reread(membership)

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_remove(actor=self.actor, membership=instance)


@extend_schema(parameters=[WORKSPACE_SLUG])
class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    StakeholdersViewSet,
):
    """Invitations of a workspace, for those who manage members. DELETE revokes (the record
    stays, with status `revoked`)."""

    model = Invitation
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet
    read_permission = Perm.MANAGE_MEMBERS
    write_permission = Perm.MANAGE_MEMBERS

    def selected(self) -> QuerySet[Invitation]:
        return selectors.invitation_list(user=self.request.user, workspace=self.workspace)

    def perform_create(self, serializer: BaseSerializer[Invitation]) -> None:
        # The service e-mails the link once the transaction commits; the token is not kept.
        invitation, _token = services.invitation_create(
            actor=self.actor, workspace=self.workspace, **serializer.validated_data
        )
        serializer.instance = self.reread(invitation)

    @extend_schema(responses={status.HTTP_204_NO_CONTENT: None}, description="Revoke.")
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.invitation_revoke(actor=self.actor, invitation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthTokenView(ObtainAuthToken):
    """POST username and password, receive the API token to send as `Authorization: Token …`.
    Repeated failures lock the account for a while (429)."""

    # DRF passes the request to `authenticate()`, so django-axes counts failures and refuses a
    # locked-out account here as on the sign-in page. Axes flags the lockout on DRF's request
    # wrapper, where its middleware does not look, so the lockout is answered here as a 429
    # rather than as the 400 of a wrong password.
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request._request)
                raise exceptions.Throttled(
                    wait=cool_off.total_seconds() if cool_off else None,
                    detail=_("Too many failed sign-in attempts: this account is locked for now."),
                ) from None
            raise
