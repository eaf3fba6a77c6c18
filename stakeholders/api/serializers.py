"""Serializers validate input and shape output; writes go through `stakeholders.services`.

Related ids (an organisation, a parent, a lead organisation) are looked up only among the
organisations of the workspace being worked on, so an id from another workspace is refused.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import Invitation, Membership, Organisation, User, Workspace
from ..selectors import organisation_list


class WorkspaceScoped:
    """Mixin: the workspace whose organisations related ids must belong to."""

    context: dict[str, Any]
    instance: Any

    def workspace_scope(self) -> Workspace | None:
        workspace = self.context.get("workspace")
        return workspace if isinstance(workspace, Workspace) else None


class WorkspaceOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation id, looked up among the organisations of one workspace only.

    The serializer tells the field its workspace (`workspace_scope`); without one (no workspace
    in context, e.g. while the schema is generated) nothing is accepted.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organisation.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        serializer = self.root
        workspace = (
            serializer.workspace_scope() if isinstance(serializer, WorkspaceScoped) else None
        )
        request = self.context.get("request")
        if workspace is None or request is None:
            return Organisation.objects.none()
        return organisation_list(user=request.user, workspace=workspace)


class PublicUserSerializer(serializers.ModelSerializer):
    """What any member may see of another person."""

    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class WorkspaceSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A national or local workspace; coordinators may change its settings."""

    # `parent` shadows Field.parent in the stubs only; DRF's metaclass moves declared fields.
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[assignment,var-annotated]
    lead_organisation = WorkspaceOrganisationField(allow_null=True, required=False)
    my_role = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Your role in this workspace; null when you only read it.",
    )

    class Meta:
        model = Workspace
        fields = [
            "slug",
            "name",
            "level",
            "country",
            "locality",
            "parent",
            "lead_organisation",
            "development_plan",
            "time_zone",
            "description",
            "my_role",
        ]
        read_only_fields = ["slug", "level", "country", "locality"]

    def workspace_scope(self) -> Workspace | None:
        # A workspace's lead organisation is one of its own organisations.
        return self.instance if isinstance(self.instance, Workspace) else None


class OrganisationSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """An organisation registered in the workspace; `parent` is one of the same workspace."""

    parent = WorkspaceOrganisationField(allow_null=True, required=False)  # type: ignore[assignment]
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "kind", "country", "parent", "website", "member_count"]


class MembershipSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """A person's role in the workspace, on behalf of one of its organisations."""

    user = PublicUserSerializer(read_only=True)
    organisation = WorkspaceOrganisationField(required=False)

    class Meta:
        model = Membership
        fields = ["id", "user", "organisation", "role", "focal_point"]


class InvitationSerializer(WorkspaceScoped, serializers.ModelSerializer):
    """An invitation to join the workspace. Never exposes the token nor its hash: the emailed
    link is the only copy."""

    organisation = WorkspaceOrganisationField()
    invited_by = PublicUserSerializer(read_only=True)
    accepted_by = PublicUserSerializer(read_only=True)
    is_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "organisation",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "is_expired",
            "accepted_at",
            "accepted_by",
        ]
        read_only_fields = ["status", "created_at", "expires_at", "accepted_at"]
