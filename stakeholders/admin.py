"""The platform administrator's screens. Writes go through the services, as everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from . import services
from .models import (
    CapacityNeed,
    Corridor,
    Decision,
    FollowUp,
    Invitation,
    JointAction,
    Meeting,
    Membership,
    Organisation,
    Platform,
    Practice,
    Seat,
    StakeholderProfile,
    User,
    Workspace,
)
from .review import Comment, ReviewEvent


class ServiceHistoryAdmin(SimpleHistoryAdmin):
    """History is shown, never reverted: a revert would save the model past its service."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


def _adopt(obj: Any, created: Any) -> None:
    """Make the admin's unsaved `obj` stand for the row the service created."""
    obj.pk = created.pk
    obj._state.adding = False
    obj._state.db = created._state.db
    for name in ("created_at", "updated_at"):
        if hasattr(created, name):
            setattr(obj, name, getattr(created, name))


def _service_error_redirect(request: HttpRequest, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return HttpResponseRedirect(request.get_full_path())


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Portal"), {"fields": ("preferred_language",)}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a user would cascade to memberships past the last-coordinator rule and erase
        # who did what; accounts are deactivated (Active unticked) instead.
        return False


@admin.register(Workspace)
class WorkspaceAdmin(ServiceHistoryAdmin):
    list_display = ("name", "slug", "level", "country", "parent")
    list_filter = ("level", "country")
    search_fields = ("name", "slug", "locality")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    raw_id_fields = ("lead_organisation",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Moving a workspace between levels or parents is not a settings change.
        return ("slug", "level", "parent") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Workspace, form: Any, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in form.cleaned_data
            if name in services.WORKSPACE_FIELDS
        }
        if change:
            fields = {k: v for k, v in fields.items() if k not in ("slug", "level", "parent")}
            services.workspace_update(actor=request.user, workspace=obj, **fields)
        else:
            _adopt(obj, services.workspace_create(actor=request.user, **fields))


@admin.register(Organisation)
class OrganisationAdmin(ServiceHistoryAdmin):
    list_display = ("name", "acronym", "kind", "workspace")
    list_filter = ("kind", "workspace")
    search_fields = ("name", "acronym")
    list_select_related = ("workspace",)
    autocomplete_fields = ("workspace",)
    raw_id_fields = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("workspace",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in form.cleaned_data
            if name in services.ORGANISATION_FIELDS
        }
        if change:
            services.organisation_update(actor=request.user, organisation=obj, **fields)
        else:
            _adopt(
                obj,
                services.organisation_create(
                    actor=request.user, workspace=form.cleaned_data["workspace"], **fields
                ),
            )


@admin.register(Membership)
class MembershipAdmin(ServiceHistoryAdmin):
    list_display = ("user", "workspace", "organisation", "role", "focal_point")
    list_filter = ("role", "workspace")
    search_fields = ("user__username", "user__email", "user__last_name", "organisation__name")
    list_select_related = ("user", "workspace", "organisation")
    autocomplete_fields = ("user", "workspace")
    raw_id_fields = ("organisation",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "workspace") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.membership_update(
                actor=request.user,
                membership=obj,
                role=data["role"],
                organisation=data["organisation"],
                focal_point=data["focal_point"],
            )
        else:
            _adopt(
                obj,
                services.membership_create(
                    actor=request.user,
                    workspace=data["workspace"],
                    user=data["user"],
                    organisation=data["organisation"],
                    role=data["role"],
                    focal_point=data["focal_point"],
                ),
            )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A service refusal (e.g. removing the last coordinator's role) rolls the change
        # back and comes back to the form with the service's message.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return _service_error_redirect(request, error)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return _service_error_redirect(request, error)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "workspace"):
            try:
                services.membership_remove(actor=request.user, membership=membership)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, f"{membership}: {message}")


@admin.register(Invitation)
class InvitationAdmin(ServiceHistoryAdmin):
    """Read-only: invitations are sent and revoked from the workspace's members page."""

    list_display = ("email", "workspace", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role", "workspace")
    search_fields = ("email",)
    list_select_related = ("workspace",)
    fields = (
        "workspace",
        "email",
        "role",
        "organisation",
        "invited_by",
        "status",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The review log: who moved which item from what state to what, and why."""

    list_display = ("created_at", "workspace", "content_type", "object_id", "action", "actor")
    list_filter = ("action", "workspace")
    list_select_related = ("workspace", "content_type", "actor")
    search_fields = ("reason",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Comments on reviewable items; written and resolved in the portal only."""

    list_display = ("created_at", "workspace", "content_type", "object_id", "author", "resolved_at")
    list_filter = ("workspace",)
    list_select_related = ("workspace", "content_type", "author")
    search_fields = ("body",)


# Coordination records are written through their services: read-only here.


@admin.register(Platform)
class PlatformAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "workspace", "kind", "review_state", "version")
    list_filter = ("kind", "review_state")
    list_select_related = ("workspace",)
    search_fields = ("name",)


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("organisation", "platform", "kind", "focal_point")
    list_select_related = ("organisation", "platform")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "platform", "starts_at")
    list_select_related = ("platform",)
    search_fields = ("title",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "meeting")
    list_select_related = ("meeting",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "owner", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("owner",)


@admin.register(StakeholderProfile)
class StakeholderProfileAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("organisation", "workspace", "interest", "influence", "role")
    list_select_related = ("organisation", "workspace")


@admin.register(CapacityNeed)
class CapacityNeedAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("organisation", "area", "priority", "met")
    list_filter = ("area", "priority", "met")
    list_select_related = ("organisation",)


@admin.register(Corridor)
class CorridorAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "proposer_role", "partner_role", "status")
    list_filter = ("status",)
    list_select_related = ("proposer", "partner")


@admin.register(JointAction)
class JointActionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "corridor", "status")
    list_filter = ("status",)
    list_select_related = ("corridor",)


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "workspace", "area", "status", "published_at")
    list_filter = ("status", "area")
    list_select_related = ("workspace",)
    search_fields = ("title",)
