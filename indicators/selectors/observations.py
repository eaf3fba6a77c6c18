"""Reading observations as a given reader may see them (DESIGN §3–§4).

Readers who see drafts (editors, reviewers, coordinators) see the current value of every
observation. Everyone else with access sees only observations approved at least once, with the
value of their last approved version (`approved_snapshot`), even while a correction is in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..models import Observation

SHOWN_FIELDS = ("value", "source_id", "quality", "note")


def sees_draft_values(perms: frozenset[Perm]) -> bool:
    return Perm.VIEW_DRAFTS in perms


def readable_observations(workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[Observation]:
    """The observations of `workspace` a reader holding `perms` may see at all."""
    if Perm.ACCESS not in perms:
        return Observation.objects.none()
    queryset = Observation.objects.filter(workspace=workspace)
    if not sees_draft_values(perms):
        queryset = queryset.filter(approved_version__isnull=False)
    return queryset


@dataclass(frozen=True)
class Shown:
    """What a reader is shown of one observation."""

    value: Decimal
    source_id: int | None
    quality: str
    note: str
    review_state: str
    is_draft_value: bool


def shown(observation: Observation, perms: frozenset[Perm]) -> Shown | None:
    """The value (and source, quality, note) a reader holding `perms` sees; None if nothing."""
    if sees_draft_values(perms):
        return Shown(
            value=observation.value,
            source_id=observation.source_id,
            quality=observation.quality,
            note=observation.note,
            review_state=observation.review_state,
            is_draft_value=observation.approved_version != observation.version,
        )
    snapshot: dict[str, Any] | None = observation.approved_snapshot
    if not snapshot:
        return None
    return Shown(
        value=Decimal(str(snapshot["value"])),
        source_id=snapshot.get("source_id"),
        quality=str(snapshot.get("quality", "")),
        note=str(snapshot.get("note", "")),
        review_state="approved",
        is_draft_value=False,
    )
