"""Writes on corridors between national workspaces and their joint actions (issue 5).

Who may do what (stakeholders.permissions, "Corridor partners"): the coordinators of a side
(`CORRIDOR_MANAGE`) propose a corridor, answer a proposal made to them, end it, and propose,
agree or withdraw joint actions. Ending a corridor keeps the sharing marks of its items for the
record, but every reader of shared items requires an active corridor, so nothing more crosses;
a later corridor between the same two workspaces is a new row and starts with no marks.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CorridorStatus, JointActionStatus, WorkspaceLevel
from .models import Corridor, JointAction, User, Workspace
from .permissions import CORRIDOR_MANAGE, can

OPEN_STATUSES = (CorridorStatus.PROPOSED, CorridorStatus.ACTIVE)


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not can(actor, CORRIDOR_MANAGE, workspace):
        raise PermissionDenied


def _locked(corridor: Corridor) -> Corridor:
    return (
        Corridor.objects.select_for_update()
        .select_related("proposer", "partner")
        .get(pk=corridor.pk)
    )


def _side(corridor: Corridor, workspace: Workspace) -> None:
    if workspace.pk not in (corridor.proposer_id, corridor.partner_id):
        raise PermissionDenied


def corridor_propose(
    *,
    actor: User,
    workspace: Workspace,
    partner: Workspace,
    proposer_role: str,
    partner_role: str,
    description: str,
) -> Corridor:
    """`workspace` proposes a corridor to the national workspace `partner`."""
    _require_manage(actor, workspace)
    if workspace.level != WorkspaceLevel.NATIONAL:
        raise ValidationError(_("Only a national workspace proposes a corridor."))
    if partner.pk == workspace.pk:
        raise ValidationError({"partner": _("Choose another country's workspace.")})
    with transaction.atomic():
        open_between = Corridor.objects.filter(status__in=OPEN_STATUSES).filter(
            Q(proposer=workspace, partner=partner) | Q(proposer=partner, partner=workspace)
        )
        if open_between.exists():
            raise ValidationError(
                {"partner": _("These two workspaces already have a proposed or active corridor.")}
            )
        corridor = Corridor(
            proposer=workspace,
            partner=partner,
            proposer_role=proposer_role,
            partner_role=partner_role,
            description=description,
            proposed_by=actor,
        )
        _save(corridor, actor=actor)
    return corridor


def _answer(*, actor: User, corridor: Corridor, status: str) -> Corridor:
    with transaction.atomic():
        locked = _locked(corridor)
        _require_manage(actor, locked.partner)
        if locked.status != CorridorStatus.PROPOSED:
            raise ValidationError(_("This proposal has already been answered."))
        locked.status = status
        locked.responded_by = actor
        locked.responded_at = timezone.now()
        _save(locked, actor=actor)
    return locked


def corridor_accept(*, actor: User, corridor: Corridor) -> Corridor:
    """The partner's coordinator accepts the proposal: the corridor becomes active."""
    return _answer(actor=actor, corridor=corridor, status=CorridorStatus.ACTIVE)


def corridor_decline(*, actor: User, corridor: Corridor) -> Corridor:
    """The partner's coordinator declines the proposal."""
    return _answer(actor=actor, corridor=corridor, status=CorridorStatus.DECLINED)


def corridor_end(*, actor: User, corridor: Corridor, workspace: Workspace) -> Corridor:
    """Either side ends an active corridor; the proposer may also withdraw its proposal."""
    with transaction.atomic():
        locked = _locked(corridor)
        _side(locked, workspace)
        _require_manage(actor, workspace)
        withdrawing = (
            locked.status == CorridorStatus.PROPOSED and workspace.pk == locked.proposer_id
        )
        if locked.status != CorridorStatus.ACTIVE and not withdrawing:
            raise ValidationError(_("Only an active corridor can be ended."))
        locked.status = CorridorStatus.ENDED
        locked.ended_by = actor
        locked.ended_at = timezone.now()
        _save(locked, actor=actor)
    return locked


def corridor_transition(
    *, actor: User, corridor: Corridor, workspace: Workspace, action: str
) -> Corridor:
    """One of "accept", "decline", "end" (the pages and the API share this entry point)."""
    if action == "accept":
        _side(corridor, workspace)
        return corridor_accept(actor=actor, corridor=corridor)
    if action == "decline":
        _side(corridor, workspace)
        return corridor_decline(actor=actor, corridor=corridor)
    if action == "end":
        return corridor_end(actor=actor, corridor=corridor, workspace=workspace)
    raise ValueError(action)


CORRIDOR_ACTIONS = ("accept", "decline", "end")


# Joint actions ---------------------------------------------------------------------------------


def joint_action_propose(
    *, actor: User, corridor: Corridor, workspace: Workspace, title: str, description: str = ""
) -> JointAction:
    """A side of an active corridor proposes a joint action; the other side agrees to it."""
    _side(corridor, workspace)
    _require_manage(actor, workspace)
    if not corridor.is_active:
        raise ValidationError(_("Joint actions are agreed on an active corridor only."))
    joint_action = JointAction(
        corridor=corridor, proposed_by_workspace=workspace, title=title, description=description
    )
    with transaction.atomic():
        _save(joint_action, actor=actor)
    return joint_action


def joint_action_agree(
    *, actor: User, joint_action: JointAction, workspace: Workspace
) -> JointAction:
    """The side that did not propose the joint action agrees to it: agreed by both."""
    corridor = joint_action.corridor
    _side(corridor, workspace)
    _require_manage(actor, workspace)
    if workspace.pk == joint_action.proposed_by_workspace_id:
        raise ValidationError(_("The other side of the corridor agrees to this joint action."))
    if not corridor.is_active or joint_action.status != JointActionStatus.PROPOSED:
        raise ValidationError(_("Only a proposed joint action on an active corridor is agreed."))
    joint_action.status = JointActionStatus.AGREED
    joint_action.agreed_at = timezone.now()
    joint_action.agreed_by = actor
    with transaction.atomic():
        _save(joint_action, actor=actor)
    return joint_action


def joint_action_withdraw(
    *, actor: User, joint_action: JointAction, workspace: Workspace
) -> JointAction:
    """Either side withdraws a joint action (an agreement needs both sides to stay)."""
    _side(joint_action.corridor, workspace)
    _require_manage(actor, workspace)
    if joint_action.status == JointActionStatus.WITHDRAWN:
        raise ValidationError(_("This joint action has already been withdrawn."))
    joint_action.status = JointActionStatus.WITHDRAWN
    with transaction.atomic():
        _save(joint_action, actor=actor)
    return joint_action


def joint_action_transition(
    *, actor: User, joint_action: JointAction, workspace: Workspace, action: str
) -> JointAction:
    if action == "agree":
        return joint_action_agree(actor=actor, joint_action=joint_action, workspace=workspace)
    if action == "withdraw":
        return joint_action_withdraw(actor=actor, joint_action=joint_action, workspace=workspace)
    raise ValueError(action)


JOINT_ACTION_ACTIONS = ("agree", "withdraw")
