"""Writes on workspaces, organisations, memberships and invitations.

Every function is keyword-only, runs in one transaction, validates with `full_clean()`, records
who made the change (django-simple-history) and enqueues e-mail with `transaction.on_commit`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .choices import InvitationStatus, Role
from .models import (
    Invitation,
    Membership,
    Organisation,
    User,
    Workspace,
    WorkspaceGroupObjectPermission,
)
from .permissions import ROLE_PERMS, Perm, role_group, role_group_name

WORKSPACE_FIELDS = (
    "name",
    "slug",
    "level",
    "country",
    "locality",
    "parent",
    "lead_organisation",
    "development_plan",
    "time_zone",
    "description",
    "suppression_threshold",
)
ORGANISATION_FIELDS = ("name", "acronym", "kind", "country", "parent", "website")


def _save(obj: Any, *, actor: User | None, reason: str = "") -> None:
    obj.full_clean()
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


# Workspaces ------------------------------------------------------------------------------------


def workspace_sync_role_groups(*, workspace: Workspace) -> None:
    """Make the workspace's role groups hold exactly the permissions of ROLE_PERMS (idempotent)."""
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Workspace),
            codename__in=[perm.value for perm in Perm],
        )
    }
    for role, perms in ROLE_PERMS.items():
        group = role_group(workspace, role)
        wanted = {perm.value for perm in perms}
        grants = WorkspaceGroupObjectPermission.objects.filter(
            group=group, content_object=workspace
        )
        grants.exclude(permission__codename__in=wanted).delete()
        held = set(grants.values_list("permission__codename", flat=True))
        WorkspaceGroupObjectPermission.objects.bulk_create(
            WorkspaceGroupObjectPermission(
                group=group, content_object=workspace, permission=permissions[codename]
            )
            for codename in sorted(wanted - held)
        )


@transaction.atomic
def workspace_create(*, actor: User | None, **fields: Any) -> Workspace:
    workspace = Workspace(**{k: v for k, v in fields.items() if k in WORKSPACE_FIELDS})
    _save(workspace, actor=actor)
    workspace_sync_role_groups(workspace=workspace)
    return workspace


@transaction.atomic
def workspace_update(*, actor: User | None, workspace: Workspace, **fields: Any) -> Workspace:
    for name, value in fields.items():
        if name not in WORKSPACE_FIELDS or name in ("slug", "level", "parent"):
            raise ValueError(f"{name} cannot be changed here")
        setattr(workspace, name, value)
    _save(workspace, actor=actor)
    return workspace


# Organisations ---------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: User | None, workspace: Workspace, **fields: Any) -> Organisation:
    organisation = Organisation(
        workspace=workspace, **{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS}
    )
    _save(organisation, actor=actor)
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(organisation, name, value)
    _save(organisation, actor=actor)
    return organisation


# Memberships -----------------------------------------------------------------------------------


def _lock_workspace(workspace: Workspace) -> None:
    """Serialise membership changes of one workspace (the last-coordinator rule needs it)."""
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()


def _ensure_a_coordinator_remains(membership: Membership) -> None:
    others = Membership.objects.filter(
        workspace_id=membership.workspace_id, role=Role.COORDINATOR
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("A workspace must keep at least one coordinator: name another coordinator first."),
            code="last_coordinator",
        )


def _join_role_group(membership: Membership) -> None:
    membership.user.groups.remove(
        *membership.user.groups.filter(name__startswith=f"workspace:{membership.workspace_id}:")
    )
    membership.user.groups.add(role_group(membership.workspace, membership.role))


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    workspace: Workspace,
    user: User,
    organisation: Organisation,
    role: str,
    focal_point: bool = False,
) -> Membership:
    _lock_workspace(workspace)
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise ValidationError(
            _("%(user)s is already a member of this workspace.") % {"user": user},
            code="already_member",
        )
    membership = Membership(
        workspace=workspace,
        user=user,
        organisation=organisation,
        role=role,
        focal_point=focal_point,
    )
    _save(membership, actor=actor)
    _join_role_group(membership)
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    role: str | None = None,
    organisation: Organisation | None = None,
    focal_point: bool | None = None,
) -> Membership:
    _lock_workspace(membership.workspace)
    membership.refresh_from_db()
    if role is not None and role != membership.role:
        if membership.role == Role.COORDINATOR:
            _ensure_a_coordinator_remains(membership)
        membership.role = role
    if organisation is not None:
        membership.organisation = organisation
    if focal_point is not None:
        membership.focal_point = focal_point
    _save(membership, actor=actor)
    _join_role_group(membership)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    _lock_workspace(membership.workspace)
    membership.refresh_from_db()
    if membership.role == Role.COORDINATOR:
        _ensure_a_coordinator_remains(membership)
    membership.user.groups.remove(
        *membership.user.groups.filter(name__startswith=f"workspace:{membership.workspace_id}:")
    )
    setattr(membership, "_history_user", actor)  # noqa: B010 - read by django-simple-history
    membership.delete()


# Invitations -----------------------------------------------------------------------------------


class InvitationInvalid(Exception):
    """An invitation link that cannot be used; `reason` is one of the class constants."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(
        "stakeholders:invitation_accept", kwargs={"token": token}
    )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    workspace: Workspace,
    email: str,
    role: str,
    organisation: Organisation,
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Invite `email`; a pending invitation to the same address is replaced. Returns the token."""
    from .tasks import invitation_send_task

    email = email.strip()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Someone with this email address is already a member.")})
    for previous in Invitation.objects.filter(
        workspace=workspace, email__iexact=email, status=InvitationStatus.PENDING
    ):
        previous.status = InvitationStatus.REVOKED
        _save(previous, actor=actor, reason="replaced by a new invitation")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace=workspace,
        email=email,
        role=role,
        organisation=organisation,
        invited_by=actor,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _save(invitation, actor=actor)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: invitation_send_task.delay(invitation.pk, token, language))
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.status = InvitationStatus.REVOKED
    _save(invitation, actor=actor)
    return invitation


def invitation_for_token_unrestricted(token: str) -> Invitation:
    """The usable invitation behind an emailed token (the token is the credential)."""
    invitation = (
        Invitation.objects.select_related("workspace", "organisation", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(InvitationInvalid.UNKNOWN)
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationInvalid(InvitationInvalid.USED, invitation)
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationInvalid(InvitationInvalid.REVOKED, invitation)
    if invitation.is_expired:
        raise InvitationInvalid(InvitationInvalid.EXPIRED, invitation)
    return invitation


def existing_user_for_email_unrestricted(email: str) -> User | None:
    return get_user_model().objects.filter(email__iexact=email).first()


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Accept an invitation, as `user` (an existing account) or by creating a new account."""
    invitation = invitation_for_token_unrestricted(token)
    # Lock the row so that two clicks on the same link cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(InvitationInvalid.USED, invitation)
    if user is None:
        if existing_user_for_email_unrestricted(invitation.email) is not None:
            raise ValidationError(
                _("An account with this email address exists: sign in to accept."),
                code="account_exists",
            )
        user_model = get_user_model()
        user = user_model(
            username=username,
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that account to accept it.")
            % {"email": invitation.email},
            code="wrong_account",
        )
    membership = membership_create(
        actor=user,
        workspace=invitation.workspace,
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
    )
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    _save(invitation, actor=user)
    return membership


# Accounts --------------------------------------------------------------------------------------


@transaction.atomic
def user_update_account(*, user: User, **fields: Any) -> User:
    for name in ("first_name", "last_name", "email", "preferred_language"):
        if name in fields:
            setattr(user, name, fields[name])
    user.full_clean()
    user.save()
    return user


__all__ = [
    "InvitationInvalid",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token_unrestricted",
    "invitation_revoke",
    "invitation_url",
    "membership_create",
    "membership_remove",
    "membership_update",
    "organisation_create",
    "organisation_update",
    "role_group_name",
    "user_update_account",
    "workspace_create",
    "workspace_sync_role_groups",
    "workspace_update",
]
