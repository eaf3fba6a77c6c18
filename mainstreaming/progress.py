"""Is a KPI on track? The status rule of the monitoring stage (pure Python, no queries).

How status is computed (the same words are on the monitoring dashboard):

1. The latest value is the progress update with the latest period (a year counts as its
   December, a quarter as its last month; a year comes after the quarter or month ending
   it). Without any update the status is "no data".
2. Without any target the status is "no data". The target used is the one of the first target
   year at or after the latest update's year; if every target year is earlier, the last one.
3. The value expected at the latest update's time is read on the straight line from the
   baseline (at the end of the baseline year) to the target (at the end of its year); a time
   before or after that line takes its first or last value. The time of a period is
   year + month / 12 of its last month.
4. With d = +1 when higher is better and −1 when lower is better:
   * a value at or beyond the target (d·(actual − target) ≥ 0) is **on track**;
   * else, if no change was expected by then (required = d·(expected − baseline) ≤ 0), the KPI
     is **on track** when it has not moved the wrong way from the baseline, else **off track**;
   * else the share of the expected change achieved, d·(actual − baseline) / required, makes it
     **on track** from 0.9, **at risk** from 0.6, **off track** below.

Readers who may see drafts get the KPI's current values and every update; everyone else the
approved snapshot of the KPI and only approved updates, with their approved values
(`kpi_values_for`, `update_values_for`, `progress_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.periods import period_sort_key

from .choices import Direction, ProgressStatus

ON_TRACK_RATIO = Decimal("0.9")
AT_RISK_RATIO = Decimal("0.6")
TWELVE = Decimal(12)


@dataclass(frozen=True)
class KpiValues:
    """The values of a KPI the rule needs (a draft or an approved snapshot)."""

    direction: str
    baseline_value: Decimal
    baseline_year: int
    targets: Mapping[int, Decimal]


@dataclass(frozen=True)
class UpdateValue:
    """One reported value: its period (2024, 2024-Q2, 2024-05) and the actual value."""

    period: str
    actual_value: Decimal


class Basis:
    """Which branch of the rule decided the status (to explain it)."""

    NO_UPDATES = "no_updates"
    NO_TARGETS = "no_targets"
    TARGET_MET = "target_met"
    NO_CHANGE_REQUIRED = "no_change_required"
    SHARE_OF_CHANGE = "share_of_change"


@dataclass(frozen=True)
class KpiProgress:
    status: str
    latest_period: str | None = None
    latest_value: Decimal | None = None
    target: Decimal | None = None
    target_year: int | None = None
    expected: Decimal | None = None
    basis: str = Basis.NO_UPDATES
    ratio: Decimal | None = None

    @property
    def status_label(self) -> str:
        return str(ProgressStatus(self.status).label)

    @property
    def reason(self) -> str:
        """One sentence saying why the KPI has this status."""
        if self.basis == Basis.NO_UPDATES:
            return _("No progress update has been reported yet.")
        if self.basis == Basis.NO_TARGETS:
            return _("The KPI has no target to compare the latest value with.")
        values = {
            "value": _number(self.latest_value),
            "period": self.latest_period,
            "target": _number(self.target),
            "year": self.target_year,
            "expected": _number(self.expected),
        }
        if self.basis == Basis.TARGET_MET:
            return (
                _(
                    "The latest value (%(value)s in %(period)s) meets the %(year)s target "
                    "(%(target)s)."
                )
                % values
            )
        if self.basis == Basis.NO_CHANGE_REQUIRED:
            if self.status == ProgressStatus.ON_TRACK:
                return (
                    _(
                        "No change was expected by %(period)s and the latest value (%(value)s) "
                        "has not moved away from the target."
                    )
                    % values
                )
            return (
                _(
                    "No change was expected by %(period)s, but the latest value (%(value)s) "
                    "moved away from the target."
                )
                % values
            )
        return _(
            "The latest value (%(value)s in %(period)s) achieves %(share)s%% of the change "
            "expected by then (expected %(expected)s on the way to %(target)s in %(year)s)."
        ) % {**values, "share": _number((self.ratio or Decimal(0)) * 100, places=0)}


def _number(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return "—"
    if places is not None:
        value = value.quantize(Decimal(1) if places == 0 else Decimal(10) ** -places)
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def latest_key(period: str) -> tuple[int, int, int]:
    """Sort key of periods by their end; a year comes after the quarter or month ending it."""
    year, month = period_sort_key(period)
    return year, month, -len(period)


def period_time(period: str) -> Decimal:
    """The time of a period's end on a year scale: year + last month / 12."""
    year, month = period_sort_key(period)
    return Decimal(year) + Decimal(month) / TWELVE


def target_for(targets: Mapping[int, Decimal], year: int) -> tuple[int, Decimal] | None:
    """The target of the first target year ≥ `year`, else the last target year's (None: none)."""
    if not targets:
        return None
    years = sorted(targets)
    chosen = next((each for each in years if each >= year), years[-1])
    return chosen, targets[chosen]


def expected_value(
    *, baseline_year: int, baseline: Decimal, target_year: int, target: Decimal, at: Decimal
) -> Decimal:
    """The value on the line from the baseline to the target at time `at` (clamped)."""
    start = Decimal(baseline_year + 1)
    end = Decimal(target_year + 1)
    if end <= start or at >= end:
        return target
    if at <= start:
        return baseline
    return baseline + (target - baseline) * (at - start) / (end - start)


def kpi_progress(kpi_values: KpiValues, updates: Iterable[UpdateValue]) -> KpiProgress:
    """The status of a KPI from its values and its (visible) updates; see the module docstring."""
    latest = max(updates, key=lambda u: latest_key(u.period), default=None)
    if latest is None:
        return KpiProgress(status=ProgressStatus.NO_DATA, basis=Basis.NO_UPDATES)
    found = target_for(kpi_values.targets, period_sort_key(latest.period)[0])
    if found is None:
        return KpiProgress(
            status=ProgressStatus.NO_DATA,
            latest_period=latest.period,
            latest_value=latest.actual_value,
            basis=Basis.NO_TARGETS,
        )
    target_year, target = found
    baseline = kpi_values.baseline_value
    actual = latest.actual_value
    expected = expected_value(
        baseline_year=kpi_values.baseline_year,
        baseline=baseline,
        target_year=target_year,
        target=target,
        at=period_time(latest.period),
    )
    d = -1 if kpi_values.direction == Direction.LOWER else 1
    common: dict[str, Any] = {
        "latest_period": latest.period,
        "latest_value": actual,
        "target": target,
        "target_year": target_year,
        "expected": expected,
    }
    if d * (actual - target) >= 0:
        return KpiProgress(status=ProgressStatus.ON_TRACK, basis=Basis.TARGET_MET, **common)
    required = d * (expected - baseline)
    if required <= 0:
        status = (
            ProgressStatus.ON_TRACK if d * (actual - baseline) >= 0 else ProgressStatus.OFF_TRACK
        )
        return KpiProgress(status=status, basis=Basis.NO_CHANGE_REQUIRED, **common)
    ratio = d * (actual - baseline) / required
    if ratio >= ON_TRACK_RATIO:
        status = ProgressStatus.ON_TRACK
    elif ratio >= AT_RISK_RATIO:
        status = ProgressStatus.AT_RISK
    else:
        status = ProgressStatus.OFF_TRACK
    return KpiProgress(status=status, basis=Basis.SHARE_OF_CHANGE, ratio=ratio, **common)


# Picking what a reader sees ------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def kpi_values_for(kpi: Any, *, sees_drafts: bool) -> KpiValues | None:
    """The KPI's current values for drafts readers, else its approved snapshot (None if never
    approved)."""
    if sees_drafts:
        content: Mapping[str, Any] = kpi.review_content()
    else:
        if kpi.approved_version is None or not kpi.approved_snapshot:
            return None
        content = kpi.approved_snapshot
    return kpi_values_from(content)


def kpi_values_from(content: Mapping[str, Any]) -> KpiValues | None:
    """The rule's values from a KPI's content (its draft or its approved snapshot; None when
    the content has no baseline)."""
    baseline = _decimal(content.get("baseline_value"))
    if baseline is None:
        return None
    targets: dict[int, Decimal] = {}
    for year, value in (content.get("targets") or {}).items():
        number = _decimal(value)
        if number is not None:
            targets[int(year)] = number
    return KpiValues(
        direction=str(content.get("direction") or Direction.HIGHER),
        baseline_value=baseline,
        baseline_year=int(content.get("baseline_year") or 0),
        targets=targets,
    )


def update_values_for(updates: Iterable[Any], *, sees_drafts: bool) -> list[UpdateValue]:
    """Every update's current values for drafts readers, else approved updates' approved values."""
    values = []
    for update in updates:
        if sees_drafts:
            period, actual = update.period, update.actual_value
        elif update.approved_version is not None and update.approved_snapshot:
            period = update.approved_snapshot.get("period")
            actual = update.approved_snapshot.get("actual_value")
        else:
            continue
        number = _decimal(actual)
        if period and number is not None:
            values.append(UpdateValue(period=str(period), actual_value=number))
    return values


def progress_for(kpi: Any, updates: Iterable[Any], *, sees_drafts: bool) -> KpiProgress:
    """The status of `kpi` as a reader sees it (`updates`: its updates, already fetched)."""
    values = kpi_values_for(kpi, sees_drafts=sees_drafts)
    if values is None:
        return KpiProgress(status=ProgressStatus.NO_DATA, basis=Basis.NO_TARGETS)
    return kpi_progress(values, update_values_for(updates, sees_drafts=sees_drafts))
