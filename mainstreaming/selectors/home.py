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
    IntegerField,
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
from django.db.models.functions import Cast, Concat, Length, Substr
from django.db.models.lookups import Exact
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Workspace
from stakeholders.permissions import Perm, restrict
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
from ..progress import UpdateValue, kpi_progress, kpi_values_for
from .cycles import StageStatus, stage_readiness

RECENT_ACTIVITY = 10
NEEDS_MY_ACTION_SHOWN = 10


def _readable_with[M: Model](queryset: QuerySet[M], perms: frozenset[Perm]) -> QuerySet[M]:
    """`can_read_item_with` as a filter, for items of ONE workspace on which the reader holds
    `perms` (as `workspace_perms` computed them for the view).

    Agrees with `readable_items` for that workspace (tested) but adds no permission subqueries:
    building those six times per page cost more than running the page's queries.
    """
    if Perm.ACCESS not in perms:
        return queryset.none()
    if Perm.VIEW_DRAFTS in perms:
        return queryset
    readable = Q(approved_version__isnull=False)
    if Perm.COMMENT in perms:
        readable |= Q(shared_for_consultation=True)
    return queryset.filter(readable)


def current_cycle(*, user: Any, workspace: Workspace) -> Cycle | None:
    """The cycle the workspace works on: the latest not completed, else the latest."""
    return (
        restrict(Cycle.objects.filter(workspace=workspace), user, Perm.ACCESS)
        .select_related("workspace")
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


def cycle_item_counts(*, user: Any, cycle: Cycle, perms: frozenset[Perm]) -> list[KindCount]:
    """Per kind, the items the reader may read counted by review state (one query per kind).

    Readers of the approved snapshot only are told how many items were approved (an item with a
    new draft version in progress still counts: its approved version is what they read).
    """
    drafts = Perm.VIEW_DRAFTS in perms
    counts = []
    for model, path, stage, label in KINDS:
        items = _readable_with(model._default_manager.filter(**{path: cycle}), perms)
        if drafts:
            aggregates = {
                state: Count("pk", filter=Q(review_state=state)) for state in ReviewState.values
            }
        else:
            aggregates = {ReviewState.APPROVED.value: Count("pk", filter=Q(approved_version__gt=0))}
        row = items.aggregate(**aggregates)
        states = {state: row[state] or 0 for state in aggregates}
        counts.append(
            KindCount(kind=model._meta.model_name or "", label=label, stage=stage, states=states)
        )
    return counts


# KPI status summary -----------------------------------------------------------------------------


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


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def latest_progress_updates(
    *, user: Any, cycle: Cycle, perms: frozenset[Perm]
) -> dict[int, UpdateValue]:
    """KPI id → its latest visible progress update (one query, one pass, no sort).

    Readers who see drafts get every update with its current values; others only approved
    updates with their approved values. "Latest" is `progress.latest_key`: by the end of the
    period, a year after its December. The database keeps, per KPI, the greatest of
    "<sort key><9 - length>|<period>|<value>" (the sort key always has six digits), which a
    single grouped scan finds without sorting years of monthly updates.
    """
    updates = _readable_with(ProgressUpdate.objects.filter(kpi__cycle=cycle), perms)
    if Perm.VIEW_DRAFTS in perms:
        period: Any = F("period")
        value: Any = Cast("actual_value", CharField())
    else:
        updates = updates.filter(approved_version__gt=0)
        # An item in the approved state holds its approved content (any edit reopens it), so
        # the snapshot is read only for updates with a new version in the works.
        approved = Q(review_state=ReviewState.APPROVED)
        period = Case(
            When(approved, then=F("period")),
            default=KT("approved_snapshot__period"),
            output_field=CharField(),
        )
        value = Case(
            When(approved, then=Cast("actual_value", CharField())),
            default=KT("approved_snapshot__actual_value"),
            output_field=CharField(),
        )
    packed = Concat(
        Cast(_period_sort_key(period), CharField()),
        Cast(9 - Length(period), CharField()),
        Value("|"),
        period,
        Value("|"),
        value,
        output_field=CharField(),
    )
    rows = updates.order_by().values("kpi_id").annotate(latest=Max(packed))
    latest = {}
    for row in rows.values_list("kpi_id", "latest"):
        kpi_id, packed_value = row
        _key, shown_period, shown_value = (packed_value or "||").split("|", 2)
        number = _decimal(shown_value)
        if shown_period and number is not None:
            latest[kpi_id] = UpdateValue(period=shown_period, actual_value=number)
    return latest


def kpi_status_summary(*, user: Any, cycle: Cycle, perms: frozenset[Perm]) -> KpiSummary:
    """Counts of the cycle's KPIs by progress status, as the reader may see them (two queries).

    Readers without drafts count only approved KPIs, with their approved values.
    """
    drafts = Perm.VIEW_DRAFTS in perms
    kpis = _readable_with(KPI.objects.filter(cycle=cycle), perms)
    if not drafts:
        kpis = kpis.filter(approved_version__gt=0)
    latest = latest_progress_updates(user=user, cycle=cycle, perms=perms)
    counts = dict.fromkeys(ProgressStatus.values, 0)
    for kpi in kpis:
        values = kpi_values_for(kpi, sees_drafts=drafts)
        update = latest.get(kpi.pk)
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


def waiting_items(*, user: Any, workspace: Workspace) -> list[WaitingItem]:
    """`needs_my_action` of the workspace, ready to list (one query per reviewable model)."""
    return [
        WaitingItem(
            item=item,
            needed_action=item.needed_action,  # type: ignore[attr-defined]
            label=_waiting_label(item),
            kind_label=item._meta.verbose_name,
            url=_item_url(type(item), pk=item.pk, workspace=workspace),
        )
        for item in needs_my_action(user=user, workspace=workspace)
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
    return CycleOverview(
        cycle=cycle,
        counts=cycle_item_counts(user=user, cycle=cycle, perms=perms),
        stages=stage_readiness(cycle=cycle),
        kpis=kpi_status_summary(user=user, cycle=cycle, perms=perms),
        sees_drafts=Perm.VIEW_DRAFTS in perms,
    )
