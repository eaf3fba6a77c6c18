"""Writes of stakeholder mapping and capacity needs (Perm.EDIT on the workspace).

Every function is keyword-only, runs in one transaction, validates with `full_clean()` and
records who made the change (django-simple-history).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .coordination_models import CapacityNeed, StakeholderProfile
from .models import Organisation, User, Workspace
from .permissions import Perm, can

PROFILE_FIELDS = ("interest", "influence", "role", "notes")
NEED_FIELDS = ("organisation", "area", "description", "priority", "planned_support", "supported_by")


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied(_("You may not change this workspace's stakeholder mapping."))


def _save(obj: Any, *, actor: User) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _delete(obj: Any, *, actor: User) -> None:
    obj._history_user = actor
    obj.delete()


def _set(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(obj, name, value)


# Stakeholder profiles --------------------------------------------------------------------------


@transaction.atomic
def stakeholder_profile_create(
    *,
    actor: User,
    workspace: Workspace,
    organisation: Organisation,
    interest: int,
    influence: int,
    role: str,
    notes: str = "",
) -> StakeholderProfile:
    """Place an organisation of the workspace on the map (one profile per organisation)."""
    _require_edit(actor, workspace)
    if StakeholderProfile.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("This organisation is already on the stakeholder map.")}
        )
    profile = StakeholderProfile(
        workspace=workspace,
        organisation=organisation,
        interest=interest,
        influence=influence,
        role=role,
        notes=notes,
    )
    _save(profile, actor=actor)
    return profile


@transaction.atomic
def stakeholder_profile_update(
    *, actor: User, profile: StakeholderProfile, **fields: Any
) -> StakeholderProfile:
    """Change the scores, role or notes; the organisation of a profile never changes."""
    _require_edit(actor, profile.workspace)
    _set(profile, fields, PROFILE_FIELDS)
    _save(profile, actor=actor)
    return profile


@transaction.atomic
def stakeholder_profile_delete(*, actor: User, profile: StakeholderProfile) -> None:
    _require_edit(actor, profile.workspace)
    _delete(profile, actor=actor)


# Capacity needs --------------------------------------------------------------------------------


@transaction.atomic
def capacity_need_create(
    *,
    actor: User,
    workspace: Workspace,
    organisation: Organisation,
    area: str,
    description: str,
    priority: str,
    planned_support: str = "",
    supported_by: Organisation | None = None,
) -> CapacityNeed:
    _require_edit(actor, workspace)
    need = CapacityNeed(
        workspace=workspace,
        organisation=organisation,
        area=area,
        description=description,
        priority=priority,
        planned_support=planned_support,
        supported_by=supported_by,
    )
    _save(need, actor=actor)
    return need


@transaction.atomic
def capacity_need_update(*, actor: User, need: CapacityNeed, **fields: Any) -> CapacityNeed:
    _require_edit(actor, need.workspace)
    _set(need, fields, (*NEED_FIELDS, "met"))
    _save(need, actor=actor)
    return need


@transaction.atomic
def capacity_need_mark_met(*, actor: User, need: CapacityNeed, met: bool = True) -> CapacityNeed:
    """Record that the planned support met the need (or reopen it with `met=False`)."""
    _require_edit(actor, need.workspace)
    need.met = met
    _save(need, actor=actor)
    return need


@transaction.atomic
def capacity_need_delete(*, actor: User, need: CapacityNeed) -> None:
    _require_edit(actor, need.workspace)
    _delete(need, actor=actor)
