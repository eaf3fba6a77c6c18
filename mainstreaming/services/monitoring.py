"""Writes of monitoring and evaluation: KPIs with their targets, and progress updates.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history. Content changes of a KPI or an update go through `stakeholders.review.review_edit`
(targets as `{"2027": "40"}`, the organisation as `responsible_organisation_id`); review
transitions through `stakeholders.review`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.periods import period_sort_key
from indicators.choices import TOTAL
from indicators.models import AXIS_FIELDS, Indicator, Observation
from stakeholders.models import Organisation, User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..models import KPI, Action, Cycle, Objective, ProgressUpdate


def decimal_text(value: Decimal | int | str) -> str:
    """A decimal as plain text without exponent or trailing zeros ("12.5", "100")."""
    number = Decimal(str(value))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def targets_to_json(targets: Mapping[int, Decimal | int | str]) -> dict[str, str]:
    """{2027: Decimal("40.0")} → {"2027": "40"}: how targets are stored and compared."""
    return {str(int(year)): decimal_text(value) for year, value in sorted(targets.items())}


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require(actor: User, perm: Perm, workspace: Workspace) -> None:
    if perm not in workspace_perms(actor, workspace):
        raise PermissionDenied


def _check_baseline(baseline_year: int, targets: Mapping[int, Any]) -> None:
    if targets and baseline_year >= min(targets):
        raise ValidationError(
            {"baseline_year": _("The baseline year must come before the first target year.")},
            code="baseline_after_targets",
        )


@transaction.atomic
def kpi_create(
    *,
    actor: User,
    cycle: Cycle,
    objective: Objective | None = None,
    action: Action | None = None,
    name: str,
    unit: str,
    direction: str,
    baseline_value: Decimal,
    baseline_year: int,
    targets: Mapping[int, Decimal],
    responsible_organisation: Organisation,
    catalogue_code: str = "",
) -> KPI:
    """Add a KPI (a draft) to one objective or one action of the cycle, at the end."""
    _require(actor, Perm.EDIT, cycle.workspace)
    if (objective is None) == (action is None):
        raise ValidationError(_("A KPI belongs to one objective or one action."), code="parent")
    _check_baseline(baseline_year, targets)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
    kpi = KPI(
        cycle=cycle,
        workspace=cycle.workspace,
        objective=objective,
        action=action,
        name=name,
        unit=unit,
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        targets=targets_to_json(targets),
        responsible_organisation=responsible_organisation,
        catalogue_code=catalogue_code,
        position=KPI.objects.filter(cycle=cycle).count(),
        created_by=actor,
    )
    kpi.lock_version = 1
    _save(kpi, actor=actor)
    return kpi


def _require_delete(actor: User, items: list[Any], workspace: Workspace) -> None:
    """Editors delete what was never approved; what was approved once is part of the record
    and only a coordinator removes it."""
    perms = workspace_perms(actor, workspace)
    if Perm.EDIT not in perms:
        raise PermissionDenied
    if any(item.approved_version is not None for item in items) and (
        Perm.MANAGE_WORKSPACE not in perms
    ):
        raise PermissionDenied


def kpi_may_delete(*, actor: User, kpi: KPI, perms: frozenset[Perm]) -> bool:
    """May `actor` (holding `perms`) delete `kpi` and its updates? Agrees with `kpi_delete`."""
    if Perm.EDIT not in perms:
        return False
    if Perm.MANAGE_WORKSPACE in perms:
        return True
    return (
        kpi.approved_version is None
        and not kpi.updates.filter(approved_version__isnull=False).exists()
    )


def progress_update_may_delete(*, update: ProgressUpdate, perms: frozenset[Perm]) -> bool:
    if Perm.EDIT not in perms:
        return False
    return update.approved_version is None or Perm.MANAGE_WORKSPACE in perms


@transaction.atomic
def kpi_delete(*, actor: User, kpi: KPI) -> None:
    """Delete a KPI with its progress updates."""
    updates = list(ProgressUpdate.objects.filter(kpi=kpi).only("pk", "approved_version"))
    _require_delete(actor, [kpi, *updates], kpi.workspace)
    for update in updates:
        update._history_user = actor  # type: ignore[attr-defined]
    kpi._history_user = actor  # type: ignore[attr-defined]
    kpi.delete()


@transaction.atomic
def progress_update_create(
    *,
    actor: User,
    kpi: KPI,
    period: str,
    actual_value: Decimal,
    note: str = "",
    evidence_url: str = "",
) -> ProgressUpdate:
    """Report the KPI's actual value for a period (one update per KPI and period)."""
    _require(actor, Perm.EDIT, kpi.workspace)
    update = ProgressUpdate(
        kpi=kpi,
        workspace=kpi.workspace,
        period=(period or "").strip().upper(),
        actual_value=actual_value,
        note=note,
        evidence_url=evidence_url,
        reporter=actor,
        created_by=actor,
    )
    update.lock_version = 1
    _save(update, actor=actor)
    return update


@transaction.atomic
def progress_update_delete(*, actor: User, update: ProgressUpdate) -> None:
    _require_delete(actor, [update], update.workspace)
    update._history_user = actor  # type: ignore[attr-defined]
    update.delete()


# Actuals from the indicators -------------------------------------------------------------------


@dataclass(frozen=True)
class FedValue:
    """An approved total value of the KPI's catalogue indicator, not yet reported on the KPI."""

    period: str
    value: Decimal
    observation_id: int


def tracked_indicator(kpi: KPI, *, code: str | None = None) -> Indicator | None:
    """The indicator a KPI tracks: the workspace's own with that code, else the catalogue's."""
    code = (kpi.catalogue_code if code is None else code).strip()
    if not code:
        return None
    found = (
        Indicator.objects.filter(code=code)
        .filter(Q(workspace=kpi.workspace_id) | Q(workspace__isnull=True))
        .select_related("unit")
        .order_by(F("workspace").desc(nulls_last=True), "framework__position")
        .first()
    )
    return found


def kpi_feed_candidates(kpi: KPI) -> list[FedValue]:
    """Approved totals of the tracked indicator after the baseline year, for periods the KPI has
    no update for yet (oldest first). Values are those of the last approved version."""
    indicator = tracked_indicator(kpi)
    if indicator is None:
        return []
    reported = set(kpi.updates.values_list("period", flat=True))
    totals = {axis: TOTAL for axis in AXIS_FIELDS}
    observations = (
        Observation.objects.filter(
            workspace=kpi.workspace_id,
            indicator=indicator,
            approved_version__isnull=False,
            year__gt=kpi.baseline_year,
            **totals,
        )
        .exclude(period__in=reported)
        .only("pk", "period", "approved_snapshot")
    )
    found = [
        FedValue(
            period=observation.period,
            # KPI values keep four decimal places.
            value=Decimal(str((observation.approved_snapshot or {})["value"])).quantize(
                Decimal("0.0001")
            ),
            observation_id=observation.pk,
        )
        for observation in observations
    ]
    return sorted(found, key=lambda fed: period_sort_key(fed.period))


@transaction.atomic
def kpi_feed_from_indicator(*, actor: User, kpi: KPI) -> list[ProgressUpdate]:
    """Report the tracked indicator's approved values as draft progress updates of the KPI.

    The updates are reviewed like any other before they count; each note says where the value
    comes from. Periods the KPI already has an update for are left alone.
    """
    _require(actor, Perm.EDIT, kpi.workspace)
    indicator = tracked_indicator(kpi)
    if indicator is None:
        raise ValidationError(
            _("This KPI does not track an indicator of the catalogue."), code="no_indicator"
        )
    created = []
    for fed in kpi_feed_candidates(kpi):
        note = _(
            "Approved value of indicator %(code)s (%(name)s) for %(period)s, brought in from the "
            "workspace's indicator data."
        ) % {"code": indicator.code, "name": indicator.name, "period": fed.period}
        created.append(
            progress_update_create(
                actor=actor, kpi=kpi, period=fed.period, actual_value=fed.value, note=str(note)
            )
        )
    return created
