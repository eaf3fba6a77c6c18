"""Indicator tables of a profile section: live approved values, frozen at approval.

A table is one indicator of the workspace over the table's years, as totals or broken down by
one axis. Values are the **approved** values of yearly observations (the last approved version,
even while a correction is in review), so a draft section shows what is approved today and an
approved section keeps the values it was approved with (`Section.frozen_tables`).

The data of a table is plain JSON (codes, not translated labels) so that it can be frozen:
{"table": id, "indicator": code, "name": …, "unit": …, "axis": "" | axis, "kind": …,
 "years": [2019, …], "rows": [{"code": "_T" | axis code, "values": {"2019": "12.5", …}}]}
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from indicators.choices import AXIS_CODES, TOTAL
from indicators.models import AXIS_FIELDS, Observation

if TYPE_CHECKING:
    from .models import Section, SectionTable


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def live_tables(section: Section, tables: list[SectionTable] | None = None) -> list[dict[str, Any]]:
    """The section's tables with today's approved values (one query for all of them)."""
    if tables is None:
        tables = list(section.tables.select_related("indicator__unit"))
    if not tables:
        return []
    years = {str(year) for table in tables for year in range(table.first_year, table.last_year + 1)}
    observations = (
        Observation.objects.filter(
            workspace=section.workspace_id,
            indicator__in={table.indicator_id for table in tables},
            approved_version__isnull=False,
            period__in=years,
        )
        .only("indicator_id", "period", "approved_snapshot", *AXIS_FIELDS)
        .order_by()
    )
    # (indicator, year, axes) → approved value
    found: dict[tuple[int, str, tuple[str, ...]], str] = {}
    for observation in observations:
        key = tuple(getattr(observation, axis) for axis in AXIS_FIELDS)
        approved = Decimal(str((observation.approved_snapshot or {})["value"]))
        found[(observation.indicator_id, observation.period, key)] = _plain(approved)
    result = []
    for table in tables:
        table_years = list(range(table.first_year, table.last_year + 1))
        rows: dict[str, dict[str, str]] = defaultdict(dict)
        codes = list(AXIS_CODES.get(table.axis, {})) if table.axis else [TOTAL]
        for (indicator_id, period, axes), value in found.items():
            if indicator_id != table.indicator_id or int(period) not in table_years:
                continue
            by_axis = dict(zip(AXIS_FIELDS, axes, strict=True))
            others_total = all(
                code == TOTAL for axis, code in by_axis.items() if axis != table.axis
            )
            if not others_total:
                continue
            code = by_axis[table.axis] if table.axis else TOTAL
            if not table.axis and code != TOTAL:
                continue
            rows[code][period] = value
        ordered = [code for code in codes if code in rows or code == TOTAL]
        ordered += sorted(code for code in rows if code not in ordered)
        result.append(
            {
                "table": table.pk,
                "indicator": table.indicator.code,
                "name": table.indicator.name,
                "unit": table.indicator.unit.name,
                "axis": table.axis,
                "kind": table.kind,
                "years": table_years,
                "rows": [{"code": code, "values": dict(rows.get(code, {}))} for code in ordered],
            }
        )
    return result


def freeze_tables(section: Section) -> list[dict[str, Any]]:
    """What `Section.before_approval` stores: the live tables at the moment of approval."""
    return live_tables(section)


def shown_tables(section: Section, *, sees_drafts: bool) -> list[dict[str, Any]]:
    """Tables as a reader sees them: live for a draft read by someone who sees drafts; the
    approved snapshot's frozen tables otherwise (and for an approved section, always)."""
    from stakeholders.review import ReviewState

    if sees_drafts and section.review_state != ReviewState.APPROVED:
        return live_tables(section)
    snapshot = section.approved_snapshot or {}
    return list(snapshot.get("frozen_tables") or [])
