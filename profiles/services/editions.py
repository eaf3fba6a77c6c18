"""Writes on profile editions: start from a template, edit, clone into the next, publish.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history. Sections are reviewed through `stakeholders.review`; an edition is published only when
every section is approved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Platform, User, Workspace
from stakeholders.permissions import Perm, can
from stakeholders.review import ReviewState

from ..choices import EditionStage, EditionStatus
from ..models import Edition, ProfileTemplate, Recommendation, Section, SectionTable
from .templates import catalogue_indicators

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "reference_start_year",
        "reference_end_year",
        "language",
        "stage",
        "working_group",
    }
)


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require(actor: User, perm: Perm, workspace: Workspace) -> None:
    if not can(actor, perm, workspace):
        raise PermissionDenied


def _refuse_if_published(edition: Edition) -> None:
    if edition.is_published:
        raise ValidationError(
            _("A published edition cannot be changed; clone it into the next edition."),
            code="published",
        )


def next_edition_number(workspace: Workspace) -> int:
    last = Edition.objects.filter(workspace=workspace).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def edition_start(
    *,
    actor: User,
    workspace: Workspace,
    template: ProfileTemplate,
    title: str,
    reference_start_year: int,
    reference_end_year: int,
    language: str = "en",
    stage: str = EditionStage.PLANNING,
    working_group: Platform | None = None,
) -> Edition:
    """Start the next edition from a template: one draft section per template section and, for
    each suggested indicator found in the catalogue, a table over the reference period."""
    _require(actor, Perm.EDIT, workspace)
    edition = Edition(
        workspace=workspace,
        number=next_edition_number(workspace),
        title=title,
        reference_start_year=reference_start_year,
        reference_end_year=reference_end_year,
        template=template,
        language=language,
        stage=stage,
        working_group=working_group,
        created_by=actor,
    )
    _save(edition, actor=actor)
    template_sections = list(template.sections.order_by("position", "pk"))
    indicators = catalogue_indicators(
        [code for row in template_sections for code in row.suggested_indicators or []],
        workspace,
    )
    for position, template_section in enumerate(template_sections, start=1):
        section = Section(
            edition=edition,
            workspace=workspace,
            code=template_section.code,
            part=template_section.part,
            title=template_section.title,
            guidance=template_section.guidance,
            has_recommendations=template_section.has_recommendations,
            position=position,
            created_by=actor,
        )
        _save(section, actor=actor)
        tables = [
            SectionTable(
                section=section,
                indicator=indicators[code],
                first_year=reference_start_year,
                last_year=reference_end_year,
                position=index,
            )
            for index, code in enumerate(
                dict.fromkeys(template_section.suggested_indicators or []), start=1
            )
            if code in indicators
        ]
        SectionTable.objects.bulk_create(tables)
    return edition


@transaction.atomic
def edition_update(*, actor: User, edition: Edition, **changes: Any) -> Edition:
    """Change an edition's metadata (title, reference period, language, stage, working group)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    _require(actor, Perm.EDIT, edition.workspace)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.is_published and set(changes) - {"stage"}:
        _refuse_if_published(locked)
    for name, value in changes.items():
        setattr(edition, name, value)
    _save(edition, actor=actor)
    return edition


@transaction.atomic
def edition_delete(*, actor: User, edition: Edition) -> None:
    """Delete an edition in preparation with its sections (a published one stays)."""
    _require(actor, Perm.EDIT, edition.workspace)
    _refuse_if_published(edition)
    edition.delete()


def unapproved_sections(edition: Edition) -> list[Section]:
    return list(
        edition.sections.exclude(review_state=ReviewState.APPROVED).order_by("position", "pk")
    )


@transaction.atomic
def edition_publish(*, actor: User, edition: Edition) -> Edition:
    """Publish an edition whose every section is approved (readers then see it whole)."""
    _require(actor, Perm.PUBLISH, edition.workspace)
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.is_published:
        raise ValidationError(_("This edition is already published."), code="published")
    if not locked.sections.exists():
        raise ValidationError(_("An edition without sections cannot be published."), code="empty")
    waiting = unapproved_sections(locked)
    if waiting:
        raise ValidationError(
            _("Every section must be approved before the edition is published. Not yet: %(list)s")
            % {"list": "; ".join(str(section) for section in waiting)},
            code="unapproved",
        )
    edition.status = EditionStatus.PUBLISHED
    edition.published_at = timezone.now()
    edition.published_by = actor
    _save(edition, actor=actor)
    return edition


def _moved_title(title: str, source: Edition, start: int, end: int) -> str:
    for dash in ("–", "-"):
        old = f"{source.reference_start_year}{dash}{source.reference_end_year}"
        if old in title:
            return title.replace(old, f"{start}{dash}{end}")
    return f"{title} ({start}–{end})"


@transaction.atomic
def edition_clone(*, actor: User, edition: Edition, title: str = "") -> Edition:
    """Start the next edition from this one, the reference period moved forward by its length.

    Sections are copied as drafts (the approved text when there is one, else the draft), with
    their tables (years moved), recommendations, cited sources and flagged gaps.
    """
    workspace = edition.workspace
    _require(actor, Perm.EDIT, workspace)
    shift = edition.reference_end_year - edition.reference_start_year + 1
    start = edition.reference_start_year + shift
    end = edition.reference_end_year + shift
    clone = Edition(
        workspace=workspace,
        number=next_edition_number(workspace),
        title=title or _moved_title(edition.title, edition, start, end),
        reference_start_year=start,
        reference_end_year=end,
        template=edition.template,
        language=edition.language,
        stage=EditionStage.PLANNING,
        working_group=edition.working_group,
        previous=edition,
        created_by=actor,
    )
    _save(clone, actor=actor)
    sources = Section.sources.through
    gaps = Section.gaps.through
    old_sections = list(
        edition.sections.order_by("position", "pk").prefetch_related(
            "tables", "recommendations", "sources", "gaps"
        )
    )
    new_tables: list[SectionTable] = []
    new_recommendations: list[Recommendation] = []
    source_links: list[Any] = []
    gap_links: list[Any] = []
    for old in old_sections:
        approved = old.approved_snapshot or {}
        section = Section(
            edition=clone,
            workspace=workspace,
            code=old.code,
            part=old.part,
            title=approved.get("title") or old.title,
            guidance=old.guidance,
            narrative=approved.get("narrative", old.narrative)
            if old.approved_version
            else old.narrative,
            has_recommendations=old.has_recommendations,
            position=old.position,
            created_by=actor,
        )
        _save(section, actor=actor)
        for table in old.tables.all():
            new_tables.append(
                SectionTable(
                    section=section,
                    indicator_id=table.indicator_id,
                    axis=table.axis,
                    first_year=min(table.first_year + shift, 2100),
                    last_year=min(table.last_year + shift, 2100),
                    kind=table.kind,
                    position=table.position,
                )
            )
        for recommendation in old.recommendations.all():
            new_recommendations.append(
                Recommendation(
                    section=section,
                    workspace=workspace,
                    text=recommendation.text,
                    target=recommendation.target,
                    position=recommendation.position,
                )
            )
        source_links += [
            sources(section_id=section.pk, datasource_id=source.pk) for source in old.sources.all()
        ]
        gap_links += [gaps(section_id=section.pk, datagap_id=gap.pk) for gap in old.gaps.all()]
    SectionTable.objects.bulk_create(new_tables)
    Recommendation.objects.bulk_create(new_recommendations)
    sources.objects.bulk_create(source_links)
    gaps.objects.bulk_create(gap_links)
    return clone
