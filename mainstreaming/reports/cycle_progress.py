"""The cycle progress report, for donors: where a planning cycle stands, as its requester may
read it (approved snapshots and approved values only, for readers without drafts).

Parameters: `{"cycle": <id>}` — a cycle of the report's workspace.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from indicators.choices import TOTAL, Axis, GapStatus
from indicators.models import AXIS_FIELDS, DataGap
from indicators.selectors.observations import readable_observations, shown
from stakeholders.choices import CorridorStatus
from stakeholders.corridors_selectors import corridor_list
from stakeholders.models import Workspace
from stakeholders.permissions import Perm
from stakeholders.platforms_selectors import meeting_list, open_follow_up_list

from ..choices import FundingStatus, ImplementationStatus, ReportKind
from ..models import Action, Cycle, Priority, ProgressUpdate, Report
from ..selectors.corridors import corridor_sides
from ..selectors.cycles import cycle_of_workspace_with, stage_readiness
from ..selectors.monitoring import KpiRow, kpi_rows_for, kpi_statuses, status_counts
from ..selectors.planning import Shown, related_for
from ..views.monitoring import kpi_chart
from . import register
from .common import (
    ReportParameterError,
    document_context,
    int_parameter,
    money,
    number,
    readable_with,
    render_document,
    sees_drafts,
    shown_count,
)

TEMPLATE = "reports/documents/cycle_progress.html"
SEXES = ("F", "M", TOTAL)
CHARTED_KPIS = 12  # charts for the first KPIs only: the table lists every one


def cycle_for(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> Cycle:
    pk = int_parameter(parameters, "cycle")
    cycle = None if pk is None else cycle_of_workspace_with(workspace=workspace, perms=perms, pk=pk)
    if cycle is None:
        raise ReportParameterError(_("Choose a planning cycle of this workspace."))
    return cycle


def validate_parameters(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    """'' when the parameters name a cycle the reader may read, else what is wrong."""
    try:
        cycle_for(workspace, parameters, perms)
    except ReportParameterError as error:
        return str(error)
    return ""


def default_title(workspace: Workspace, parameters: Any, perms: frozenset[Perm]) -> str:
    cycle = cycle_for(workspace, parameters, perms)
    return _("Progress report: %(cycle)s") % {"cycle": cycle.title}


# Sections of the report ------------------------------------------------------------------------


@dataclass
class BudgetLine:
    funding: str
    currency: str
    amount: str


@dataclass
class ActionSummary:
    status_counts: list[tuple[str, int]]
    budget: list[BudgetLine]
    without_budget: int
    delayed: list[Shown]
    total: int


def _actions(cycle: Cycle, perms: frozenset[Perm], related: dict[str, Any]) -> list[Shown]:
    """The cycle's actions the reader may read whose objective and priority they read too."""
    queryset = readable_with(Action.objects.filter(cycle=cycle), perms)
    queryset = readable_with(queryset, perms, "objective__")
    queryset = readable_with(queryset, perms, "objective__priority__")
    actions = queryset.select_related("lead_organisation", "objective__priority").order_by(
        "objective__priority__rank", "objective__position", "position", "pk"
    )
    return [Shown(action, perms=perms, related=related) for action in actions]


def action_summary(actions: list[Shown], *, today: datetime.date) -> ActionSummary:
    """Status counts, budgets per funding status and currency (never converted), and actions
    delayed (marked so, or past their end date and neither completed nor cancelled)."""
    counter = Counter(action.implementation_status for action in actions)
    budget: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    without = 0
    delayed = []
    for action in actions:
        amount, currency = action.values.get("budget_amount"), action.values.get("budget_currency")
        if amount is None or not currency:
            without += 1
        else:
            budget[(action.values.get("funding_status") or "", currency)] += Decimal(str(amount))
        status = action.implementation_status
        end = action.values.get("end_date")
        overdue = (
            end is not None
            and end < today
            and status not in (ImplementationStatus.COMPLETED, ImplementationStatus.CANCELLED)
        )
        if status == ImplementationStatus.DELAYED or overdue:
            delayed.append(action)
    funding_order = list(FundingStatus.values)
    lines = [
        BudgetLine(
            funding=str(FundingStatus(funding).label)
            if funding in FundingStatus.values
            else _("Not stated"),
            currency=currency,
            amount=money(amount),
        )
        for (funding, currency), amount in sorted(
            budget.items(),
            key=lambda item: (
                funding_order.index(item[0][0]) if item[0][0] in funding_order else 99,
                item[0][1],
            ),
        )
    ]
    return ActionSummary(
        status_counts=[
            (str(status.label), counter.get(status.value, 0)) for status in ImplementationStatus
        ],
        budget=lines,
        without_budget=without,
        delayed=delayed,
        total=len(actions),
    )


def kpi_rows(
    *, user: Any, workspace: Workspace, cycle: Cycle, perms: frozenset[Perm]
) -> list[KpiRow]:
    """Every KPI the reader may read, with its status and its visible updates (for charts)."""
    lines = kpi_statuses(user=user, workspace=workspace, cycle=cycle, perms=perms)
    rows = kpi_rows_for(lines, user=user, workspace=workspace, perms=perms)
    updates = readable_with(
        ProgressUpdate.objects.filter(kpi__in=[row.pk for row in rows]), perms
    ).order_by("period", "pk")
    by_kpi: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in updates:
        by_kpi[update.kpi_id].append(update)
    for row in rows:
        row.updates = by_kpi.get(row.pk, [])
    return rows


@dataclass
class SexRow:
    code: str
    name: str
    period: str
    cells: list[str]


@dataclass
class DimensionHighlights:
    name: str
    rows: list[SexRow] = field(default_factory=list)


def indicator_highlights(workspace: Workspace, perms: frozenset[Perm]) -> list[DimensionHighlights]:
    """Each indicator's latest period with a visible value, by sex (F, M, total), by dimension;
    other axes at their totals. Small disaggregated counts are suppressed for readers without
    drafts."""
    others = {f"{axis}": TOTAL for axis in AXIS_FIELDS if axis != Axis.SEX}
    observations = (
        readable_observations(workspace, perms)
        .filter(sex__in=SEXES, **others)
        .select_related("indicator", "indicator__unit", "indicator__dimension")
        .order_by("indicator__dimension__position", "indicator__position", "indicator__code")
    )
    latest: dict[int, dict[str, Any]] = {}
    for observation in observations:
        value = shown(observation, perms)
        if value is None:
            continue
        entry = latest.setdefault(observation.indicator_id, {"indicator": observation.indicator})
        by_period = entry.setdefault("periods", {})
        by_period.setdefault(observation.period, {})[observation.sex] = value.value
    groups: dict[str, DimensionHighlights] = {}
    for entry in latest.values():
        indicator = entry["indicator"]
        period = max(entry["periods"], key=lambda p: (p[:4], len(p) == 4, p))
        values: dict[str, Decimal] = entry["periods"][period]
        unit_code = indicator.unit.code
        cells = [
            shown_count(
                values.get(sex),
                unit_code=unit_code,
                is_total=sex == TOTAL,
                workspace=workspace,
                perms=perms,
            )
            for sex in SEXES
        ]
        dimension = str(indicator.dimension.name) if indicator.dimension_id else _("Other")
        group = groups.setdefault(dimension, DimensionHighlights(name=dimension))
        group.rows.append(
            SexRow(
                code=indicator.code,
                name=f"{indicator.name} ({indicator.unit.name})",
                period=period,
                cells=cells,
            )
        )
    return list(groups.values())


def _gaps(workspace: Workspace, perms: frozenset[Perm]) -> list[DataGap]:
    if Perm.ACCESS not in perms:
        return []
    return list(
        DataGap.objects.filter(workspace=workspace)
        .exclude(status=GapStatus.CLOSED)
        .select_related("indicator", "owner")
        .order_by("indicator__code", "year", "pk")
    )


def _corridors(user: Any, workspace: Workspace) -> list[dict[str, Any]]:
    """Active corridors with what each side shares (approved content only, by design)."""
    corridors = []
    for corridor in corridor_list(user=user, workspace=workspace).filter(
        status=CorridorStatus.ACTIVE
    ):
        sides = corridor_sides(corridor=corridor, workspace=workspace)
        corridors.append(
            {"corridor": corridor, "partner": corridor.other_side(workspace), "sides": sides}
        )
    return corridors


@register(ReportKind.CYCLE_PROGRESS)
def build(report: Report, perms: frozenset[Perm]) -> str:
    workspace = report.workspace
    cycle = cycle_for(workspace, report.parameters, perms)
    user = report.requested_by or AnonymousUser()
    drafts = sees_drafts(perms)
    related = related_for(user=user, workspace=workspace)
    today = timezone.localdate()

    priorities = []
    for priority in readable_with(Priority.objects.filter(cycle=cycle), perms).order_by(
        "rank", "pk"
    ):
        one = Shown(priority, perms=perms, related=related)
        one.rationale_html = render_markdown(one.values.get("rationale") or "")  # type: ignore[attr-defined]
        priorities.append(one)
    actions = _actions(cycle, perms, related)
    rows = kpi_rows(user=user, workspace=workspace, cycle=cycle, perms=perms)
    charts = []
    for row in rows[:CHARTED_KPIS]:
        if row.updates or row.content.get("targets"):
            svg, _table = kpi_chart(row, sees=drafts)
            charts.append({"row": row, "svg": svg})

    meetings = list(
        meeting_list(workspace=workspace, perms=perms).filter(
            starts_at__year__gte=cycle.start_year,
            starts_at__year__lte=cycle.end_year,
            starts_at__lte=timezone.now(),
        )
    )
    follow_ups = list(open_follow_up_list(workspace=workspace, perms=perms, today=today))
    stages: list[dict[str, Any]] = [
        {"label": stage.label, "status": stage.status, "approved": stage.approved}
        for stage in stage_readiness(cycle=cycle)
    ]
    status_labels = {
        "signed_off": _("Signed off"),
        "current": _("In progress"),
        "not_started": _("Not started"),
    }
    for stage in stages:
        stage["status_label"] = status_labels.get(stage["status"], stage["status"])

    context = document_context(
        report,
        perms,
        title=report.title or _("Progress report: %(cycle)s") % {"cycle": cycle.title},
        cycle=cycle,
        plan_html=render_markdown(cycle.plan) if cycle.plan else "",
        stages=stages,
        priorities=priorities,
        actions=action_summary(actions, today=today),
        kpis=rows,
        kpi_counts=status_counts(rows),
        charts=charts,
        highlights=indicator_highlights(workspace, perms),
        gaps=_gaps(workspace, perms),
        meetings=meetings,
        follow_ups=follow_ups,
        corridors=_corridors(user, workspace),
        number=number,
    )
    return render_document(TEMPLATE, context)
