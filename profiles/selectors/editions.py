"""Reads of profile templates and editions, restricted and prefetched once.

Who sees which edition: members who may see drafts (coordinators, editors, reviewers) see every
edition of their workspace; the other readers (contributors, observers, a national coordinator
reading a local workspace) see **published editions only**, and in them the approved snapshot of
each section (its frozen tables). A draft edition is a 404 for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, restrict
from stakeholders.review import ReviewState, sees_drafts, visible_content
from stakeholders.review_views import word_diff

from ..choices import EditionStatus
from ..models import Edition, ProfileTemplate, Section, TemplateSection
from ..tables import shown_tables


def template_list(*, workspace: Workspace) -> QuerySet[ProfileTemplate]:
    """The presets and the workspace's own templates, with their number of sections."""
    return (
        ProfileTemplate.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .select_related("based_on")
        .annotate(section_count=Count("sections"))
        .order_by("-workspace", "name", "pk")
    )


def template_sections(template: ProfileTemplate) -> list[TemplateSection]:
    return list(template.sections.order_by("position", "pk"))


def edition_list(
    *, user: User | Any, workspace: Workspace, perms: frozenset[Perm]
) -> QuerySet[Edition]:
    """The workspace's editions the reader may see, newest first, with section counts."""
    editions = restrict(Edition.objects.filter(workspace=workspace), user, Perm.ACCESS)
    if Perm.VIEW_DRAFTS not in perms:
        editions = editions.filter(status=EditionStatus.PUBLISHED)
    return (
        editions.select_related("workspace", "template", "working_group", "previous")
        .annotate(
            section_count=Count("sections", distinct=True),
            approved_count=Count(
                "sections",
                filter=Q(sections__review_state=ReviewState.APPROVED),
                distinct=True,
            ),
        )
        .order_by("-number", "pk")
    )


def edition_sections(edition: Edition) -> list[Section]:
    """Sections of an edition in order, with what their rows need."""
    return list(
        edition.sections.order_by("position", "pk")
        .select_related("workspace", "submitted_by")
        .prefetch_related(Prefetch("tables", to_attr="table_list"))
    )


@dataclass
class ValueChange:
    indicator: str
    name: str
    row: str
    year: str
    old: str | None
    new: str | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "same" if self.old == self.new else "changed"


@dataclass
class SectionComparison:
    code: str
    title: str
    left: Section | None
    right: Section | None
    narrative_diff: Any = ""
    text_changed: bool = False
    values: list[ValueChange] = field(default_factory=list)

    @property
    def changed_values(self) -> list[ValueChange]:
        return [value for value in self.values if value.status != "same"]


def _reader_view(section: Section | None, perms: frozenset[Perm]) -> tuple[str, list[Any]]:
    """Narrative and tables as the reader sees them (frozen for an approved section)."""
    if section is None:
        return "", []
    content = visible_content(section, perms=perms)
    tables = shown_tables(section, sees_drafts=sees_drafts(perms, section))
    return str(content.get("narrative") or ""), tables


def _values(tables: list[dict[str, Any]]) -> dict[tuple[str, str, str], tuple[str, str]]:
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    for table in tables:
        for row in table.get("rows", []):
            for year, value in row.get("values", {}).items():
                found[(table["indicator"], row["code"], str(year))] = (table.get("name", ""), value)
    return found


def _match_key(section: Section) -> str:
    return f"code:{section.code}" if section.code else f"title:{section.title.casefold()}"


def edition_compare(
    *, left: Edition, right: Edition, perms: frozenset[Perm]
) -> list[SectionComparison]:
    """Section by section (matched by number, else title): the word diff of the narrative and
    every quoted value old → new (per indicator, row and year), in the reader's view."""
    left_sections = {_match_key(section): section for section in edition_sections(left)}
    right_sections = {_match_key(section): section for section in edition_sections(right)}
    keys = list(right_sections) + [key for key in left_sections if key not in right_sections]
    result = []
    for key in keys:
        old_section, new_section = left_sections.get(key), right_sections.get(key)
        old_text, old_tables = _reader_view(old_section, perms)
        new_text, new_tables = _reader_view(new_section, perms)
        old_values, new_values = _values(old_tables), _values(new_tables)
        values = [
            ValueChange(
                indicator=indicator,
                name=(new_values.get(value_key) or old_values.get(value_key) or ("", ""))[0],
                row=row,
                year=year,
                old=old_values[value_key][1] if value_key in old_values else None,
                new=new_values[value_key][1] if value_key in new_values else None,
            )
            for value_key in sorted(set(old_values) | set(new_values))
            for indicator, row, year in [value_key]
        ]
        shown = new_section or old_section
        assert shown is not None
        result.append(
            SectionComparison(
                code=shown.code,
                title=shown.title,
                left=old_section,
                right=new_section,
                narrative_diff=word_diff(old_text, new_text),
                text_changed=old_text != new_text,
                values=values,
            )
        )
    return result
