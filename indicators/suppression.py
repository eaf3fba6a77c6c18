"""Small-cell suppression: disaggregated counts below a workspace's threshold are not shown.

Rules (one place, used by the observer pages, the CSV/XLSX/SDMX-CSV exports and the PDFs):

- Only **counts** are suppressed: indicators whose unit is `number` or `net-number` (a percent
  or a rate does not identify people by itself).
- Only **disaggregated** cells: a total (every axis `_T`) is never suppressed.
- A count is small when its absolute value is below the threshold (a net number can be
  negative); zero counts as small, since "0" reveals as much as "1" about a group.
- The workspace's `suppression_threshold` (default 5) decides; 0 turns suppression off.
- It applies to readers who do not see drafts (observers, contributors, the national
  coordinator reading a city): editors, reviewers and coordinators see the real values.
- Pages, CSV and XLSX show the text "<5"; in SDMX-CSV OBS_VALUE is left empty and the
  `CONF_STATUS` column carries `C` (confidential, SDMX cross-domain code list CL_CONF_STATUS) —
  CL_OBS_STATUS has no confidential code, so OBS_STATUS keeps the quality flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from .choices import TOTAL

COUNT_UNITS = frozenset({"number", "net-number"})
CONFIDENTIAL = "C"  # SDMX CL_CONF_STATUS: confidential statistical information
FREE = "F"  # SDMX CL_CONF_STATUS: free (for dissemination)


def suppressed(
    value: Decimal | float | int | None,
    *,
    unit_code: str,
    is_total: bool,
    threshold: int,
    applies: bool,
) -> str | None:
    """ "<N" when the value must not be shown to this reader, else None (show the value)."""
    if value is None or not applies or threshold <= 0 or is_total:
        return None
    if unit_code not in COUNT_UNITS:
        return None
    if abs(Decimal(str(value))) < threshold:
        return f"<{threshold}"
    return None


def suppression_applies(perms: frozenset[Perm]) -> bool:
    """Suppression applies to readers who do not see drafts."""
    return Perm.VIEW_DRAFTS not in perms


def is_total(axes: Mapping[str, str]) -> bool:
    """A total: every axis is `_T` (missing axes count as totals)."""
    return all(code == TOTAL for code in axes.values())


def threshold_of(workspace: Workspace) -> int:
    return int(workspace.suppression_threshold or 0)


def observation_suppressed(
    observation: Any, value: Decimal, *, workspace: Workspace, perms: frozenset[Perm]
) -> str | None:
    """`suppressed` for one observation (its indicator's unit and its axes) and one reader."""
    from .models import AXIS_FIELDS

    return suppressed(
        value,
        unit_code=observation.indicator.unit.code,
        is_total=is_total({axis: getattr(observation, axis) for axis in AXIS_FIELDS}),
        threshold=threshold_of(workspace),
        applies=suppression_applies(perms),
    )
