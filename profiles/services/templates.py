"""Writes on profile templates: a workspace copies a preset and customises its sections.

Presets (templates without a workspace) are data loaded by a migration and never change here.
Keyword-only, one transaction each, `full_clean()` before saving, the actor in the history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from indicators.models import Indicator
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, can

from ..models import ProfileTemplate, TemplateSection


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


def _require_own(actor: User, template: ProfileTemplate) -> Workspace:
    """A preset is never changed; a workspace template needs EDIT on its workspace."""
    if template.workspace is None:
        raise PermissionDenied
    _require_edit(actor, template.workspace)
    return template.workspace


def catalogue_indicators(codes: list[str], workspace: Workspace | None) -> dict[str, Indicator]:
    """The indicators a list of codes names: catalogue ones first, then the workspace's own.

    Codes missing from both are left out (a preset may suggest an indicator that a deployment
    removed from its catalogue)."""
    if not codes:
        return {}
    found: dict[str, Indicator] = {}
    catalogue = (
        Indicator.objects.filter(framework__isnull=False, code__in=codes)
        .select_related("unit", "framework")
        .order_by("framework__position", "framework__pk", "position")
    )
    for indicator in catalogue:
        found.setdefault(indicator.code, indicator)
    missing = [code for code in codes if code not in found]
    if missing and workspace is not None:
        for indicator in Indicator.objects.filter(workspace=workspace, code__in=missing):
            found.setdefault(indicator.code, indicator)
    return found


def _clean_codes(codes: list[str], workspace: Workspace) -> list[str]:
    wanted = [code.strip() for code in codes if code and code.strip()]
    known = catalogue_indicators(wanted, workspace)
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationError(
            {
                "suggested_indicators": _("Unknown indicator codes: %(codes)s")
                % {"codes": ", ".join(unknown)}
            }
        )
    return list(dict.fromkeys(wanted))


@transaction.atomic
def template_customise(
    *,
    actor: User,
    workspace: Workspace,
    preset: ProfileTemplate,
    name: str = "",
    code: str = "",
) -> ProfileTemplate:
    """Copy a template (a preset or one of the workspace's own) into the workspace."""
    _require_edit(actor, workspace)
    if preset.workspace_id is not None and preset.workspace_id != workspace.pk:
        raise PermissionDenied
    base_code = code or slugify(preset.code)[:30] or "template"
    candidate, suffix = base_code, 1
    while ProfileTemplate.objects.filter(workspace=workspace, code=candidate).exists():
        suffix += 1
        candidate = f"{base_code}-{suffix}"
    template = ProfileTemplate(
        workspace=workspace,
        code=candidate,
        name=name or preset.name,
        description=preset.description,
        based_on=preset,
    )
    _save(template, actor=actor)
    TemplateSection.objects.bulk_create(
        TemplateSection(
            template=template,
            code=section.code,
            part=section.part,
            title=section.title,
            guidance=section.guidance,
            suggested_indicators=list(section.suggested_indicators or []),
            has_recommendations=section.has_recommendations,
            position=position,
        )
        for position, section in enumerate(preset.sections.order_by("position", "pk"), start=1)
    )
    return template


@transaction.atomic
def template_update(
    *, actor: User, template: ProfileTemplate, name: str, description: str = ""
) -> ProfileTemplate:
    _require_own(actor, template)
    template.name = name
    template.description = description
    _save(template, actor=actor)
    return template


@transaction.atomic
def template_delete(*, actor: User, template: ProfileTemplate) -> None:
    """Delete a workspace template; editions started from it keep their sections."""
    _require_own(actor, template)
    template.delete()


@transaction.atomic
def template_section_add(
    *,
    actor: User,
    template: ProfileTemplate,
    part: str,
    title: str,
    code: str = "",
    guidance: str = "",
    suggested_indicators: list[str] | None = None,
    has_recommendations: bool = False,
) -> TemplateSection:
    """Add a section at the end of a workspace template."""
    workspace = _require_own(actor, template)
    last = template.sections.aggregate(last=Max("position"))["last"] or 0
    section = TemplateSection(
        template=template,
        code=code,
        part=part,
        title=title,
        guidance=guidance,
        suggested_indicators=_clean_codes(suggested_indicators or [], workspace),
        has_recommendations=has_recommendations,
        position=last + 1,
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def template_section_update(
    *, actor: User, section: TemplateSection, **changes: Any
) -> TemplateSection:
    allowed = {"code", "part", "title", "guidance", "suggested_indicators", "has_recommendations"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    workspace = _require_own(actor, section.template)
    if "suggested_indicators" in changes:
        changes["suggested_indicators"] = _clean_codes(
            changes["suggested_indicators"] or [], workspace
        )
    for name, value in changes.items():
        setattr(section, name, value)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def template_section_move(*, actor: User, section: TemplateSection, up: bool) -> TemplateSection:
    """Swap the section with its neighbour above (`up`) or below; positions are renumbered."""
    _require_own(actor, section.template)
    ordered = list(section.template.sections.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(ordered) if row.pk == section.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered, start=1):
        row.position = position
    TemplateSection.objects.bulk_update(ordered, ["position"])
    section.position = next(row.position for row in ordered if row.pk == section.pk)
    return section


@transaction.atomic
def template_section_delete(*, actor: User, section: TemplateSection) -> None:
    _require_own(actor, section.template)
    section.delete()
