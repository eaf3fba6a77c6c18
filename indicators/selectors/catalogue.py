"""Reading the indicator catalogue: frameworks, dimensions, catalogue and custom indicators.

The catalogue (frameworks and their indicators) is public knowledge for every signed-in user; a
workspace's own (custom) indicators are read by those with access to that workspace only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, restrict

from ..catalogue import STARTER
from ..models import Dimension, Framework, Indicator

INDICATOR_RELATED = ("framework", "dimension", "dimension__framework", "unit")


def framework_list() -> QuerySet[Framework]:
    """Every framework with how many dimensions and catalogue indicators it holds."""
    return Framework.objects.annotate(
        dimension_count=Count("dimensions", distinct=True),
        indicator_count=Count("indicators", distinct=True),
    ).order_by("position", "name", "pk")


def starter_framework() -> Framework | None:
    return Framework.objects.filter(code=STARTER["code"]).first()


def dimension_list(*, framework: Framework | int | None = None) -> QuerySet[Dimension]:
    queryset = Dimension.objects.select_related("framework").order_by(
        "framework__position", "framework__name", "position", "code"
    )
    if framework is not None:
        queryset = queryset.filter(framework=framework)
    return queryset


def catalogue_indicator_list(
    *,
    framework: Framework | int | None = None,
    dimension: Dimension | int | None = None,
    code: str = "",
    search: str = "",
) -> QuerySet[Indicator]:
    """Indicators of frameworks (never a workspace's own), with what their pages show."""
    queryset = Indicator.objects.filter(workspace__isnull=True).select_related(*INDICATOR_RELATED)
    return _filtered(queryset, framework=framework, dimension=dimension, code=code, search=search)


def _filtered(
    queryset: QuerySet[Indicator],
    *,
    framework: Framework | int | None = None,
    dimension: Dimension | int | None = None,
    code: str = "",
    search: str = "",
) -> QuerySet[Indicator]:
    if framework is not None:
        queryset = queryset.filter(framework=framework)
    if dimension is not None:
        queryset = queryset.filter(dimension=dimension)
    if code:
        queryset = queryset.filter(code__iexact=code.strip())
    if search:
        term = search.strip()
        queryset = queryset.filter(
            Q(code__icontains=term) | Q(name__icontains=term) | Q(definition__icontains=term)
        )
    return queryset


def custom_indicator_list(
    *, user: User | Any, workspace: Workspace, search: str = "", dimension: int | None = None
) -> QuerySet[Indicator]:
    """The workspace's own indicators that `user` may read (none without access)."""
    queryset = restrict(
        Indicator.objects.filter(workspace=workspace).select_related(
            *INDICATOR_RELATED, "workspace"
        ),
        user,
        Perm.ACCESS,
    ).order_by("dimension__position", "position", "code", "pk")
    return _filtered(queryset, dimension=dimension, search=search)


@dataclass
class DimensionGroup:
    """A dimension (or none) with the indicators listed under it on the workspace's page."""

    dimension: Dimension | None
    indicators: list[Indicator] = field(default_factory=list)


def workspace_indicator_groups(
    *,
    user: User | Any,
    workspace: Workspace,
    framework: Framework | None,
    dimension: int | None = None,
    search: str = "",
    custom: bool = True,
) -> list[DimensionGroup]:
    """The indicators a workspace works with, grouped by dimension: the framework's indicators
    (by default the starter set) and the workspace's own, each under its dimension.

    Three queries whatever the number of indicators: the dimensions, the framework's
    indicators, the custom ones.
    """
    groups: dict[int | None, DimensionGroup] = {}
    if framework is not None:
        for item in dimension_list(framework=framework):
            if dimension is None or item.pk == dimension:
                groups[item.pk] = DimensionGroup(item)
        for indicator in catalogue_indicator_list(
            framework=framework, dimension=dimension, search=search
        ):
            groups.setdefault(indicator.dimension_id, DimensionGroup(indicator.dimension))
            groups[indicator.dimension_id].indicators.append(indicator)
    if custom:
        for indicator in custom_indicator_list(
            user=user, workspace=workspace, search=search, dimension=dimension
        ):
            key = indicator.dimension_id
            if key not in groups:
                groups[key] = DimensionGroup(indicator.dimension)
            groups[key].indicators.append(indicator)
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g.dimension is None,
            g.dimension.framework.position if g.dimension else 0,
            g.dimension.position if g.dimension else 0,
        ),
    )
    return [group for group in ordered if group.indicators]


def indicator_has_observations(indicator: Indicator) -> bool:
    return indicator.observations.exists()
