"""Reads of profile sections: restricted querysets and what a section page shows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from indicators.choices import AXIS_CODES, TOTAL
from stakeholders.models import Workspace
from stakeholders.permissions import Perm, restrict_readable_with

from ..models import Recommendation, Section, SectionTable
from ..tables import shown_tables


def section_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Section]:
    """Sections of `workspace` the holder of `perms` may read (drafts only for draft readers)."""
    return restrict_readable_with(
        Section.objects.filter(workspace=workspace).select_related("edition", "workspace"),
        perms,
    )


def section_table_list(*, section: Section) -> QuerySet[SectionTable]:
    return (
        SectionTable.objects.filter(section=section)
        .select_related("indicator__unit")
        .order_by("position", "pk")
    )


def recommendation_list(*, section: Section) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(section=section)
        .prefetch_related("priorities")
        .order_by("position", "pk")
    )


def _label(axis: str, code: str) -> str:
    if code == TOTAL:
        return str(AXIS_CODES.get(axis, {}).get(TOTAL, "Total")) if axis else "Total"
    return str(AXIS_CODES.get(axis, {}).get(code, code))


def section_tables_for_display(section: Section, *, sees_drafts: bool) -> list[dict[str, Any]]:
    """The tables a reader sees (live or frozen, `profiles.tables.shown_tables`), with the
    labels of their axis codes for display."""
    from django.utils.translation import gettext as _

    tables = shown_tables(section, sees_drafts=sees_drafts)
    for table in tables:
        for row in table["rows"]:
            row["label"] = (
                _("Total") if row["code"] == TOTAL else _label(table["axis"], row["code"])
            )
            row["cells"] = [row["values"].get(str(year)) for year in table["years"]]
    return tables
