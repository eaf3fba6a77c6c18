"""Reads of monitoring and evaluation: KPIs, their updates, and the status of every KPI.

The dashboard computes every KPI's status from ONE query of minimal columns: each readable
KPI's rule values (or approved snapshot) with its latest visible progress update picked in the
database by a correlated aggregate (`kpi_statuses`), never loading the updates themselves. Only
the page of KPIs shown is then fetched as model instances (`kpi_rows_for`). Readers without the
right to see drafts get approved snapshots and approved updates only, with their approved
values (`mainstreaming.progress`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, Length, Substr
from django.db.models.lookups import Exact

from core.charts import format_number
from stakeholders.models import Organisation, Workspace
from stakeholders.permissions import Perm
from stakeholders.review import ReviewState, readable_items, visible_content
from stakeholders.selectors import organisation_list

from ..choices import ProgressStatus
from ..models import KPI, Action, Cycle, Objective, ProgressUpdate
from ..progress import (
    Basis,
    KpiProgress,
    UpdateValue,
    kpi_progress,
    kpi_values_from,
    latest_key,
    progress_for,
)

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


class Classified(Protocol):
    """What the filters and counts read of a row: its status and its organisation."""

    @property
    def status(self) -> str: ...

    organisation: Organisation | None


@dataclass
class KpiLine:
    """A KPI's status as a reader sees it, without the KPI itself (see `kpi_statuses`)."""

    pk: int
    progress: KpiProgress
    organisation: Organisation | None

    @property
    def status(self) -> str:
        return self.progress.status


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
    def pk(self) -> int:
        return self.kpi.pk

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


def _parent_and_title(kpi: KPI, perms: frozenset[Perm]) -> tuple[Objective | Action | None, str]:
    parent: Objective | Action | None = kpi.objective if kpi.objective_id else kpi.action
    title = ""
    if parent is not None:
        title = str(visible_content(parent, perms=perms).get("title", ""))
    return parent, title


def kpi_row(kpi: KPI, *, perms: frozenset[Perm], organisations: dict[int, Organisation]) -> KpiRow:
    """Build the row of a KPI fetched by `kpi_list`, from its prefetched updates (no query)."""
    drafts = _sees_drafts(perms)
    content = visible_content(kpi, perms=perms)
    updates: list[ProgressUpdate] = list(getattr(kpi, "visible_updates", []))
    parent, parent_title = _parent_and_title(kpi, perms)
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


# The fast path of the dashboard ----------------------------------------------------------------


def _readable_with(queryset: QuerySet[Any], perms: frozenset[Perm]) -> QuerySet[Any]:
    """`readable_items` for items of the ONE workspace on which the reader holds `perms` (as the
    view computed them), as plain filters on the item's columns: no permission subqueries."""
    if Perm.ACCESS not in perms:
        return queryset.none()
    if Perm.VIEW_DRAFTS in perms:
        return queryset
    readable = Q(approved_version__isnull=False)
    if Perm.COMMENT in perms:
        readable |= Q(shared_for_consultation=True)
    return queryset.filter(readable)


def _period_sort_key(period: Any) -> Any:
    """`period_sort_key()` in SQL: year * 100 + the last month the period covers."""
    year = Cast(Substr(period, 1, 4), IntegerField())
    month = Case(
        When(Exact(Length(period), 4), then=Value(12)),
        When(Exact(Substr(period, 6, 1), "Q"), then=Cast(Substr(period, 7, 1), IntegerField()) * 3),
        default=Cast(Substr(period, 6, 2), IntegerField()),
        output_field=IntegerField(),
    )
    return year * 100 + month


def _latest_year(**filters: Any) -> Subquery:
    """The year of the KPI's lexicographically greatest period among its updates matching
    `filters` (an index seek), for use inside a subquery on the KPI's updates."""
    updates = ProgressUpdate.objects.filter(kpi=OuterRef(OuterRef("pk")), **filters)
    greatest = updates.order_by("-period").values("period")[:1]
    return Subquery(greatest.annotate(year=Substr("period", 1, 4)).values("year"))


def _packed_max(updates: QuerySet[ProgressUpdate], *, period: Any, value: Any) -> Subquery:
    """The greatest "<sort key><9 - length>|<period>|<value>" of `updates` (see below)."""
    # A missing period would pack as "||…", greater than any key: such updates are left out.
    updates = updates.alias(shown_period=period).filter(shown_period__isnull=False)
    packed = Concat(
        Cast(_period_sort_key(period), CharField()),
        Cast(9 - Length(period), CharField()),
        Value("|"),
        period,
        Value("|"),
        value,
        output_field=CharField(),
    )
    latest = updates.order_by().values("kpi").annotate(latest=Max(packed)).values("latest")
    return Subquery(latest, output_field=CharField())


def latest_update_subqueries(*, perms: frozenset[Perm]) -> dict[str, Subquery]:
    """Per KPI (OuterRef "pk"), its latest visible update packed as "<key>|<period>|<value>",
    as one or two annotations: the latest is the greatest of their (non-null) values.

    Readers who see drafts get every update with its current values; others only approved
    updates with their approved values (the snapshot, for an update reopened as a new draft).
    "Latest" is `progress.latest_key`: the greatest of "<sort key><9 - length>|<period>|<value>"
    (the key has six digits; a year's shorter length makes it come after the month or quarter
    ending it). Only the updates of the KPI's latest year are packed: that year is the one of
    the greatest period as text, found by a seek in the (kpi, period) index, so the cost does
    not grow with years of history.
    """
    updates = ProgressUpdate.objects.filter(kpi=OuterRef("pk"))
    if _sees_drafts(perms):
        recent = updates.filter(period__gte=_latest_year())
        return {
            "latest_update": _packed_max(
                recent, period=F("period"), value=Cast("actual_value", CharField())
            )
        }
    approved = updates.filter(approved_version__isnull=False)
    # An item in the approved state holds its approved content (any edit reopens it): its
    # period and value are the columns. An update reopened as a new draft is read from its
    # approved snapshot, whose period may be any.
    settled = approved.filter(review_state=ReviewState.APPROVED)
    reopened = approved.exclude(review_state=ReviewState.APPROVED)
    return {
        "latest_update": _packed_max(
            settled.filter(
                period__gte=_latest_year(
                    approved_version__isnull=False, review_state=ReviewState.APPROVED
                )
            ),
            period=F("period"),
            value=Cast("actual_value", CharField()),
        ),
        "latest_reopened": _packed_max(
            reopened,
            period=KT("approved_snapshot__period"),
            value=KT("approved_snapshot__actual_value"),
        ),
    }


def _unpack_latest(packed: str | None) -> UpdateValue | None:
    _key, period, value = (packed or "||").split("|", 2)
    if not period or value in ("", "None"):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return UpdateValue(period=period, actual_value=number)


# The KPI columns the status needs: the draft's values, and what decides which content is seen.
_DRAFT_COLUMNS = (
    "direction",
    "baseline_value",
    "baseline_year",
    "targets",
    "responsible_organisation_id",
)


def kpi_statuses(
    *, user: Any, workspace: Workspace, cycle: Cycle, perms: frozenset[Perm]
) -> list[KpiLine]:
    """Every KPI of the cycle the reader may read, in dashboard order, with its status and
    responsible organisation as the reader sees them (two queries: the organisations, and the
    KPIs' minimal columns with their latest visible update).

    Agrees with `kpi_row` over `kpi_list` (tested): the status from the KPI's current values and
    every update for readers of drafts, else from its approved snapshot and approved updates;
    the organisation from the content the reader is shown (a draft shared for consultation, for
    a contributor)."""
    organisations = organisations_by_id(user=user, workspace=workspace)
    drafts = _sees_drafts(perms)
    consulted = Perm.COMMENT in perms
    kpis = _readable_with(KPI.objects.filter(workspace=workspace, cycle=cycle), perms)
    latest_columns = latest_update_subqueries(perms=perms)
    rows = (
        kpis.annotate(
            priority_rank=Coalesce(
                "objective__priority__rank", "action__objective__priority__rank"
            ),
            **latest_columns,
        )
        .order_by("priority_rank", "position", "pk")
        .values_list(
            "pk",
            "approved_version",
            "approved_snapshot",
            "shared_for_consultation",
            *_DRAFT_COLUMNS,
            *latest_columns,
        )
    )
    lines = []
    width = len(_DRAFT_COLUMNS)
    for pk, approved_version, snapshot, shared, *rest in rows:
        draft = dict(zip(_DRAFT_COLUMNS, rest[:width], strict=True))
        packed = max((each for each in rest[width:] if each), default=None)
        if drafts:
            values = kpi_values_from(draft)
        elif approved_version is None or not snapshot:
            values = None
        else:
            values = kpi_values_from(snapshot)
        if values is None:
            progress = KpiProgress(status=ProgressStatus.NO_DATA, basis=Basis.NO_TARGETS)
        else:
            latest = _unpack_latest(packed)
            progress = kpi_progress(values, [latest] if latest else [])
        # The content shown (`visible_content`): the draft, or the approved snapshot.
        shown = draft if drafts or (consulted and shared) else (snapshot or {})
        organisation_id = shown.get("responsible_organisation_id")
        lines.append(
            KpiLine(
                pk=pk,
                progress=progress,
                organisation=organisations.get(organisation_id) if organisation_id else None,
            )
        )
    return lines


def kpi_rows_for(
    lines: Iterable[KpiLine], *, user: Any, workspace: Workspace, perms: frozenset[Perm]
) -> list[KpiRow]:
    """The rows to show of `lines` (a page of `kpi_statuses`), in their order (one query)."""
    lines = list(lines)
    if not lines:
        return []
    queryset = _readable_with(KPI.objects.filter(workspace=workspace), perms)
    kpis = {
        kpi.pk: kpi
        for kpi in queryset.select_related(*KPI_JOINS).filter(pk__in=[line.pk for line in lines])
    }
    rows = []
    for line in lines:
        kpi = kpis.get(line.pk)
        if kpi is None:  # deleted in between
            continue
        parent, parent_title = _parent_and_title(kpi, perms)
        rows.append(
            KpiRow(
                kpi=kpi,
                content=visible_content(kpi, perms=perms),
                progress=line.progress,
                organisation=line.organisation,
                parent=parent,
                parent_title=parent_title,
            )
        )
    return rows


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
    readers of approved content). Pages show only some rows: they use `kpi_statuses` and
    `kpi_rows_for` on the page instead."""
    lines = kpi_statuses(user=user, workspace=workspace, cycle=cycle, perms=perms)
    lines = filter_rows(lines, status=status, organisation_id=organisation_id)
    return kpi_rows_for(lines, user=user, workspace=workspace, perms=perms)


def filter_rows[R: Classified](
    rows: Sequence[R], *, status: str = "", organisation_id: int | None = None
) -> list[R]:
    result = list(rows)
    if status:
        result = [row for row in result if row.status == status]
    if organisation_id is not None:
        result = [
            row
            for row in result
            if row.organisation is not None and row.organisation.pk == organisation_id
        ]
    return result


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(rows: Sequence[Classified]) -> list[StatusCount]:
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


def organisation_summaries(rows: Sequence[Classified]) -> list[OrganisationSummary]:
    """Each responsible organisation with the status counts of its KPIs, by name."""
    grouped: dict[int, list[Classified]] = {}
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
