"""Checks on an observation's period, breakdown and value, shared by forms, grids, API and imports.

Each check returns messages instead of raising, so that an import can report every problem of
every row at once without touching the database per row.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.countries import is_country
from core.periods import period_error

from .choices import AXIS_CODES, FIRST_YEAR, LAST_YEAR, TOTAL, Axis

if TYPE_CHECKING:
    from .models import DataSource, Indicator


def axis_error(axis: str, code: str) -> str:
    """Why `code` is not a code of `axis` ('' when it is)."""
    if axis == Axis.PARTNER_COUNTRY:
        if code == TOTAL or is_country(code):
            return ""
        return _("“%(code)s” is not an ISO 3166-1 alpha-3 country code or _T.") % {"code": code}
    codes = AXIS_CODES[axis]
    if code in codes:
        return ""
    return _("“%(code)s” is not a code of %(axis)s; use one of %(codes)s.") % {
        "code": code,
        "axis": Axis(axis).label.lower(),
        "codes": ", ".join(codes),
    }


def breakdown_errors(indicator: Indicator, axes: dict[str, str]) -> dict[str, str]:
    """Problems with a breakdown: unknown codes, or an axis the indicator does not allow."""
    allowed = set(indicator.disaggregations or [])
    errors: dict[str, str] = {}
    for axis in Axis.values:
        code = axes.get(axis) or TOTAL
        if code == TOTAL:
            continue
        if axis not in allowed:
            errors[axis] = _("%(indicator)s is not disaggregated by %(axis)s.") % {
                "indicator": indicator.code,
                "axis": Axis(axis).label.lower(),
            }
            continue
        problem = axis_error(axis, code)
        if problem:
            errors[axis] = problem
    return errors


def parse_value(indicator: Indicator, raw: Any) -> tuple[Decimal | None, str]:
    """(value, '') from user input, or (None, reason). An ordinal takes its rank or its label."""
    if isinstance(raw, Decimal):
        return raw, ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(str(raw)), ""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, _("Enter a value.")
    if indicator.is_ordinal:
        for rank, label in enumerate(indicator.categories or [], start=1):
            if text.casefold() == str(label).casefold():
                return Decimal(rank), ""
    if "," in text and "." in text:
        text = text.replace(",", "")  # thousands separators: 1,234.5
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("“%(value)s” is not a number.") % {"value": text}
    if not value.is_finite():
        return None, _("“%(value)s” is not a number.") % {"value": text}
    return value, ""


def observation_errors(
    *,
    indicator: Indicator,
    workspace_id: int | None,
    period: str,
    axes: dict[str, str],
    value: Decimal | None,
    source: DataSource | None = None,
) -> dict[str, str]:
    """Every problem with one observation, by field ({} when there is none)."""
    errors: dict[str, str] = {}
    if indicator.workspace_id is not None and indicator.workspace_id != workspace_id:
        errors["indicator"] = _("Choose a catalogue indicator or one of this workspace's own.")
    problem = period_error(period, first_year=FIRST_YEAR, last_year=LAST_YEAR)
    if problem:
        errors["period"] = problem
    errors.update(breakdown_errors(indicator, axes))
    if value is not None:
        problem = indicator.value_error(value)
        if problem:
            errors["value"] = problem
    if source is not None and source.workspace_id != workspace_id:
        errors["source"] = _("Choose one of this workspace's data sources.")
    return errors
