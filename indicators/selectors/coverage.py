"""The coverage matrix of a workspace and its data gaps (reads).

A **cell** is one indicator in one calendar year. Its state, as a reader sees it:

- *approved* — at least one value of that year (any period, any breakdown) has been approved;
- *draft* — values exist but none is approved yet (only readers who see drafts get this state;
  for everyone else such a cell is *missing*, DESIGN §3);
- *missing* — no value.

**Sex coverage** answers "can this indicator be read for women and men?": a year is covered
when the indicator has an approved value for women (`F`) *and* one for men (`M`) that year,
whatever the other axes. It counts approved values only, so every reader sees the same figure;
indicators that may not be broken down by sex are "not applicable".

The matrix costs a constant number of queries whatever the number of observations: the values
are aggregated in SQL by indicator and year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Workspace
from stakeholders.permissions import Perm
from stakeholders.review import ReviewState

from ..choices import FIRST_YEAR, LAST_YEAR, Axis, GapStatus
from ..models import DataGap, Dimension, Framework, Indicator
from .observations import readable_observations, sees_draft_values

STARTER = "starter"
WINDOW = 10

APPROVED = "approved"
DRAFT = "draft"
MISSING = "missing"


def state_label(state: str) -> str:
    return {APPROVED: _("Approved"), DRAFT: _("Draft"), MISSING: _("Missing")}[state]


def coverage_window(end: Any = None, *, size: int = WINDOW) -> list[int]:
    """`size` years ending at `end` (this year when not a usable year), inside 1950–2100."""
    try:
        last = int(end)
    except (TypeError, ValueError):
        last = timezone.localdate().year
    last = max(FIRST_YEAR + size - 1, min(LAST_YEAR, last))
    return list(range(last - size + 1, last + 1))


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.order_by("position", "name")


def coverage_framework(code: str | None) -> Framework | None:
    """The framework of `code`, else the starter catalogue (None when neither exists)."""
    frameworks = list(framework_list().filter(code__in={code or STARTER, STARTER}))
    by_code = {framework.code: framework for framework in frameworks}
    return by_code.get(code or STARTER) or by_code.get(STARTER)


def coverage_indicators(*, workspace: Workspace, framework: Framework) -> QuerySet[Indicator]:
    """The framework's indicators, plus the workspace's own when it is the starter catalogue."""
    condition = Q(framework=framework)
    if framework.code == STARTER:
        condition |= Q(workspace=workspace)
    return (
        Indicator.objects.filter(condition)
        .select_related("dimension", "unit")
        .order_by("framework_id", "dimension__position", "position", "code")
    )


@dataclass
class CoverageCell:
    year: int
    state: str
    pending: bool = False  # a value of the cell waits for review (readers who see drafts only)
    both_sexes: bool = False
    gap: DataGap | None = None

    @property
    def label(self) -> str:
        return state_label(self.state)


@dataclass
class CoverageRow:
    indicator: Indicator
    cells: list[CoverageCell]
    sex_applicable: bool
    row_gaps: list[DataGap] = field(default_factory=list)  # gaps not about a single year

    @property
    def approved_count(self) -> int:
        return sum(cell.state == APPROVED for cell in self.cells)

    @property
    def sex_years(self) -> int:
        return sum(cell.both_sexes for cell in self.cells)


@dataclass
class CoverageGroup:
    key: str
    name: str
    rows: list[CoverageRow]

    @property
    def cell_count(self) -> int:
        return sum(len(row.cells) for row in self.rows)

    @property
    def approved_count(self) -> int:
        return sum(row.approved_count for row in self.rows)

    @property
    def approved_share(self) -> int:
        """Percentage of the group's cells with approved data (rounded)."""
        return round(100 * self.approved_count / self.cell_count) if self.cell_count else 0


@dataclass
class CoverageMatrix:
    framework: Framework
    years: list[int]
    groups: list[CoverageGroup]
    sees_drafts: bool

    @property
    def rows(self) -> list[CoverageRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def cell_count(self) -> int:
        return sum(group.cell_count for group in self.groups)

    @property
    def approved_count(self) -> int:
        return sum(group.approved_count for group in self.groups)

    @property
    def approved_share(self) -> int:
        return round(100 * self.approved_count / self.cell_count) if self.cell_count else 0


def cell_counts(
    *, workspace: Workspace, perms: frozenset[Perm], years: list[int]
) -> dict[tuple[int, int], dict[str, Any]]:
    """Per (indicator id, year): how many values are visible, approved, pending, F and M."""
    approved = Q(approved_version__isnull=False)
    rows = (
        readable_observations(workspace, perms)
        .filter(year__gte=years[0], year__lte=years[-1])
        .values("indicator_id", "year")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=approved),
            pending=Count("pk", filter=~Q(review_state=ReviewState.APPROVED)),
            female=Count("pk", filter=approved & Q(sex="F")),
            male=Count("pk", filter=approved & Q(sex="M")),
        )
        .order_by()
    )
    return {(row["indicator_id"], row["year"]): dict(row) for row in rows}


def open_gap_list(*, workspace: Workspace, years: list[int]) -> QuerySet[DataGap]:
    """Gaps not closed yet, about a year of the window or about no particular year."""
    return (
        DataGap.objects.filter(workspace=workspace)
        .exclude(status=GapStatus.CLOSED)
        .filter(Q(year__isnull=True) | Q(year__gte=years[0], year__lte=years[-1]))
        .order_by("pk")
    )


def coverage_matrix(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    framework: Framework,
    years: list[int],
) -> CoverageMatrix:
    """Indicators grouped by dimension × `years`, each cell's state as the reader sees it."""
    sees = sees_draft_values(perms)
    counts = cell_counts(workspace=workspace, perms=perms, years=years)
    gaps_by_cell: dict[tuple[int, int | None], list[DataGap]] = defaultdict(list)
    for gap in open_gap_list(workspace=workspace, years=years):
        gaps_by_cell[(gap.indicator_id, gap.year)].append(gap)
    groups: dict[str, CoverageGroup] = {}
    for indicator in coverage_indicators(workspace=workspace, framework=framework):
        dimension: Dimension | None = indicator.dimension
        if dimension is not None and dimension.framework_id == framework.pk:
            key, name = f"dimension-{dimension.pk}", str(dimension)
        elif indicator.workspace_id is None:
            key, name = "framework", str(framework.name)
        else:
            key, name = "own", _("This workspace's own indicators")
        cells = []
        for year in years:
            found = counts.get((indicator.pk, year))
            if found and found["approved"]:
                state = APPROVED
            elif found and sees and found["total"]:
                state = DRAFT
            else:
                state = MISSING
            cell_gaps = gaps_by_cell.get((indicator.pk, year), [])
            cells.append(
                CoverageCell(
                    year=year,
                    state=state,
                    pending=bool(sees and found and found["pending"]),
                    both_sexes=bool(found and found["female"] and found["male"]),
                    gap=cell_gaps[0] if cell_gaps else None,
                )
            )
        row = CoverageRow(
            indicator=indicator,
            cells=cells,
            sex_applicable=Axis.SEX in indicator.allowed_axes(),
            row_gaps=gaps_by_cell.get((indicator.pk, None), []),
        )
        groups.setdefault(key, CoverageGroup(key=key, name=name, rows=[])).rows.append(row)
    ordered = sorted(groups.values(), key=lambda group: group.key == "own")
    return CoverageMatrix(framework=framework, years=years, groups=ordered, sees_drafts=sees)


# Data gaps -------------------------------------------------------------------------------------


def data_gap_list(
    *,
    workspace: Workspace,
    perms: frozenset[Perm],
    status: str = "",
    reason: str = "",
    dimension: str = "",
    owner: str = "",
    indicator: str = "",
) -> QuerySet[DataGap]:
    """The workspace's data gaps (readers with access), filtered; unknown filters are ignored
    by the callers' validation, so each argument here is a plain value or ''."""
    if Perm.ACCESS not in perms:
        return DataGap.objects.none()
    queryset = DataGap.objects.filter(workspace=workspace).select_related(
        "workspace", "indicator", "indicator__dimension", "owner"
    )
    if status:
        queryset = queryset.filter(status=status)
    if reason:
        queryset = queryset.filter(reason=reason)
    if dimension.isdigit():
        queryset = queryset.filter(indicator__dimension_id=int(dimension))
    if owner.isdigit():
        queryset = queryset.filter(owner_id=int(owner))
    if indicator.isdigit():
        queryset = queryset.filter(indicator_id=int(indicator))
    return queryset.order_by("status", "indicator__code", "year", "pk")


def gap_indicator_list(*, workspace: Workspace) -> QuerySet[Indicator]:
    """Indicators a gap of this workspace may be about: the catalogue's and its own."""
    return (
        Indicator.objects.filter(Q(framework__isnull=False) | Q(workspace=workspace))
        .select_related("framework")
        .order_by("framework__position", "framework_id", "dimension__position", "position", "code")
    )


def readable_indicator(*, workspace: Workspace, pk: Any) -> Indicator | None:
    """A catalogue indicator or one of the workspace's own, by id (None otherwise)."""
    if not str(pk).isdigit():
        return None
    return (
        gap_indicator_list(workspace=workspace)
        .select_related("unit", "dimension")
        .filter(pk=int(pk))
        .first()
    )
