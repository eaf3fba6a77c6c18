"""The reading of an edition: title page, sections in order with their tables, the statistical
annex and the data sources cited, for the printable page and its JSON twin.

Which text a reader gets: readers who see drafts get each section's current text and live
tables (marked as drafts when not approved), unless they ask for the approved version; the
other readers (who only ever reach published editions, see `selectors.editions.edition_list`)
get each section's approved snapshot and frozen tables, and sections never approved are left
out. The queries do not grow with the number of sections: tables of every draft section are
read live in one query, and frozen tables come from the snapshots already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch

from core.charts import Series, line_chart
from indicators.choices import AXIS_CODES, TOTAL, Axis
from indicators.models import DataSource
from stakeholders.permissions import Perm
from stakeholders.review import ReviewState

from ..choices import Part
from ..models import Edition, Section, SectionTable
from ..tables import live_tables


@dataclass
class ReadingSection:
    """One section as this reader reads it."""

    pk: int
    anchor: str
    code: str
    part: str
    title: str
    narrative: str
    is_draft: bool
    tables: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReadingPart:
    code: str
    title: str
    anchor: str
    sections: list[ReadingSection] = field(default_factory=list)


@dataclass
class EditionReading:
    edition: Edition
    approved_only: bool
    parts: list[ReadingPart]
    annex: list[ReadingSection]
    sources: list[DataSource]

    @property
    def sections(self) -> list[ReadingSection]:
        return [section for part in self.parts for section in part.sections] + self.annex


def row_label(axis: str, code: str) -> str:
    """The reader's label of a row code (codes are what snapshots store)."""
    if code == TOTAL:
        return str(AXIS_CODES[Axis.SEX][TOTAL])
    return str(AXIS_CODES.get(axis, {}).get(code, code)) if axis else code


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(Decimal(value))
    except (InvalidOperation, ValueError):
        return None


def with_labels(table: dict[str, Any], *, chart_id: str) -> dict[str, Any]:
    """A table's JSON plus what the page shows: row labels, cells per year, and an SVG chart
    for tables shown as charts (with the table as its text alternative)."""
    years = [str(year) for year in table.get("years", [])]
    rows = [
        {
            "code": row["code"],
            "label": row_label(table.get("axis", ""), row["code"]),
            "cells": [row["values"].get(year) for year in years],
        }
        for row in table.get("rows", [])
    ]
    shown = {**table, "year_labels": years, "labelled_rows": rows, "chart": ""}
    if table.get("kind") == "chart" and any(v for row in rows for v in row["cells"]):
        shown["chart"] = line_chart(
            title=f"{table.get('indicator', '')} {table.get('name', '')}",
            series=[
                Series(name=row["label"], values=[_number(v) for v in row["cells"]]) for row in rows
            ],
            x_labels=years,
            y_label=str(table.get("unit", "")),
            chart_id=chart_id,
        )
    return shown


def _tables(section: Section) -> list[SectionTable]:
    """The section's tables as prefetched by `edition_reading`."""
    return list(getattr(section, "table_list", []))


def edition_reading(
    *, edition: Edition, perms: frozenset[Perm], approved_only: bool = False
) -> EditionReading:
    """What the reader of `edition` reads (the caller has checked they may read the edition)."""
    sees_drafts = Perm.VIEW_DRAFTS in perms and not approved_only
    sections = list(
        Section.objects.filter(edition=edition)
        .order_by("position", "pk")
        .select_related("workspace")
        .prefetch_related(
            Prefetch(
                "tables",
                queryset=SectionTable.objects.select_related("indicator__unit").order_by(
                    "position", "pk"
                ),
                to_attr="table_list",
            ),
            Prefetch("sources", queryset=DataSource.objects.order_by("name", "pk")),
        )
    )
    drafts = [s for s in sections if sees_drafts and s.review_state != ReviewState.APPROVED]
    live: dict[int, dict[str, Any]] = {}
    draft_tables = [table for section in drafts for table in _tables(section)]
    if drafts and draft_tables:
        live = {table["table"]: table for table in live_tables(drafts[0], draft_tables)}

    parts: dict[str, ReadingPart] = {}
    annex: list[ReadingSection] = []
    sources: dict[int, DataSource] = {}
    for section in sections:
        if section in drafts:
            content: dict[str, Any] = {"title": section.title, "narrative": section.narrative}
            tables = [live[t.pk] for t in _tables(section) if t.pk in live]
        else:
            if section.approved_version is None:
                continue  # never approved: nothing to read for this reader
            content = dict(section.approved_snapshot or {})
            tables = list(content.get("frozen_tables") or [])
        anchor = f"section-{section.pk}"
        reading = ReadingSection(
            pk=section.pk,
            anchor=anchor,
            code=section.code,
            part=section.part,
            title=str(content.get("title") or section.title),
            narrative=str(content.get("narrative") or ""),
            is_draft=section in drafts,
            tables=[
                with_labels(table, chart_id=f"{anchor}-chart-{index}")
                for index, table in enumerate(tables, start=1)
            ],
        )
        for source in section.sources.all():
            sources.setdefault(source.pk, source)
        if section.part == Part.ANNEX:
            annex.append(reading)
            continue
        if section.part not in parts:
            parts[section.part] = ReadingPart(
                code=section.part,
                title=str(Part(section.part).label),
                anchor=f"part-{section.part.lower()}",
            )
        parts[section.part].sections.append(reading)
    return EditionReading(
        edition=edition,
        approved_only=not sees_drafts,
        parts=list(parts.values()),
        annex=annex,
        sources=sorted(sources.values(), key=lambda source: (source.name.lower(), source.pk)),
    )


def reading_as_json(reading: EditionReading) -> dict[str, Any]:
    """The reading as plain JSON (codes, not labels; Markdown as written)."""
    edition = reading.edition

    def one(section: ReadingSection) -> dict[str, Any]:
        return {
            "id": section.pk,
            "code": section.code,
            "part": section.part,
            "title": section.title,
            "narrative": section.narrative,
            "is_draft": section.is_draft,
            "tables": [
                {k: v for k, v in table.items() if k not in ("labelled_rows", "chart")}
                | {"year_labels": table["year_labels"]}
                for table in section.tables
            ],
        }

    return {
        "id": edition.pk,
        "number": edition.number,
        "title": edition.title,
        "reference_start_year": edition.reference_start_year,
        "reference_end_year": edition.reference_end_year,
        "language": edition.language,
        "status": edition.status,
        "published_at": edition.published_at.isoformat() if edition.published_at else None,
        "working_group": str(edition.working_group) if edition.working_group_id else None,
        "approved_only": reading.approved_only,
        "sections": [one(s) for part in reading.parts for s in part.sections],
        "annex": [one(s) for s in reading.annex],
        "sources": [
            {"id": source.pk, "name": source.name, "url": source.url} for source in reading.sources
        ],
    }
