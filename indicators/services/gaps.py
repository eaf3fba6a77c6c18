"""Writes of data gaps: record, change, close and delete; one from a coverage-matrix cell.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
gap's history (django-simple-history). Editors and coordinators (Perm.EDIT) write.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stakeholders.models import Organisation, User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..choices import GapReason, GapStatus
from ..models import DataGap, Indicator, Observation

# The fields a caller may set on a gap (create and update).
GAP_FIELDS = (
    "indicator",
    "year",
    "reason",
    "owner",
    "planned_action",
    "planned_date",
    "status",
    "note",
)


def _require(actor: User, workspace: Workspace) -> None:
    if Perm.EDIT not in workspace_perms(actor, workspace):
        raise PermissionDenied


def _save(gap: DataGap, *, actor: User) -> None:
    gap.full_clean()
    gap._history_user = actor  # type: ignore[attr-defined]
    gap.save()


def _check_indicator(indicator: Indicator, workspace: Workspace) -> None:
    if indicator.workspace_id is not None and indicator.workspace_id != workspace.pk:
        raise ValidationError(
            {"indicator": _("Choose a catalogue indicator or one of this workspace's own.")}
        )


@transaction.atomic
def data_gap_create(
    *,
    actor: User,
    workspace: Workspace,
    indicator: Indicator,
    reason: str,
    year: int | None = None,
    owner: Organisation | None = None,
    planned_action: str = "",
    planned_date: datetime.date | None = None,
    status: str = GapStatus.OPEN,
    note: str = "",
) -> DataGap:
    """Record a gap in the workspace's data for an indicator (and a year, if about one)."""
    _require(actor, workspace)
    _check_indicator(indicator, workspace)
    gap = DataGap(
        workspace=workspace,
        indicator=indicator,
        year=year,
        reason=reason,
        owner=owner,
        planned_action=planned_action,
        planned_date=planned_date,
        status=status,
        note=note,
        created_by=actor,
    )
    _save(gap, actor=actor)
    return gap


def data_gap_reason_for_cell(*, workspace: Workspace, indicator: Indicator, year: int) -> str:
    """The likely reason a cell has no approved value: values waiting for approval, or none."""
    waiting = Observation.objects.filter(
        workspace=workspace, indicator=indicator, year=year, approved_version__isnull=True
    ).exists()
    return GapReason.NOT_APPROVED if waiting else GapReason.NOT_COLLECTED


@transaction.atomic
def data_gap_create_for_cell(
    *, actor: User, workspace: Workspace, indicator: Indicator, year: int
) -> DataGap:
    """One click on a coverage-matrix cell: a gap for that indicator and year.

    An open gap already recorded for the cell is returned instead of a second one."""
    _require(actor, workspace)
    existing = (
        DataGap.objects.filter(workspace=workspace, indicator=indicator, year=year)
        .exclude(status=GapStatus.CLOSED)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    reason = data_gap_reason_for_cell(workspace=workspace, indicator=indicator, year=year)
    return data_gap_create(
        actor=actor, workspace=workspace, indicator=indicator, year=year, reason=reason
    )


@transaction.atomic
def data_gap_update(*, actor: User, gap: DataGap, **changes: Any) -> DataGap:
    """Change some of a gap's fields (any of `GAP_FIELDS`)."""
    _require(actor, gap.workspace)
    unknown = set(changes) - set(GAP_FIELDS)
    if unknown:
        raise TypeError(f"unknown gap fields: {sorted(unknown)}")
    gap = DataGap.objects.select_for_update().select_related("workspace").get(pk=gap.pk)
    if "indicator" in changes:
        _check_indicator(changes["indicator"], gap.workspace)
    for name, value in changes.items():
        setattr(gap, name, value)
    _save(gap, actor=actor)
    return gap


def data_gap_close(*, actor: User, gap: DataGap) -> DataGap:
    """Mark a gap closed (the data now exist, or the gap was accepted)."""
    return data_gap_update(actor=actor, gap=gap, status=GapStatus.CLOSED)


@transaction.atomic
def data_gap_delete(*, actor: User, gap: DataGap) -> None:
    """Delete a gap recorded by mistake (its history keeps the deletion)."""
    _require(actor, gap.workspace)
    gap._history_user = actor  # type: ignore[attr-defined]
    gap.delete()
