"""Reads of monitoring and evaluation: KPIs, their updates, and the status of every KPI.

The dashboard rows are computed in Python from one query for the KPIs (with their objective or
action), one for all their updates and one for the workspace's organisations, whatever the
number of KPIs and updates. Readers without the right to see drafts get approved snapshots and
approved updates only (`mainstreaming.progress`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce

from core.charts import format_number
from stakeholders.models import Organisation, Workspace
from stakeholders.permissions import Perm
from stakeholders.review import readable_items, visible_content
from stakeholders.selectors import organisation_list

from ..choices import ProgressStatus
from ..models import KPI, Action, Cycle, Objective, ProgressUpdate
from ..progress import KpiProgress, latest_key, progress_for

KPI_JOINS = (
    "workspace",
    "cycle",
    "objective",
    "action",
    "responsible_organisation",
    "approved_by",
    "submitted_by",
)
UPDATE_JOINS = ("workspace", "kpi", "reporter", "approved_by", "submitted_by")
STATUS_ORDER = [
    ProgressStatus.OFF_TRACK,
    ProgressStatus.AT_RISK,
    ProgressStatus.ON_TRACK,
    ProgressStatus.NO_DATA,
]


def kpi_list(*, user: Any, workspace: Workspace, cycle: Cycle | None = None) -> QuerySet[KPI]:
    """The KPIs the user may read, with their visible updates prefetched (one more query)."""
    queryset = KPI.objects.filter(workspace=workspace)
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    updates = readable_items(ProgressUpdate.objects.all(), user=user).order_by("period", "pk")
    return (
        readable_items(queryset, user=user)
        .select_related(*KPI_JOINS)
        .prefetch_related(Prefetch("updates", queryset=updates, to_attr="visible_updates"))
        .annotate(
            priority_rank=Coalesce("objective__priority__rank", "action__objective__priority__rank")
        )
        .order_by("cycle", "priority_rank", "position", "pk")
    )


def progress_update_list(*, user: Any, workspace: Workspace) -> QuerySet[ProgressUpdate]:
    """The progress updates the user may read (approved ones or drafts, as for any content)."""
    return readable_items(
        ProgressUpdate.objects.filter(workspace=workspace), user=user
    ).select_related(*UPDATE_JOINS, "kpi__cycle", "kpi__workspace")


def sort_updates(updates: list[ProgressUpdate]) -> list[ProgressUpdate]:
    """Latest period first (a year after the quarters and months that end it)."""
    return sorted(updates, key=lambda u: latest_key(u.period), reverse=True)


def objective_or_action_list(
    *, user: Any, workspace: Workspace, cycle: Cycle, kind: str, pk: Any
) -> Objective | Action | None:
    """The objective or action `pk` of the cycle that the user may read (None otherwise)."""
    if not str(pk).isdigit():
        return None
    queryset: QuerySet[Any] = (
        Objective.objects.all() if kind == "objective" else Action.objects.all()
    )
    found: Objective | Action | None = (
        readable_items(queryset.filter(workspace=workspace, cycle=cycle), user=user)
        .select_related("workspace", "cycle")
        .filter(pk=pk)
        .first()
    )
    return found


@dataclass
class KpiRow:
    """One KPI as a reader sees it, with its computed status."""

    kpi: KPI
    content: dict[str, Any]
    progress: KpiProgress
    organisation: Organisation | None
    parent: Objective | Action | None
    parent_title: str
    updates: list[ProgressUpdate] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.content.get("name", ""))

    @property
    def unit(self) -> str:
        return str(self.content.get("unit", ""))

    @property
    def baseline_value(self) -> Decimal | None:
        value = self.content.get("baseline_value")
        return None if value is None else Decimal(str(value))

    @property
    def baseline_year(self) -> Any:
        return self.content.get("baseline_year")

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def baseline_display(self) -> str:
        return display_number(self.baseline_value)

    @property
    def latest_display(self) -> str:
        return display_number(self.progress.latest_value)

    @property
    def target_display(self) -> str:
        return display_number(self.progress.target)

    @property
    def expected_display(self) -> str:
        return display_number(self.progress.expected)


def display_number(value: Any) -> str:
    """A value as the active locale writes it, with only the decimals it needs ("—" if none)."""
    if value is None or value == "":
        return "—"
    return format_number(float(Decimal(str(value))))


def _sees_drafts(perms: frozenset[Perm]) -> bool:
    # The status counts official figures: drafts count only for those who may see every draft.
    return Perm.VIEW_DRAFTS in perms


def kpi_row(kpi: KPI, *, perms: frozenset[Perm], organisations: dict[int, Organisation]) -> KpiRow:
    """Build the row of a KPI fetched by `kpi_list` (no query)."""
    drafts = _sees_drafts(perms)
    content = visible_content(kpi, perms=perms)
    updates: list[ProgressUpdate] = list(getattr(kpi, "visible_updates", []))
    parent: Objective | Action | None = kpi.objective if kpi.objective_id else kpi.action
    parent_title = ""
    if parent is not None:
        parent_title = str(visible_content(parent, perms=perms).get("title", ""))
    organisation_id = content.get("responsible_organisation_id")
    return KpiRow(
        kpi=kpi,
        content=content,
        progress=progress_for(kpi, updates, sees_drafts=drafts),
        organisation=organisations.get(organisation_id) if organisation_id else None,
        parent=parent,
        parent_title=parent_title,
        updates=updates,
    )


def organisations_by_id(*, user: Any, workspace: Workspace) -> dict[int, Organisation]:
    return {org.pk: org for org in organisation_list(user=user, workspace=workspace)}


def monitoring_rows(
    *,
    user: Any,
    workspace: Workspace,
    cycle: Cycle,
    perms: frozenset[Perm],
    status: str = "",
    organisation_id: int | None = None,
) -> list[KpiRow]:
    """Every KPI of the cycle the user may read, with its status (three queries in all).

    `status` and `organisation_id` filter on what the reader sees (the approved organisation for
    readers of approved content)."""
    organisations = organisations_by_id(user=user, workspace=workspace)
    rows = [
        kpi_row(kpi, perms=perms, organisations=organisations)
        for kpi in kpi_list(user=user, workspace=workspace, cycle=cycle)
    ]
    return filter_rows(rows, status=status, organisation_id=organisation_id)


def filter_rows(
    rows: list[KpiRow], *, status: str = "", organisation_id: int | None = None
) -> list[KpiRow]:
    if status:
        rows = [row for row in rows if row.status == status]
    if organisation_id is not None:
        rows = [
            row
            for row in rows
            if row.organisation is not None and row.organisation.pk == organisation_id
        ]
    return rows


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(rows: list[KpiRow]) -> list[StatusCount]:
    """How many KPIs have each status, in the order off track, at risk, on track, no data."""
    counter = Counter(row.status for row in rows)
    return [
        StatusCount(status=status, label=str(status.label), count=counter.get(status, 0))
        for status in STATUS_ORDER
    ]


@dataclass
class OrganisationSummary:
    organisation: Organisation
    counts: list[StatusCount]
    total: int


def organisation_summaries(rows: list[KpiRow]) -> list[OrganisationSummary]:
    """Each responsible organisation with the status counts of its KPIs, by name."""
    grouped: dict[int, list[KpiRow]] = {}
    names: dict[int, Organisation] = {}
    for row in rows:
        if row.organisation is None:
            continue
        grouped.setdefault(row.organisation.pk, []).append(row)
        names[row.organisation.pk] = row.organisation
    return [
        OrganisationSummary(
            organisation=names[pk], counts=status_counts(grouped[pk]), total=len(grouped[pk])
        )
        for pk in sorted(grouped, key=lambda pk: str(names[pk]).lower())
    ]
