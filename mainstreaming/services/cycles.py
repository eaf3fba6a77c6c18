"""Writes on planning cycles and their situation analysis.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history. Review transitions of the sections go through `stakeholders.review`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, can

from ..models import Cycle, SituationSection

DEFAULT_SITUATION_SECTIONS = (
    _("Development context"),
    _(
        "Migration situation (immigration, emigration, internal migration, return, "
        "remittances, diaspora)"
    ),
    _("Policy and legal framework"),
    _("Institutional framework and coordination"),
    _("Stakeholders and partnerships"),
    _("Data availability and gaps"),
    _("Capacity needs"),
    _("Gender and migrants' rights"),
)


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    workspace: Workspace,
    title: str,
    start_year: int,
    end_year: int,
    plan: str = "",
) -> Cycle:
    """Open a planning cycle with the default situation-analysis sections."""
    _require_edit(actor, workspace)
    cycle = Cycle(
        workspace=workspace, title=title, start_year=start_year, end_year=end_year, plan=plan
    )
    _save(cycle, actor=actor)
    for position, section_title in enumerate(DEFAULT_SITUATION_SECTIONS):
        section = SituationSection(
            cycle=cycle,
            workspace=workspace,
            title=str(section_title),
            position=position,
            created_by=actor,
        )
        section.lock_version = 1
        _save(section, actor=actor)
    return cycle


@transaction.atomic
def situation_section_create(
    *,
    actor: User,
    cycle: Cycle,
    title: str,
    narrative: str = "",
    position: int | None = None,
) -> SituationSection:
    """Add a section, at the end unless a position is given."""
    _require_edit(actor, cycle.workspace)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
    count = SituationSection.objects.filter(cycle=cycle).count()
    section = SituationSection(
        cycle=cycle,
        workspace=cycle.workspace,
        title=title,
        narrative=narrative,
        position=count,
        created_by=actor,
    )
    section.lock_version = 1
    _save(section, actor=actor)
    if position is not None and position != count:
        return situation_section_move(actor=actor, section=section, position=position)
    return section


@transaction.atomic
def situation_section_move(
    *, actor: User, section: SituationSection, position: int
) -> SituationSection:
    """Put the section at `position` (0-based, clamped) and renumber its cycle's sections."""
    _require_edit(actor, section.workspace)
    Cycle.objects.select_for_update().filter(pk=section.cycle_id).first()
    sections = list(
        SituationSection.objects.select_for_update()
        .filter(cycle_id=section.cycle_id)
        .order_by("position", "pk")
    )
    moving = next(s for s in sections if s.pk == section.pk)
    sections.remove(moving)
    sections.insert(max(0, min(position, len(sections))), moving)
    for index, each in enumerate(sections):
        if each.position != index:
            each.position = index
            each.lock_version += 1
            _save(each, actor=actor)
    section.position = moving.position
    section.lock_version = moving.lock_version
    return moving
