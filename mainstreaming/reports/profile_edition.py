"""The Extended Migration Profile edition as a publication: title page, table of contents with
page numbers, the sections from their approved snapshots (current drafts only for a drafts-level
report), the statistical annex and the sources cited.

Parameters: `{"edition": <id>}` — an edition of the report's workspace; readers without drafts
may only have a published one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from indicators.choices import TOTAL
from indicators.models import Indicator
from profiles.choices import EditionStatus
from profiles.models import Edition
from profiles.selectors.reading import EditionReading, edition_reading, with_labels
from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..choices import ReportKind
from ..models import Report
from . import register
from .common import (
    ReportParameterError,
    document_context,
    int_parameter,
    render_document,
    sees_drafts,
    shown_count,
)

TEMPLATE = "reports/documents/profile_edition.html"


def edition_for(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> Edition:
    pk = int_parameter(parameters, "edition")
    edition = None
    if pk is not None and Perm.ACCESS in perms:
        editions = Edition.objects.filter(workspace=workspace, pk=pk)
        if not sees_drafts(perms):
            editions = editions.filter(status=EditionStatus.PUBLISHED)
        edition = editions.select_related("workspace", "working_group", "published_by").first()
    if edition is None:
        raise ReportParameterError(
            _("Choose an edition of this workspace's migration profile that has been published.")
            if not sees_drafts(perms)
            else _("Choose an edition of this workspace's migration profile.")
        )
    return edition


def validate_parameters(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    """'' when the parameters name an edition the reader may have, else what is wrong."""
    try:
        edition_for(workspace, parameters, perms)
    except ReportParameterError as error:
        return str(error)
    return ""


def default_title(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    return edition_for(workspace, parameters, perms).title


def _count_indicator_codes(reading: EditionReading) -> set[str]:
    """Codes of the tables' indicators whose unit counts people or events (one query)."""
    from indicators.suppression import COUNT_UNITS

    codes = {str(table.get("indicator", "")) for s in reading.sections for table in s.tables}
    if not codes:
        return set()
    workspace = reading.edition.workspace
    return set(
        Indicator.objects.filter(code__in=codes, unit__code__in=COUNT_UNITS)
        .filter(Q(framework__isnull=False) | Q(workspace=workspace))
        .values_list("code", flat=True)
    )


def suppress_tables(reading: EditionReading, perms: frozenset[Perm]) -> None:
    """Print small disaggregated counts as "<N" (and leave them out of charts) for readers
    without drafts; totals stay."""
    if sees_drafts(perms):
        return
    workspace = reading.edition.workspace
    counts = _count_indicator_codes(reading)
    for section in reading.sections:
        for index, table in enumerate(section.tables):
            if table.get("indicator") not in counts:
                continue
            hidden: dict[tuple[str, str], str] = {}
            for row in table.get("rows", []):
                for year, value in row["values"].items():
                    if value is None or row["code"] == TOTAL:
                        continue
                    text = shown_count(
                        value, unit_code="number", is_total=False, workspace=workspace, perms=perms
                    )
                    if text.startswith("<"):
                        hidden[(row["code"], year)] = text
            if not hidden:
                continue
            plain = {
                key: value
                for key, value in table.items()
                if key not in ("year_labels", "labelled_rows", "chart")
            }
            plain["rows"] = [
                {
                    "code": row["code"],
                    "values": {
                        year: value
                        for year, value in row["values"].items()
                        if (row["code"], year) not in hidden
                    },
                }
                for row in table.get("rows", [])
            ]
            shown = with_labels(plain, chart_id=f"{section.anchor}-chart-{index + 1}")
            for row in shown["labelled_rows"]:
                row["cells"] = [
                    hidden.get((row["code"], year), cell)
                    for year, cell in zip(shown["year_labels"], row["cells"], strict=True)
                ]
            section.tables[index] = shown


@register(ReportKind.PROFILE_EDITION)
def build(report: Report, perms: frozenset[Perm]) -> str:
    edition = edition_for(report.workspace, report.parameters, perms)
    reading = edition_reading(edition=edition, perms=perms)
    for section in reading.sections:
        section.narrative_html = render_markdown(section.narrative)  # type: ignore[attr-defined]
    suppress_tables(reading, perms)
    context = document_context(
        report,
        perms,
        title=report.title or edition.title,
        edition=edition,
        reading=reading,
        running_title=edition.title,
    )
    return render_document(TEMPLATE, context)
