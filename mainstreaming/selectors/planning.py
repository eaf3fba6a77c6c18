"""Reads on priorities, concerns, objectives and actions: restricted querysets, joins declared
once, and `Shown` — an item as one reader may see it (draft or approved snapshot).

Every list applies the reading rule per row (`readable_items`) and, for children, to their
parents too: an action is listed only when its objective and priority are readable, so a reader
of approved content never learns the title of a draft through its child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Exists, Field, Prefetch, Q, QuerySet

from stakeholders.models import Organisation, Workspace
from stakeholders.permissions import Perm, restrict, workspaces_with
from stakeholders.review import Reviewable, readable_items, sees_drafts, visible_content

from ..models import KPI, Action, Cycle, EntryPointConcern, Objective, Priority

# Shown -----------------------------------------------------------------------------------------


class Shown:
    """An item as a reader holding `perms` sees it.

    The reviewed fields come from `visible_content` (the approved snapshot for readers without
    drafts), converted back to Python values; a reviewed foreign key `<name>_id` also gives
    `<name>` from `related[<name>]` (a dict id → object, loaded once per page) or from the item's
    own (select_related) relation when the ids agree. `get_<field>_display` works on the shown
    value. Everything else is the item's own attribute.
    """

    # Children, set by the selectors that build trees (plan_tree, the pages).
    objectives: list[Shown]
    actions: list[Shown]
    kpis: list[Shown]

    def __init__(
        self,
        item: Reviewable,
        *,
        perms: frozenset[Perm],
        related: dict[str, dict[Any, Any]] | None = None,
    ) -> None:
        self.item = item
        self.pk = item.pk
        self.snapshot_only = not sees_drafts(perms, item)
        content = visible_content(item, perms=perms)
        values: dict[str, Any] = {}
        for name in item.review_fields:
            if name not in content:
                continue
            value = content[name]
            if name.endswith("_id"):
                base = name.removesuffix("_id")
                values[name] = value
                values[base] = _related(item, base, value, (related or {}).get(base))
            else:
                model_field = cast("Field[Any, Any]", item._meta.get_field(name))
                values[name] = model_field.to_python(value) if value is not None else None
        self.values = values

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        if name.startswith("get_") and name.endswith("_display"):
            field_name = name.removeprefix("get_").removesuffix("_display")
            if field_name in values:
                choices = dict(self.__dict__["item"]._meta.get_field(field_name).flatchoices)
                value = values[field_name]
                return lambda: choices.get(value, value)
        return getattr(self.__dict__["item"], name)

    def __str__(self) -> str:
        return str(self.values.get("title") or self.values.get("name") or self.item)


def _related(item: Any, base: str, value: Any, lookup: dict[Any, Any] | None) -> Any:
    if value is None:
        return None
    if lookup is not None:
        return lookup.get(value)
    if getattr(item, f"{base}_id", None) == value:
        return getattr(item, base)
    return None


def show[R: Reviewable](
    items: Iterable[R], *, perms: frozenset[Perm], related: dict[str, dict[Any, Any]] | None = None
) -> list[Shown]:
    return [Shown(item, perms=perms, related=related) for item in items]


# Concerns --------------------------------------------------------------------------------------


def concern_list(*, user: Any, workspace: Workspace) -> QuerySet[EntryPointConcern]:
    """The portal's default concerns and the workspace's own (none if it cannot be seen)."""
    visible = workspaces_with(user, Perm.ACCESS).filter(pk=workspace.pk)
    return (
        EntryPointConcern.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .filter(Exists(visible))
        .order_by("workspace_id", "name")
    )


def concern_choices(*, user: Any, workspace: Workspace) -> list[tuple[int, str]]:
    """(id, name) of the concerns a priority of `workspace` may start from, defaults first."""
    concerns = list(concern_list(user=user, workspace=workspace))
    defaults = sorted((c for c in concerns if c.workspace_id is None), key=str)
    own = [c for c in concerns if c.workspace_id is not None]
    return [(c.pk, str(c)) for c in [*defaults, *own]]


def national_priority_choices_unrestricted(*, workspace: Workspace) -> list[tuple[int, str]]:
    """(id, approved title) of the approved priorities of `workspace`'s national workspace.

    The one deliberate exception to reading through `restrict`: a local workspace's editors are
    usually not members of the national workspace, yet they must link their priorities to its
    approved ones. Only approved content, only ids and approved titles, only of the parent.
    """
    if workspace.parent_id is None:
        return []
    rows = (
        Priority.objects.filter(workspace_id=workspace.parent_id, approved_version__isnull=False)
        .order_by("cycle__start_year", "cycle_id", "rank", "pk")
        .values_list("pk", "approved_snapshot")
    )
    return [(pk, str((snapshot or {}).get("title", ""))) for pk, snapshot in rows]


# Priorities ------------------------------------------------------------------------------------

PRIORITY_JOINS = ("cycle", "workspace", "concern", "approved_by", "submitted_by", "created_by")


def priority_queryset(*, user: Any, workspace: Workspace) -> QuerySet[Priority]:
    """The workspace's priorities the user may read, with the joins of every page."""
    return readable_items(Priority.objects.filter(workspace=workspace), user=user).select_related(
        *PRIORITY_JOINS
    )


def priority_list(*, user: Any, cycle: Cycle) -> QuerySet[Priority]:
    """The cycle's readable priorities, in rank order."""
    return (
        priority_queryset(user=user, workspace=cycle.workspace)
        .filter(cycle=cycle)
        .order_by("rank", "pk")
    )


def linked_local_priority_list(*, user: Any, priority: Priority) -> QuerySet[Priority]:
    """Approved local priorities whose approved version serves `priority` and that `user` reads."""
    return (
        readable_items(
            Priority.objects.filter(
                approved_version__isnull=False,
                approved_snapshot__national_priority_id=priority.pk,
            ),
            user=user,
        )
        .select_related("workspace")
        .order_by("workspace__name", "rank", "pk")
    )


def related_for(*, user: Any, workspace: Workspace) -> dict[str, dict[Any, Any]]:
    """Lookups for the reviewed foreign keys of the plan's items (two queries)."""
    concerns = {c.pk: c for c in concern_list(user=user, workspace=workspace)}
    organisations = {
        o.pk: o
        for o in restrict(Organisation.objects.filter(workspace=workspace), user, Perm.ACCESS)
    }
    related: dict[str, dict[Any, Any]] = {
        "concern": concerns,
        "lead_organisation": organisations,
        "responsible_organisation": organisations,
    }
    if workspace.parent_id is not None:
        # Only approved titles: a local reader never sees a national draft through the link.
        related["national_priority"] = dict(
            national_priority_choices_unrestricted(workspace=workspace)
        )
    return related


# Objectives and actions ------------------------------------------------------------------------

OBJECTIVE_JOINS = ("priority", "cycle", "workspace", "approved_by", "submitted_by", "created_by")
ACTION_JOINS = (
    "objective",
    "objective__priority",
    "cycle",
    "workspace",
    "lead_organisation",
    "approved_by",
    "submitted_by",
    "created_by",
)


def objective_queryset(*, user: Any, workspace: Workspace) -> QuerySet[Objective]:
    """Readable objectives of the workspace whose priority is readable too."""
    priorities = readable_items(Priority.objects.filter(workspace=workspace), user=user)
    return (
        readable_items(Objective.objects.filter(workspace=workspace), user=user)
        .filter(priority__in=priorities.values("pk"))
        .select_related(*OBJECTIVE_JOINS)
    )


def action_queryset(*, user: Any, workspace: Workspace) -> QuerySet[Action]:
    """Readable actions of the workspace whose objective and priority are readable too."""
    objectives = objective_queryset(user=user, workspace=workspace)
    return (
        readable_items(Action.objects.filter(workspace=workspace), user=user)
        .filter(objective__in=objectives.values("pk"))
        .select_related(*ACTION_JOINS)
        .prefetch_related(Prefetch("partners", queryset=Organisation.objects.order_by("name")))
    )


def action_list(*, user: Any, cycle: Cycle) -> QuerySet[Action]:
    """The cycle's readable actions in plan order (priority rank, objective, action)."""
    return (
        action_queryset(user=user, workspace=cycle.workspace)
        .filter(cycle=cycle)
        .order_by("objective__priority__rank", "objective__position", "position", "pk")
    )


def objectives_with_actions(*, user: Any, priority: Priority) -> QuerySet[Objective]:
    """The priority's readable objectives, each with `readable_actions` (two queries)."""
    actions = (
        readable_items(Action.objects.all(), user=user)
        .select_related("lead_organisation")
        .order_by("position", "pk")
    )
    return (
        objective_queryset(user=user, workspace=priority.workspace)
        .filter(priority=priority)
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="readable_actions"))
        .order_by("position", "pk")
    )


def kpi_queryset(*, user: Any) -> QuerySet[KPI]:
    return readable_items(KPI.objects.all(), user=user).select_related("responsible_organisation")


def plan_tree(*, user: Any, cycle: Cycle, perms: frozenset[Perm]) -> list[Shown]:
    """Priority → objectives → actions → KPIs as the user sees them (a fixed number of queries).

    Each Shown priority has `.objectives`, each objective `.actions` and `.kpis`, each action
    `.kpis`; only readable children of readable parents.
    """
    kpis = kpi_queryset(user=user).order_by("position", "pk")
    actions = (
        readable_items(Action.objects.all(), user=user)
        .select_related("lead_organisation")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
            Prefetch("kpis", queryset=kpis, to_attr="readable_kpis"),
        )
        .order_by("position", "pk")
    )
    objectives = (
        readable_items(Objective.objects.all(), user=user)
        .prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="readable_actions"),
            Prefetch("kpis", queryset=kpis, to_attr="readable_kpis"),
        )
        .order_by("position", "pk")
    )
    priorities = priority_list(user=user, cycle=cycle).prefetch_related(
        Prefetch("objectives", queryset=objectives, to_attr="readable_objectives")
    )
    related = related_for(user=user, workspace=cycle.workspace)
    tree = []
    for priority in priorities:
        shown = Shown(priority, perms=perms, related=related)
        shown.objectives = []
        for objective in getattr(priority, "readable_objectives", []):
            shown_objective = Shown(objective, perms=perms, related=related)
            shown_objective.kpis = show(objective.readable_kpis, perms=perms, related=related)
            shown_objective.actions = []
            for action in objective.readable_actions:
                shown_action = Shown(action, perms=perms, related=related)
                shown_action.kpis = show(
                    getattr(action, "readable_kpis", []), perms=perms, related=related
                )
                shown_objective.actions.append(shown_action)
            shown.objectives.append(shown_objective)
        tree.append(shown)
    return tree


# Budgets ---------------------------------------------------------------------------------------


@dataclass
class BudgetTotals:
    """Budgets summed per currency (never converted), overall and per priority."""

    overall: dict[str, Decimal] = field(default_factory=dict)
    by_priority: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    without_budget: int = 0

    @staticmethod
    def rows(totals: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
        return sorted(totals.items())

    @property
    def overall_rows(self) -> list[tuple[str, Decimal]]:
        return self.rows(self.overall)


def budget_totals(actions: QuerySet[Action], *, perms: frozenset[Perm]) -> BudgetTotals:
    """Sum the shown budgets of `actions` per currency, overall and per priority (one query).

    Readers of approved content get the sums of the approved budgets.
    """
    overall: dict[str, Decimal] = defaultdict(Decimal)
    by_priority: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    without = 0
    rows = actions.order_by().values_list(
        "objective__priority_id",
        "budget_amount",
        "budget_currency",
        "approved_snapshot",
        "shared_for_consultation",
    )
    drafts = Perm.VIEW_DRAFTS in perms
    for priority_id, amount, currency, snapshot, shared in rows:
        if not (drafts or (Perm.COMMENT in perms and shared)):
            snapshot = snapshot or {}
            amount = snapshot.get("budget_amount")
            currency = snapshot.get("budget_currency", "")
        if amount is None or not currency:
            without += 1
            continue
        value = Decimal(str(amount))
        overall[currency] += value
        by_priority[priority_id][currency] += value
    return BudgetTotals(
        overall=dict(overall),
        by_priority={k: dict(v) for k, v in by_priority.items()},
        without_budget=without,
    )
