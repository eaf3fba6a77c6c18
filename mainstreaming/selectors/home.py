"""Reads of the workspace home: the current cycle at a glance, in a fixed number of queries.

Every function runs the same queries whatever the amount of content: counts are aggregated in
the database, the latest progress update of each KPI is picked by a window function, and the
labels of the items in the recent activity come from correlated subqueries of one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import Cast, Concat, Length, Replace, Substr
from django.db.models.lookups import Exact
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Workspace
from stakeholders.permissions import Perm, restrict, restrict_readable_with
from stakeholders.review import (
    Reviewable,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    needs_my_action,
    reviewable_models,
)

from ..choices import CycleStage, ProgressStatus
from ..models import (
    KPI,
    Action,
    Cycle,
    Objective,
    Priority,
    ProgressUpdate,
    SituationSection,
)
from ..progress import UpdateValue, kpi_progress, kpi_values_for, latest_key
from .cycles import StageStatus, stage_readiness

RECENT_ACTIVITY = 10
NEEDS_MY_ACTION_SHOWN = 10


def current_cycle(
    *, user: Any, workspace: Workspace, perms: frozenset[Perm] | None = None
) -> Cycle | None:
    """The cycle the workspace works on: the latest not completed, else the latest.

    `perms`: the user's permissions on the workspace if the caller holds them (no permission
    subqueries then)."""
    cycles = Cycle.objects.filter(workspace=workspace)
    if perms is None:
        cycles = restrict(cycles, user, Perm.ACCESS)
    elif Perm.ACCESS not in perms:
        return None
    return (
        cycles.select_related("workspace")
        .annotate(done=Case(When(completed_at__isnull=True, then=0), default=1))
        .order_by("done", "-start_year", "-created_at", "-pk")
        .first()
    )


# Counts of items by review state ----------------------------------------------------------------


@dataclass
class KindCount:
    """How many items of one kind the reader sees, by review state."""

    kind: str
    label: Any
    stage: str
    states: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.states.values())

    @property
    def cells(self) -> list[tuple[Any, int]]:
        """(state label, count) in the order of `CycleOverview.columns`."""
        return [(ReviewState(state).label, number) for state, number in self.states.items()]

    @property
    def approved(self) -> int:
        return self.states.get(ReviewState.APPROVED, 0)


# (model, path from the model to its cycle, stage it belongs to, plural label)
KINDS: tuple[tuple[type[Reviewable], str, str, Any], ...] = (
    (SituationSection, "cycle", CycleStage.SITUATION_ANALYSIS, _("Situation analysis sections")),
    (Priority, "cycle", CycleStage.PRIORITIES, _("Priorities")),
    (Objective, "cycle", CycleStage.ACTION_PLAN, _("Objectives")),
    (Action, "cycle", CycleStage.ACTION_PLAN, _("Actions")),
    (KPI, "cycle", CycleStage.MONITORING, _("Key performance indicators")),
    (ProgressUpdate, "kpi__cycle", CycleStage.MONITORING, _("Progress updates")),
)


def _count_rows(
    model: type[Reviewable], path: str, index: int, *, cycle: Cycle, perms: frozenset[Perm]
) -> QuerySet[Any]:
    """(kind index, state, count) rows of one kind: by state for drafts readers, else approved."""
    items = restrict_readable_with(model._default_manager.filter(**{path: cycle}), perms)
    items = items.order_by().annotate(kind=Value(index))
    if Perm.VIEW_DRAFTS in perms:
        state = "review_state"
    else:
        items = items.filter(approved_version__gt=0).annotate(
            state=Value(ReviewState.APPROVED.value)
        )
        state = "state"
    return items.values("kind", state).annotate(n=Count("pk")).values_list("kind", state, "n")


def cycle_item_counts(
    *,
    user: Any,
    cycle: Cycle,
    perms: frozenset[Perm],
    progress_counts: dict[str, int] | None = None,
) -> list[KindCount]:
    """Per kind, the items the reader may read counted by review state (one query for all).

    Readers of the approved snapshot only are told how many items were approved (an item with a
    new draft version in progress still counts: its approved version is what they read).
    `progress_counts`: the progress updates' counts if the caller has them (`progress_scan`).
    """
    drafts = Perm.VIEW_DRAFTS in perms
    states_of = list(ReviewState.values) if drafts else [ReviewState.APPROVED.value]
    found: dict[int, dict[str, int]] = {
        index: dict.fromkeys(states_of, 0) for index in range(len(KINDS))
    }
    counted = [
        (index, model, path)
        for index, (model, path, _stage, _label) in enumerate(KINDS)
        if not (model is ProgressUpdate and progress_counts is not None)
    ]
    if Perm.ACCESS in perms:
        first, *rest = [
            _count_rows(model, path, index, cycle=cycle, perms=perms)
            for index, model, path in counted
        ]
        for index, state, number in first.union(*rest, all=True).order_by():
            if state in found[index]:
                found[index][state] += number
    if progress_counts is not None:
        found[len(KINDS) - 1] = {state: progress_counts.get(state, 0) for state in states_of}
    return [
        KindCount(kind=model._meta.model_name or "", label=label, stage=stage, states=found[index])
        for index, (model, _path, stage, label) in enumerate(KINDS)
    ]


# KPI status summary -----------------------------------------------------------------------------


def _latest_key(period: Any) -> Any:
    """`progress.latest_key()` as seven digits: year, last month, then 0 for a month, 1 for a
    quarter, 2 for a year (2025-12 → 2025120, 2025-Q4 → 2025121, 2025 → 2025122). Digits only and
    of one length, so that any collation orders them as numbers."""
    quarter: Any = period
    for number in range(1, 5):
        quarter = Replace(quarter, Value(f"-Q{number}"), Value(f"{number * 3:02d}"))
    return Case(
        When(Exact(Length(period), 4), then=Concat(period, Value("122"))),
        When(Exact(Substr(period, 6, 1), "Q"), then=Concat(quarter, Value("1"))),
        default=Concat(Replace(period, Value("-"), Value("")), Value("0")),
        output_field=CharField(),
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _packed(period: Any, value: Any) -> Any:
    """The text "<latest key>|<period>|<value>": the greatest is the latest update."""
    return Concat(
        _latest_key(period), Value("|"), period, Value("|"), value, output_field=CharField()
    )


@dataclass
class ProgressScan:
    """What one pass over the cycle's progress updates tells the home."""

    counts: dict[str, int]  # by review state for drafts readers, else {"approved": n}
    reopened: dict[int, UpdateValue]  # KPI id → latest approved value of a reopened update


def _update_value(packed: str | None) -> UpdateValue | None:
    """UpdateValue of "<period>|<value>" (None when either is missing)."""
    shown_period, _bar, shown_value = (packed or "").partition("|")
    number = _decimal(shown_value)
    if not shown_period or number is None:
        return None
    return UpdateValue(period=shown_period, actual_value=number)


def progress_scan(*, cycle: Cycle, perms: frozenset[Perm]) -> ProgressScan:
    """The visible progress updates of the cycle counted (one query, one pass).

    Drafts readers count by state; others count the approved updates, and also get, per KPI,
    the latest approved value among updates reopened for a new version: the approved period
    of those may differ from the current one, so they are read from the snapshot here, where
    the CASE makes the database look at the snapshot of reopened updates only. "Latest" is
    `progress.latest_key`: the database keeps the greatest "<latest key>|<period>|<value>".
    """
    updates = restrict_readable_with(ProgressUpdate.objects.filter(kpi__cycle=cycle), perms)
    updates = updates.order_by()
    if Perm.VIEW_DRAFTS in perms:
        counters = {
            state: Count("pk", filter=Q(review_state=state)) for state in ReviewState.values
        }
        row = updates.aggregate(**counters)
        return ProgressScan(counts={state: row[state] or 0 for state in counters}, reopened={})
    # JSON keys come out as text on PostgreSQL: cast them so that every part is of one type.
    snapshot = _packed(
        Cast(KT("approved_snapshot__period"), CharField()),
        Cast(KT("approved_snapshot__actual_value"), CharField()),
    )
    rows = (
        updates.filter(approved_version__gt=0)
        .values("kpi__id")  # the KPI's column: rows come by KPI, no sort for the grouping
        .annotate(
            n=Count("pk"),
            reopened=Max(
                Case(
                    When(~Q(review_state=ReviewState.APPROVED), then=snapshot),
                    default=Value(None),
                    output_field=CharField(),
                )
            ),
        )
        .values_list("kpi__id", "n", "reopened")
    )
    approved = 0
    reopened = {}
    for kpi_id, number, packed in rows:
        approved += number
        value = _update_value((packed or "").partition("|")[2])
        if value is not None:
            reopened[kpi_id] = value
    return ProgressScan(counts={ReviewState.APPROVED.value: approved}, reopened=reopened)


def _with_latest_candidates(kpis: QuerySet[KPI], *, drafts: bool) -> QuerySet[Any]:
    """`kpis` with, as "<period>|<value>", the candidates for their latest visible update,
    found through the (kpi, period) unique index without reading every update.

    A period sorts as text by its year first, so the latest update is in the year of the
    greatest period; within that year it is the year itself, its last quarter or its last
    month (a year sorts before its months, its months before its quarters). Readers without
    drafts look only at updates in the approved state here; reopened ones come from
    `progress_scan`.
    """
    visible = Q() if drafts else Q(review_state=ReviewState.APPROVED)
    shown = Concat(F("period"), Value("|"), Cast("actual_value", CharField()))

    def newest(**lookups: Any) -> Subquery:
        return Subquery(
            ProgressUpdate.objects.filter(visible, kpi=OuterRef("pk"), **lookups)
            .order_by("-period")
            .annotate(shown=shown)
            .values("shown")[:1],
            output_field=CharField(),
        )

    year = Substr(OuterRef("latest_any"), 1, 4)
    return kpis.annotate(latest_any=newest()).annotate(
        latest_year=newest(period=year),
        latest_month=newest(
            period__gt=Concat(year, Value("-")), period__lt=Concat(year, Value("-Q"))
        ),
    )


def _latest_from_row(row: dict[str, Any], reopened: dict[int, UpdateValue]) -> UpdateValue | None:
    """The latest of a KPI's candidates by `progress.latest_key`; a quarter before the month
    ending it (as the home always chose). Usually one candidate is found twice."""
    shown = {row[name] for name in ("latest_any", "latest_year", "latest_month")} - {None, ""}
    found = [value for value in map(_update_value, shown) if value is not None]
    if row["pk"] in reopened:
        found.append(reopened[row["pk"]])
    if len(found) < 2:
        return found[0] if found else None
    return max(found, key=lambda u: (latest_key(u.period), "Q" in u.period))


def latest_progress_updates(
    *, user: Any, cycle: Cycle, perms: frozenset[Perm]
) -> dict[int, UpdateValue]:
    """KPI id → its latest visible progress update (two queries; see `progress_scan` and
    `_with_latest_candidates`)."""
    if Perm.ACCESS not in perms:
        return {}
    drafts = Perm.VIEW_DRAFTS in perms
    reopened = progress_scan(cycle=cycle, perms=perms).reopened
    rows = _with_latest_candidates(KPI.objects.filter(cycle=cycle).order_by(), drafts=drafts)
    latest = {}
    for row in rows.values("pk", "latest_any", "latest_year", "latest_month"):
        found = _latest_from_row(row, reopened)
        if found is not None:
            latest[row["pk"]] = found
    return latest


class _KpiRow:
    """The few columns of a KPI that `kpi_values_for` reads, without a model instance."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.approved_version = row.get("approved_version")
        self.approved_snapshot = row.get("approved_snapshot")
        self._content = row

    def review_content(self) -> dict[str, Any]:
        return self._content


KPI_VALUE_FIELDS = ("direction", "baseline_value", "baseline_year", "targets")


def kpi_status_summary(
    *,
    user: Any,
    cycle: Cycle,
    perms: frozenset[Perm],
    scan: ProgressScan | None = None,
) -> KpiSummary:
    """Counts of the cycle's KPIs by progress status, as the reader may see them (two queries;
    one if the caller passes the `progress_scan` it made).

    Readers without drafts count only approved KPIs, with their approved values.
    """
    drafts = Perm.VIEW_DRAFTS in perms
    kpis = restrict_readable_with(KPI.objects.filter(cycle=cycle), perms).order_by()
    if drafts:
        fields: tuple[str, ...] = KPI_VALUE_FIELDS
    else:
        kpis = kpis.filter(approved_version__gt=0)
        fields = ("approved_version", "approved_snapshot")
    reopened: dict[int, UpdateValue] = {}
    if not drafts and Perm.ACCESS in perms:
        reopened = (scan or progress_scan(cycle=cycle, perms=perms)).reopened
    rows = _with_latest_candidates(kpis, drafts=drafts).values(
        "pk", *fields, "latest_any", "latest_year", "latest_month"
    )
    counts = dict.fromkeys(ProgressStatus.values, 0)
    for row in rows:
        values = kpi_values_for(_KpiRow(row), sees_drafts=drafts)
        update = _latest_from_row(row, reopened)
        if values is None:
            counts[ProgressStatus.NO_DATA] += 1
            continue
        counts[kpi_progress(values, [update] if update else []).status] += 1
    return KpiSummary(counts=counts)


@dataclass
class KpiSummary:
    """How many of the cycle's KPIs are on track, at risk, off track or without data."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[tuple[str, Any, int]]:
        return [(status, label, self.counts.get(status, 0)) for status, label in STATUS_ORDER]


STATUS_ORDER = [
    (ProgressStatus.ON_TRACK, ProgressStatus.ON_TRACK.label),
    (ProgressStatus.AT_RISK, ProgressStatus.AT_RISK.label),
    (ProgressStatus.OFF_TRACK, ProgressStatus.OFF_TRACK.label),
    (ProgressStatus.NO_DATA, ProgressStatus.NO_DATA.label),
]
# Recent activity ----------------------------------------------------------------------------------


@dataclass
class ActivityEntry:
    event: ReviewEvent
    label: str | None
    kind_label: Any
    url: str | None


def _label_expression(model: type[Model], *, drafts: bool) -> Any:
    """What names an item in a list: its title (or name), from the snapshot for readers."""
    if model is ProgressUpdate:
        if drafts:
            return Concat(F("kpi__name"), Value(" · "), F("period"), output_field=CharField())
        return Concat(
            KeyTextTransform("name", "kpi__approved_snapshot"),
            Value(" · "),
            KT("approved_snapshot__period"),
            output_field=CharField(),
        )
    names = {f.name for f in model._meta.get_fields()}
    for name in ("title", "name"):
        if name in names:
            return F(name) if drafts else KT(f"approved_snapshot__{name}")
    return Cast("pk", CharField())


def _item_url(model: type[Model], *, pk: int, workspace: Workspace) -> str | None:
    """The item's page, built without fetching it (models address items by workspace and pk)."""
    try:
        return str(model(pk=pk, workspace=workspace).get_absolute_url())  # type: ignore[attr-defined]
    except (AttributeError, NoReverseMatch, ObjectDoesNotExist):
        return None


def recent_activity(
    *, user: Any, workspace: Workspace, perms: frozenset[Perm], limit: int = RECENT_ACTIVITY
) -> list[ActivityEntry]:
    """The latest review events of the workspace, each with the item's name (one query).

    Readers who see drafts see every event; others only approvals, named by the approved text.
    An event of a deleted item keeps its place with no name and no link.
    """
    drafts = Perm.VIEW_DRAFTS in perms
    events = ReviewEvent.objects.filter(workspace=workspace)
    if Perm.ACCESS not in perms:
        return []
    if not drafts:
        events = events.filter(action=ReviewAction.APPROVE)
    models = reviewable_models()
    content_types = ContentType.objects.get_for_models(*models)
    whens = [
        When(
            content_type_id=content_types[model].pk,
            then=Subquery(
                model._default_manager.filter(pk=OuterRef("object_id"))
                .order_by()
                .annotate(item_label=_label_expression(model, drafts=drafts))
                .values("item_label")[:1]
            ),
        )
        for model in models
    ]
    labelled = events.annotate(
        item_label=Case(*whens, default=Value(None), output_field=CharField())
    )
    by_content_type = {content_type.pk: model for model, content_type in content_types.items()}
    entries = []
    for event in labelled.select_related("actor").order_by("-created_at", "-pk")[:limit]:
        model = by_content_type.get(event.content_type_id)
        label = event.item_label
        entries.append(
            ActivityEntry(
                event=event,
                label=label,
                kind_label=model._meta.verbose_name if model else "",
                url=(
                    _item_url(model, pk=event.object_id, workspace=workspace)
                    if model is not None and label is not None
                    else None
                ),
            )
        )
    return entries


# Needs my action ----------------------------------------------------------------------------------


@dataclass
class WaitingItem:
    item: Reviewable
    needed_action: str
    label: str
    kind_label: Any
    url: str | None


def _waiting_label(item: Reviewable) -> str:
    # str() of a progress update reads its KPI: name it by its period to stay at a fixed count.
    if isinstance(item, ProgressUpdate):
        return item.period
    return str(item)


def waiting_items(
    *, user: Any, workspace: Workspace, perms: frozenset[Perm] | None = None
) -> list[WaitingItem]:
    """`needs_my_action` of the workspace, ready to list (one query per reviewable model);
    `perms`: the user's permissions on the workspace, if the caller holds them."""
    return [
        WaitingItem(
            item=item,
            needed_action=item.needed_action,  # type: ignore[attr-defined]
            label=_waiting_label(item),
            kind_label=item._meta.verbose_name,
            url=_item_url(type(item), pk=item.pk, workspace=workspace),
        )
        for item in needs_my_action(user=user, workspace=workspace, perms=perms)
    ]


# The whole overview -----------------------------------------------------------------------------


@dataclass
class CycleOverview:
    cycle: Cycle
    counts: list[KindCount]
    stages: list[StageStatus]
    kpis: KpiSummary
    sees_drafts: bool

    @property
    def columns(self) -> list[Any]:
        """Headings of the count columns: every state for drafts readers, else "Approved"."""
        if self.sees_drafts:
            return [label for _value, label in ReviewState.choices]
        return [ReviewState.APPROVED.label]


def cycle_overview(*, user: Any, cycle: Cycle, perms: frozenset[Perm]) -> CycleOverview:
    """The cycle at a glance; the progress updates, by far the most rows, are read once."""
    progress = progress_scan(cycle=cycle, perms=perms)
    return CycleOverview(
        cycle=cycle,
        counts=cycle_item_counts(
            user=user, cycle=cycle, perms=perms, progress_counts=progress.counts
        ),
        stages=stage_readiness(cycle=cycle),
        kpis=kpi_status_summary(user=user, cycle=cycle, perms=perms, scan=progress),
        sees_drafts=Perm.VIEW_DRAFTS in perms,
    )
