"""Writes on priorities, entry-point concerns, objectives and actions (the plan of a cycle).

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history, Perm.EDIT checked here too. The reviewed content of a priority, objective or action is
changed only through `stakeholders.review.review_edit`; the services below create, reorder and
delete items and change the fields that are not reviewed (rank, partners, implementation
status).

Deleting: an item never approved (nor anything under it) may be deleted by anyone who may edit;
once approved it is part of the record and only a coordinator (Perm.MANAGE_WORKSPACE) deletes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from profiles.models import Recommendation
from stakeholders.models import Organisation, User, Workspace
from stakeholders.permissions import Perm, can, workspace_perms

from ..choices import FundingStatus, ImplementationStatus, PolicyLevel
from ..models import KPI, Action, Cycle, EntryPointConcern, Objective, Priority
from ..selectors.planning import national_priority_choices_unrestricted


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


def _new_reviewable(obj: Any, *, actor: User) -> None:
    obj.created_by = actor
    obj.lock_version = 1
    _save(obj, actor=actor)


def _require_delete(actor: User, item: Any, *, descendants_approved: bool) -> None:
    """Perm.EDIT for what was never approved; Perm.MANAGE_WORKSPACE once it is on the record."""
    perms = workspace_perms(actor, item.workspace)
    if Perm.EDIT not in perms:
        raise PermissionDenied
    if (item.approved_version is not None or descendants_approved) and (
        Perm.MANAGE_WORKSPACE not in perms
    ):
        raise PermissionDenied(
            _("It was approved once, so it is part of the record: only a coordinator deletes it.")
        )


def was_approved_once(item: Priority | Objective | Action) -> bool:
    """Was the item, or anything that goes with it when it is deleted, ever approved?"""
    if item.approved_version is not None:
        return True
    if isinstance(item, Priority):
        objectives = Objective.objects.filter(priority=item)
        actions = Action.objects.filter(objective__priority=item)
        kpis = KPI.objects.filter(objective__priority=item) | KPI.objects.filter(
            action__objective__priority=item
        )
    elif isinstance(item, Objective):
        objectives = Objective.objects.none()
        actions = Action.objects.filter(objective=item)
        kpis = KPI.objects.filter(objective=item) | KPI.objects.filter(action__objective=item)
    else:
        objectives = Objective.objects.none()
        actions = Action.objects.none()
        kpis = KPI.objects.filter(action=item)
    return any(
        qs.filter(approved_version__isnull=False).exists() for qs in (objectives, actions, kpis)
    )


# Entry-point concerns --------------------------------------------------------------------------


@transaction.atomic
def concern_create(*, actor: User, workspace: Workspace, name: str) -> EntryPointConcern:
    """Add a workspace's own entry-point concern (its name unique in the workspace)."""
    _require_edit(actor, workspace)
    name = (name or "").strip()
    clash = EntryPointConcern.objects.filter(workspace=workspace, name__iexact=name).exists()
    if clash or EntryPointConcern.objects.filter(workspace=None, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("This workspace already has a concern called “%(name)s”.") % {"name": name}}
        )
    concern = EntryPointConcern(workspace=workspace, name=name)
    concern.full_clean()
    try:
        with transaction.atomic():
            concern.save()
    except IntegrityError as error:  # a concurrent request added the same name
        raise ValidationError({"name": _("This concern already exists.")}) from error
    return concern


# Priorities ------------------------------------------------------------------------------------


def _check_national_priority(workspace: Workspace, national_priority_id: int | None) -> None:
    if national_priority_id is None:
        return
    allowed = {pk for pk, _title in national_priority_choices_unrestricted(workspace=workspace)}
    if national_priority_id not in allowed:
        raise ValidationError(
            {
                "national_priority": _(
                    "Choose one of the approved priorities of your national workspace."
                )
            }
        )


@transaction.atomic
def priority_create(
    *,
    actor: User,
    cycle: Cycle,
    concern: EntryPointConcern,
    title: str,
    gender_considerations: str,
    rights_considerations: str,
    rationale: str = "",
    affected_groups: str = "",
    level: str = PolicyLevel.NATIONAL,
    national_priority: Priority | None = None,
    recommendation: Recommendation | None = None,
) -> Priority:
    """Add a priority at the end of the cycle's ranking, as a draft (optionally acting on a
    migration-profile recommendation of the same workspace)."""
    _require_edit(actor, cycle.workspace)
    errors = {}
    if not (gender_considerations or "").strip():
        errors["gender_considerations"] = _(
            "Say how the priority affects women, men and gender roles: every priority states it."
        )
    if not (rights_considerations or "").strip():
        errors["rights_considerations"] = _(
            "Say how the priority protects migrants' rights: every priority states it."
        )
    if recommendation is not None and recommendation.workspace_id != cycle.workspace_id:
        errors["recommendation"] = _("Choose a recommendation of this workspace's profiles.")
    if errors:
        raise ValidationError(errors)
    _check_national_priority(cycle.workspace, national_priority.pk if national_priority else None)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
    last = Priority.objects.filter(cycle=cycle).aggregate(last=Max("rank"))["last"] or 0
    priority = Priority(
        cycle=cycle,
        workspace=cycle.workspace,
        concern=concern,
        title=title,
        rationale=rationale,
        affected_groups=affected_groups,
        gender_considerations=gender_considerations,
        rights_considerations=rights_considerations,
        level=level,
        national_priority=national_priority,
        recommendation=recommendation,
        rank=last + 1,
    )
    _new_reviewable(priority, actor=actor)
    return priority


def _renumber(priorities: list[Priority], *, actor: User) -> None:
    # The rank is not reviewed content: it does not bump lock_version, so reordering never
    # turns someone's open edit form into a conflict.
    for index, each in enumerate(priorities, start=1):
        if each.rank != index:
            each.rank = index
            each._history_user = actor  # type: ignore[attr-defined]
            each.save(update_fields=["rank", "updated_at"])


@transaction.atomic
def priority_move(*, actor: User, priority: Priority, rank: int) -> Priority:
    """Put the priority at `rank` (1 = first, clamped) and renumber the cycle's ranking."""
    _require_edit(actor, priority.workspace)
    Cycle.objects.select_for_update().filter(pk=priority.cycle_id).first()
    ranked = list(
        Priority.objects.select_for_update()
        .filter(cycle_id=priority.cycle_id)
        .order_by("rank", "pk")
    )
    moving = next(p for p in ranked if p.pk == priority.pk)
    ranked.remove(moving)
    ranked.insert(max(0, min(int(rank) - 1, len(ranked))), moving)
    _renumber(ranked, actor=actor)
    priority.rank = moving.rank
    return priority


@transaction.atomic
def priority_delete(*, actor: User, priority: Priority) -> None:
    """Delete a priority with its objectives, actions and KPIs; renumber the ranking."""
    _require_delete(actor, priority, descendants_approved=was_approved_once(priority))
    cycle_id = priority.cycle_id
    Cycle.objects.select_for_update().filter(pk=cycle_id).first()
    priority._history_user = actor  # type: ignore[attr-defined]
    priority.delete()
    _renumber(
        list(Priority.objects.select_for_update().filter(cycle_id=cycle_id).order_by("rank", "pk")),
        actor=actor,
    )


# Objectives ------------------------------------------------------------------------------------


@transaction.atomic
def objective_create(
    *, actor: User, priority: Priority, title: str, description: str = ""
) -> Objective:
    """Add an objective at the end of the priority's objectives, as a draft."""
    _require_edit(actor, priority.workspace)
    Priority.objects.select_for_update().filter(pk=priority.pk).first()
    last = Objective.objects.filter(priority=priority).aggregate(last=Max("position"))["last"]
    objective = Objective(
        priority=priority,
        cycle_id=priority.cycle_id,
        workspace=priority.workspace,
        title=title,
        description=description,
        position=0 if last is None else last + 1,
    )
    _new_reviewable(objective, actor=actor)
    return objective


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Delete an objective with its actions and KPIs."""
    _require_delete(actor, objective, descendants_approved=was_approved_once(objective))
    objective._history_user = actor  # type: ignore[attr-defined]
    objective.delete()


# Actions ---------------------------------------------------------------------------------------


def _check_organisations(workspace: Workspace, partners: Iterable[Organisation]) -> list[Any]:
    partners = list(partners)
    if any(org.workspace_id != workspace.pk for org in partners):
        raise ValidationError(
            {"partners": _("Choose partners among this workspace's organisations.")}
        )
    return partners


@transaction.atomic
def action_create(
    *,
    actor: User,
    objective: Objective,
    title: str,
    lead_organisation: Organisation,
    start_date: datetime.date,
    end_date: datetime.date,
    partners: Iterable[Organisation] = (),
    description: str = "",
    budget_amount: Decimal | None = None,
    budget_currency: str = "",
    funding_status: str = FundingStatus.UNFUNDED,
    funding_source: str = "",
    outputs: str = "",
) -> Action:
    """Add an action at the end of the objective's actions, as a draft."""
    _require_edit(actor, objective.workspace)
    partners = _check_organisations(objective.workspace, partners)
    Objective.objects.select_for_update().filter(pk=objective.pk).first()
    last = Action.objects.filter(objective=objective).aggregate(last=Max("position"))["last"]
    action = Action(
        objective=objective,
        cycle_id=objective.cycle_id,
        workspace=objective.workspace,
        title=title,
        description=description,
        lead_organisation=lead_organisation,
        start_date=start_date,
        end_date=end_date,
        budget_amount=budget_amount,
        budget_currency=(budget_currency or "").upper(),
        funding_status=funding_status,
        funding_source=funding_source,
        outputs=outputs,
        position=0 if last is None else last + 1,
    )
    _new_reviewable(action, actor=actor)
    if partners:
        action.partners.set(partners)
    return action


@transaction.atomic
def action_set_partners(*, actor: User, action: Action, partners: Iterable[Organisation]) -> Action:
    """Name the organisations working with the lead (not reviewed content)."""
    _require_edit(actor, action.workspace)
    partners = _check_organisations(action.workspace, partners)
    action._history_user = actor  # type: ignore[attr-defined]
    action.partners.set(partners)
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: Action, implementation_status: str) -> Action:
    """Report how implementation goes; outside review, like a progress report."""
    _require_edit(actor, action.workspace)
    if implementation_status not in ImplementationStatus.values:
        raise ValidationError({"implementation_status": _("Choose one of the statuses listed.")})
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.implementation_status != implementation_status:
        locked.implementation_status = implementation_status
        locked.full_clean()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["implementation_status", "updated_at"])
    action.implementation_status = implementation_status
    return action


@transaction.atomic
def action_delete(*, actor: User, action: Action) -> None:
    """Delete an action with its KPIs."""
    _require_delete(actor, action, descendants_approved=was_approved_once(action))
    action._history_user = actor  # type: ignore[attr-defined]
    action.delete()
