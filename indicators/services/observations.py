"""Writes of observations: one value of an indicator for a period and a breakdown.

Keyword-only, one transaction each, validated with `indicators.validation` before anything is
saved, the actor recorded in the history. A new value is a draft; a changed value goes through
`stakeholders.review.review_edit`, which reopens an approved observation as a new draft version
(its approved snapshot stays what readers see) and refuses one that waits for review. Review
transitions go through `stakeholders.review`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import review_edit

from ..choices import TOTAL, Axis, Quality
from ..models import AXIS_FIELDS, DataSource, Indicator, Observation
from ..validation import observation_errors, parse_value


def _require(actor: User, perm: Perm, workspace: Workspace) -> frozenset[Perm]:
    perms = workspace_perms(actor, workspace)
    if perm not in perms:
        raise PermissionDenied
    return perms


def normalise_axes(axes: dict[str, Any] | None) -> dict[str, str]:
    """Every axis with its code in upper case; a missing or empty axis is the total."""
    given = axes or {}
    unknown = set(given) - set(Axis.values)
    if unknown:
        raise ValidationError(
            {
                name: _("“%(axis)s” is not a disaggregation axis.") % {"axis": name}
                for name in sorted(unknown)
            }
        )
    return {axis: (str(given.get(axis) or "").strip().upper() or TOTAL) for axis in AXIS_FIELDS}


def normalise_period(period: Any) -> str:
    return str(period or "").strip().upper()


@transaction.atomic
def observation_save(
    *,
    actor: User,
    workspace: Workspace,
    indicator: Indicator,
    period: str,
    axes: dict[str, Any] | None,
    value: Decimal | str | int | float | None,
    source: DataSource | None = None,
    quality: str = Quality.PROVISIONAL,
    note: str = "",
    expected_lock_version: int | None = None,
) -> tuple[Observation, bool]:
    """Enter a value, or change the value already there for the same natural key.

    Returns the observation and whether it was created. `expected_lock_version` is the version
    the user loaded (grids and forms send it); a stale one raises `ReviewConflict`. Without it
    the change applies to the current version.
    """
    _require(actor, Perm.EDIT, workspace)
    period = normalise_period(period)
    breakdown = normalise_axes(axes)
    errors: dict[str, Any] = {}
    number, problem = parse_value(indicator, value)
    if problem:
        errors["value"] = problem
    if quality not in Quality.values:
        errors["quality"] = _("Choose estimate, provisional or final.")
    errors.update(
        observation_errors(
            indicator=indicator,
            workspace_id=workspace.pk,
            period=period,
            axes=breakdown,
            value=number,
            source=source,
        )
    )
    if errors:
        raise ValidationError(errors)
    assert number is not None
    existing = (
        Observation.objects.select_for_update(of=("self",))
        .filter(workspace=workspace, indicator=indicator, period=period, **breakdown)
        .first()
    )
    note = (note or "").strip()
    if existing is None:
        observation = Observation(
            workspace=workspace,
            indicator=indicator,
            period=period,
            value=number,
            source=source,
            quality=quality,
            note=note,
            entered_by=actor,
            created_by=actor,
            **breakdown,
        )
        observation.lock_version = 1
        observation.full_clean()
        observation._history_user = actor  # type: ignore[attr-defined]
        observation.save()
        return observation, True
    review_edit(
        actor=actor,
        item=existing,
        expected_lock_version=(
            existing.lock_version if expected_lock_version is None else expected_lock_version
        ),
        value=number,
        source_id=source.pk if source is not None else None,
        quality=quality,
        note=note,
    )
    return existing, False


def observation_may_delete(*, observation: Observation, perms: frozenset[Perm]) -> bool:
    """Editors delete values never approved; an approved value is part of the record and only
    a coordinator removes it. Agrees with `observation_delete`."""
    if Perm.EDIT not in perms:
        return False
    return observation.approved_version is None or Perm.MANAGE_WORKSPACE in perms


@transaction.atomic
def observation_delete(*, actor: User, observation: Observation) -> None:
    perms = workspace_perms(actor, observation.workspace)
    if not observation_may_delete(observation=observation, perms=perms):
        raise PermissionDenied
    observation._history_user = actor  # type: ignore[attr-defined]
    observation.delete()
