"""Reads on planning cycles: restricted querysets with their joins declared once."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stakeholders.models import Workspace
from stakeholders.permissions import Perm, restrict
from stakeholders.review import readable_items

from ..models import Cycle, SituationSection


def cycle_list(*, user: Any, workspace: Workspace) -> QuerySet[Cycle]:
    return (
        restrict(Cycle.objects.filter(workspace=workspace), user, Perm.ACCESS)
        .select_related("workspace")
        .order_by("-start_year", "title")
    )


def situation_section_list(*, user: Any, cycle: Cycle) -> QuerySet[SituationSection]:
    """The cycle's sections the user may read, in order; show each through `visible_content`."""
    return (
        readable_items(SituationSection.objects.filter(cycle=cycle), user=user)
        .select_related("cycle", "workspace", "submitted_by", "approved_by")
        .order_by("position", "pk")
    )
