"""Writes on profile sections: their indicator tables, cited sources, flagged gaps and (Part D)
recommendations.

The narrative and title change only through `stakeholders.review.review_edit` (with conflict
detection). Tables, sources, gaps and recommendations are not review fields of their own, but they
are the section's content: changing them goes through `_content_changed`, which makes the change a
new draft version exactly as `review_edit` does — an approved section reopens (its approved
snapshot, frozen tables included, stays what readers see until the next approval) and a submitted
section refuses the change until it is reviewed. It does so by clearing the draft's
`frozen_tables` through `review_edit`: a draft always shows live values, and only approval
freezes them again (`Section.before_approval`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from indicators.models import DataGap, DataSource, Indicator
from indicators.services.gaps import data_gap_create
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, can
from stakeholders.review import ReviewState, review_edit

from ..models import Recommendation, Section, SectionTable


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


def _save(obj: Any, *, actor: User) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _content_changed(*, actor: User, section: Section) -> Section:
    """Record a change of the section's tables, sources, gaps or recommendations as a content
    change: an approved section becomes the next draft version; a submitted one refuses."""
    locked = Section.objects.select_for_update().get(pk=section.pk)
    if locked.review_state == ReviewState.SUBMITTED:
        raise ValidationError(
            _("This section is waiting for review and cannot be changed until it is reviewed."),
            code="submitted",
        )
    if locked.review_state == ReviewState.APPROVED or locked.frozen_tables is not None:
        review_edit(
            actor=actor, item=locked, expected_lock_version=locked.lock_version, frozen_tables=None
        )
    for name in ("review_state", "version", "lock_version", "frozen_tables"):
        setattr(section, name, getattr(locked, name))
    return section


def _check_indicator(indicator: Indicator, section: Section) -> None:
    if indicator.workspace_id is not None and indicator.workspace_id != section.workspace_id:
        raise ValidationError(
            {"indicator": _("Choose a catalogue indicator or one of this workspace's own.")}
        )


# Tables ----------------------------------------------------------------------------------------


@transaction.atomic
def section_table_add(
    *,
    actor: User,
    section: Section,
    indicator: Indicator,
    axis: str = "",
    first_year: int | None = None,
    last_year: int | None = None,
    kind: str = "table",
) -> SectionTable:
    """Place an indicator table at the end of the section; its years default to the edition's
    reference period."""
    _require_edit(actor, section.workspace)
    _check_indicator(indicator, section)
    _content_changed(actor=actor, section=section)
    edition = section.edition
    last = SectionTable.objects.filter(section=section).aggregate(m=Max("position"))["m"]
    table = SectionTable(
        section=section,
        indicator=indicator,
        axis=axis or "",
        first_year=first_year or edition.reference_start_year,
        last_year=last_year or edition.reference_end_year,
        kind=kind,
        position=(last if last is not None else -1) + 1,
    )
    table.full_clean()
    table.save()
    return table


@transaction.atomic
def section_table_remove(*, actor: User, table: SectionTable) -> None:
    section = table.section
    _require_edit(actor, section.workspace)
    _content_changed(actor=actor, section=section)
    table.delete()


@transaction.atomic
def section_table_move(*, actor: User, table: SectionTable, position: int) -> SectionTable:
    """Put the table at `position` (0-based, clamped) and renumber the others."""
    section = table.section
    _require_edit(actor, section.workspace)
    _content_changed(actor=actor, section=section)
    tables = [t for t in SectionTable.objects.filter(section=section) if t.pk != table.pk]
    position = max(0, min(position, len(tables)))
    tables.insert(position, table)
    for index, one in enumerate(tables):
        if one.position != index:
            one.position = index
            one.save(update_fields=["position", "updated_at"])
    table.position = position
    return table


# Sources and gaps ------------------------------------------------------------------------------


@transaction.atomic
def section_sources_set(
    *,
    actor: User,
    section: Section,
    sources: Iterable[DataSource],
    gaps: Iterable[DataGap],
) -> Section:
    """Cite these data sources and flag these data gaps (all of the workspace)."""
    _require_edit(actor, section.workspace)
    sources, gaps = list(sources), list(gaps)
    if any(source.workspace_id != section.workspace_id for source in sources):
        raise ValidationError({"sources": _("Choose data sources of this workspace.")})
    if any(gap.workspace_id != section.workspace_id for gap in gaps):
        raise ValidationError({"gaps": _("Choose data gaps of this workspace.")})
    before = (
        set(section.sources.values_list("pk", flat=True)),
        set(section.gaps.values_list("pk", flat=True)),
    )
    after = ({s.pk for s in sources}, {g.pk for g in gaps})
    if before == after:
        return section
    _content_changed(actor=actor, section=section)
    section.sources.set(sources)
    section.gaps.set(gaps)
    return section


@transaction.atomic
def section_gap_flag_new(
    *, actor: User, section: Section, indicator: Indicator, year: int | None, reason: str
) -> DataGap:
    """Record a new data gap in the indicators app and flag it in the section."""
    _require_edit(actor, section.workspace)
    _check_indicator(indicator, section)
    gap = data_gap_create(
        actor=actor, workspace=section.workspace, indicator=indicator, year=year, reason=reason
    )
    _content_changed(actor=actor, section=section)
    section.gaps.add(gap)
    return gap


# Recommendations -------------------------------------------------------------------------------


def _require_recommendations(section: Section) -> None:
    if not section.has_recommendations:
        raise ValidationError(_("This section does not hold recommendations."), code="no_recs")


@transaction.atomic
def recommendation_create(
    *, actor: User, section: Section, text: str, target: str
) -> Recommendation:
    _require_edit(actor, section.workspace)
    _require_recommendations(section)
    _content_changed(actor=actor, section=section)
    last = Recommendation.objects.filter(section=section).aggregate(m=Max("position"))["m"]
    recommendation = Recommendation(
        section=section,
        workspace=section.workspace,
        text=(text or "").strip(),
        target=target,
        position=(last if last is not None else -1) + 1,
    )
    _save(recommendation, actor=actor)
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, text: str, target: str
) -> Recommendation:
    section = recommendation.section
    _require_edit(actor, section.workspace)
    text = (text or "").strip()
    if text == recommendation.text and target == recommendation.target:
        return recommendation
    _content_changed(actor=actor, section=section)
    recommendation.text, recommendation.target = text, target
    _save(recommendation, actor=actor)
    return recommendation


@transaction.atomic
def recommendation_delete(*, actor: User, recommendation: Recommendation) -> None:
    section = recommendation.section
    _require_edit(actor, section.workspace)
    _content_changed(actor=actor, section=section)
    recommendation.delete()


@transaction.atomic
def recommendation_move(
    *, actor: User, recommendation: Recommendation, position: int
) -> Recommendation:
    section = recommendation.section
    _require_edit(actor, section.workspace)
    _content_changed(actor=actor, section=section)
    others = [r for r in section.recommendations.all() if r.pk != recommendation.pk]
    position = max(0, min(position, len(others)))
    others.insert(position, recommendation)
    for index, one in enumerate(others):
        if one.position != index:
            one.position = index
            one.save(update_fields=["position", "updated_at"])
    recommendation.position = position
    return recommendation
