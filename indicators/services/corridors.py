"""Marking which indicator series a workspace shares with one of its corridors (issue 5).

Only the coordinators of a side (`CORRIDOR_SHARE`) mark series, only on an active corridor, and
only series with at least one approved value; the partner then reads approved values only
(indicators.selectors.corridors).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stakeholders.models import Corridor, User, Workspace
from stakeholders.permissions import CORRIDOR_SHARE, can

from ..models import Indicator, SharedSeries
from ..selectors.corridors import shareable_indicators


def check_corridor_sharing(*, actor: User, corridor: Corridor, workspace: Workspace) -> None:
    """Refuse unless `actor` may share for `workspace`, a side of the active `corridor`."""
    if workspace.pk not in (corridor.proposer_id, corridor.partner_id):
        raise PermissionDenied
    if not can(actor, CORRIDOR_SHARE, workspace):
        raise PermissionDenied
    if not corridor.is_active:
        raise ValidationError(_("Items are shared with an active corridor only."))


def series_share_set(
    *, actor: User, corridor: Corridor, workspace: Workspace, indicators: Iterable[Indicator]
) -> set[int]:
    """Make `workspace`'s shared series for `corridor` exactly `indicators`; their ids back."""
    check_corridor_sharing(actor=actor, corridor=corridor, workspace=workspace)
    wanted = {indicator.pk for indicator in indicators}
    allowed = set(
        shareable_indicators(workspace=workspace).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(
            {"indicators": _("Only series with approved values of this workspace can be shared.")}
        )
    with transaction.atomic():
        current = SharedSeries.objects.filter(corridor=corridor, workspace=workspace)
        current.exclude(indicator_id__in=wanted).delete()
        held = set(current.values_list("indicator_id", flat=True))
        for indicator_id in sorted(wanted - held):
            mark = SharedSeries(
                corridor=corridor, workspace=workspace, indicator_id=indicator_id, shared_by=actor
            )
            mark.full_clean()
            mark.save()
    return wanted
