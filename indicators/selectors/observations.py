"""Reading observations as a given reader may see them (DESIGN §3–§4).

Readers who see drafts (editors, reviewers, coordinators) see the current value of every
observation. Everyone else with access sees only observations approved at least once, with the
value of their last approved version (`approved_snapshot`), even while a correction is in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..choices import TOTAL
from ..models import AXIS_FIELDS, DataSource, Indicator, Observation

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


# Lists, filters and grids ----------------------------------------------------------------------

LIST_RELATED = (
    "workspace",
    "indicator",
    "indicator__unit",
    "indicator__dimension",
    "source",
    "approved_by",
    "submitted_by",
    "created_by",
    "entered_by",
)


@dataclass(frozen=True)
class ObservationFilters:
    """A selection of observations, as pages, the API and batch review name it."""

    indicator: str = ""  # an id or a code
    dimension: int | None = None
    period_from: int | None = None
    period_to: int | None = None
    review_state: str = ""
    axes: tuple[tuple[str, str], ...] = ()
    import_job: int | None = None
    source: int | None = None

    def is_empty(self) -> bool:
        return self == ObservationFilters()


def observation_list(
    *, workspace: Workspace, perms: frozenset[Perm], filters: ObservationFilters | None = None
) -> QuerySet[Observation]:
    """The observations a reader holding `perms` may see, filtered, with the list's joins."""
    queryset = readable_observations(workspace, perms).select_related(*LIST_RELATED)
    if filters is not None:
        queryset = observation_filter(queryset, filters, perms=perms)
    return queryset.order_by("indicator__code", "indicator_id", "-year", "period", "pk")


def observation_filter(
    queryset: QuerySet[Observation], filters: ObservationFilters, *, perms: frozenset[Perm]
) -> QuerySet[Observation]:
    if filters.indicator:
        if filters.indicator.isdigit():
            queryset = queryset.filter(indicator_id=int(filters.indicator))
        else:
            queryset = queryset.filter(indicator__code=filters.indicator)
    if filters.dimension is not None:
        queryset = queryset.filter(indicator__dimension_id=filters.dimension)
    if filters.period_from is not None:
        queryset = queryset.filter(year__gte=filters.period_from)
    if filters.period_to is not None:
        queryset = queryset.filter(year__lte=filters.period_to)
    if filters.review_state:
        if sees_draft_values(perms):
            queryset = queryset.filter(review_state=filters.review_state)
        elif filters.review_state != "approved":
            # Readers of approved values see every observation they can see as approved.
            queryset = queryset.none()
    for axis, code in filters.axes:
        queryset = queryset.filter(**{axis: code})
    if filters.import_job is not None:
        queryset = queryset.filter(import_job_id=filters.import_job)
    if filters.source is not None:
        queryset = queryset.filter(source_id=filters.source)
    return queryset


def observation_grid_values(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    indicator_ids: list[int],
    periods: list[str] | None = None,
    years: list[int] | None = None,
    totals_only: bool = False,
) -> dict[tuple[Any, ...], Observation]:
    """Observations for a grid, by natural key (one query)."""
    queryset = readable_observations(workspace, perms).filter(indicator_id__in=indicator_ids)
    if periods is not None:
        queryset = queryset.filter(period__in=periods)
    if years is not None:
        queryset = queryset.filter(period__in=[str(year) for year in years])
    if totals_only:
        queryset = queryset.filter(**{axis: TOTAL for axis in AXIS_FIELDS})
    return {
        observation.natural_key(): observation
        for observation in queryset.select_related("source").order_by()
    }


def observation_periods(
    *, workspace: Workspace, perms: frozenset[Perm], indicator_id: int
) -> list[str]:
    """Every period an indicator has a value for (that the reader may see)."""
    return list(
        readable_observations(workspace, perms)
        .filter(indicator_id=indicator_id)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )


def observable_indicators(*, workspace: Workspace) -> QuerySet[Indicator]:
    """Indicators a workspace may hold values for: the catalogue's and its own."""
    return (
        Indicator.objects.filter(Q(framework__isnull=False) | Q(workspace=workspace))
        .select_related("unit", "dimension", "framework")
        .order_by("framework__position", "dimension__position", "position", "code", "pk")
    )


def data_source_list(*, workspace: Workspace, perms: frozenset[Perm]) -> QuerySet[DataSource]:
    """The data sources of a workspace (every member may read the registry)."""
    if Perm.ACCESS not in perms:
        return DataSource.objects.none()
    return DataSource.objects.filter(workspace=workspace).select_related("producer")


def observation_review_selection(
    queryset: QuerySet[Observation], *, action: str, actor: Any
) -> QuerySet[Observation]:
    """The observations of a selection that `action` applies to now: drafts and returned ones
    to submit; submitted ones to approve or return, except those `actor` submitted (four eyes:
    they stay for another reviewer)."""
    from stakeholders.review import ReviewState

    if action == "submit":
        return queryset.filter(review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED])
    return queryset.filter(review_state="submitted").exclude(submitted_by=actor)
