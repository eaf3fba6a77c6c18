"""Reads on planning cycles: restricted querysets with their joins declared once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, F, Model, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.models import Workspace
from stakeholders.permissions import Perm, restrict
from stakeholders.review import ReviewState, readable_items, sees_drafts

from ..choices import CycleStage
from ..models import (
    KPI,
    Action,
    Cycle,
    Evidence,
    Objective,
    Priority,
    SituationSection,
    StageSignoff,
)


def cycle_list(*, user: Any, workspace: Workspace) -> QuerySet[Cycle]:
    """The workspace's cycles, current ones (not completed) first, newest first."""
    return (
        restrict(Cycle.objects.filter(workspace=workspace), user, Perm.ACCESS)
        .select_related("workspace")
        .order_by(
            F("completed_at").desc(nulls_first=True),  # current cycles (no end) first
            "-start_year",
            "title",
            "pk",
        )
    )


def cycle_of_workspace_with(
    *, workspace: Workspace, perms: frozenset[Perm], pk: Any
) -> Cycle | None:
    """Cycle `pk` of `workspace` for a reader holding `perms` on it (as `workspace_perms`
    computed them, e.g. `WorkspaceMixin.perms`), else None: what `cycle_list(...).filter(pk=pk)`
    finds, without its permission subqueries since the workspace's permissions are known."""
    if Perm.ACCESS not in perms or not str(pk).isdigit():
        return None
    cycle = Cycle.objects.filter(workspace=workspace, pk=pk).order_by().first()
    if cycle is not None:
        cycle.workspace = workspace  # the row the caller holds: no join, no second query
    return cycle


def situation_section_list(*, user: Any, cycle: Cycle) -> QuerySet[SituationSection]:
    """The cycle's sections the user may read, in order; show each through `visible_content`."""
    return (
        readable_items(SituationSection.objects.filter(cycle=cycle), user=user)
        .select_related("cycle", "workspace", "submitted_by", "approved_by", "created_by")
        .order_by("position", "pk")
    )


def situation_section_for(*, user: Any, workspace: Workspace) -> QuerySet[SituationSection]:
    """Sections of the workspace the user may read, with what their detail pages show."""
    return (
        readable_items(SituationSection.objects.filter(workspace=workspace), user=user)
        .select_related("cycle", "workspace", "submitted_by", "approved_by", "created_by")
        .order_by("position", "pk")
    )


def evidence_visible_to(
    evidence: Evidence, *, section: SituationSection, perms: frozenset[Perm]
) -> bool:
    """May a reader holding `perms`, who can read `section`, see and download this evidence?

    Readers of the approved snapshot see only evidence added up to the approved version.
    """
    if sees_drafts(perms, section):
        return True
    return evidence.added_in_version <= (section.approved_version or 0)


def evidence_list(
    *, user: Any, section: SituationSection, perms: frozenset[Perm]
) -> QuerySet[Evidence]:
    """The evidence of a section (already fetched through a restricted selector) that the
    reader may see; the file links on the page are exactly these."""
    queryset = restrict(Evidence.objects.filter(section=section), user, Perm.ACCESS).select_related(
        "added_by"
    )
    if not sees_drafts(perms, section):
        queryset = queryset.filter(added_in_version__lte=section.approved_version or 0)
    return queryset.order_by("created_at", "pk")


def evidence_for(*, user: Any, workspace: Workspace) -> QuerySet[Evidence]:
    """Evidence of the workspace whose section the user may read (check `evidence_visible_to`
    too before showing or serving it)."""
    readable = readable_items(SituationSection.objects.filter(workspace=workspace), user=user)
    return (
        restrict(Evidence.objects.filter(workspace=workspace), user, Perm.ACCESS)
        .filter(section__in=readable.values("pk"))
        .select_related("section", "section__workspace", "section__cycle", "workspace", "added_by")
    )


# Stages ----------------------------------------------------------------------------------------


@dataclass
class StageItem:
    """One item of a stage as the readiness check sees it (its current title and state)."""

    kind: str
    title: str
    state: str
    state_label: str
    approved_version: int | None


@dataclass
class StageStatus:
    """Where one stage of a cycle stands.

    `status` is "signed_off", "current" or "not_started". `counts` maps each review state to the
    number of the stage's items in it; `approved` is the number of items with an approved
    version. `missing` (items not approved) and `problems` (sentences saying what stops the
    sign-off) hold draft titles: show them only to readers who may see drafts.
    """

    stage: str
    label: str
    status: str
    signoff: StageSignoff | None
    counts: dict[str, int]
    total: int
    approved: int
    missing: list[StageItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    @property
    def state_counts(self) -> list[tuple[str, str, int]]:
        """(state, label, count) in the order of the review, for display."""
        return [
            (state.value, str(state.label), self.counts.get(state.value, 0))
            for state in ReviewState
        ]


# (kind, model, title column, sort columns): the items of each stage, in the order of its page.
_STAGE_KINDS: tuple[tuple[str, type[Model], str, tuple[str, str]], ...] = (
    ("section", SituationSection, "title", ("position", "position")),
    ("priority", Priority, "title", ("rank", "rank")),
    ("objective", Objective, "title", ("priority__rank", "position")),
    ("action", Action, "title", ("position", "position")),
    ("kpi", KPI, "name", ("position", "position")),
)
_KIND_ORDER = {kind: index for index, (kind, *_rest) in enumerate(_STAGE_KINDS)}


def _stage_counts(cycle: Cycle) -> dict[str, dict[str, tuple[int, int]]]:
    """kind → review state → (items, items with an approved version), in one query."""
    parts = [
        model._default_manager.filter(cycle=cycle)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values("kind", "review_state")
        .annotate(n=Count("pk"), approved=Count("approved_version"))
        .values_list("kind", "review_state", "n", "approved")
        for kind, model, _title, _sort in _STAGE_KINDS
    ]
    found: dict[str, dict[str, tuple[int, int]]] = {kind: {} for kind in _KIND_ORDER}
    for kind, state, number, approved in parts[0].union(*parts[1:], all=True).order_by():
        found[kind][state] = (number, approved)
    return found


def _missing_items(cycle: Cycle) -> dict[str, list[StageItem]]:
    """kind → the items not approved, in page order (one query; approved items not read)."""
    labels = {state: str(label) for state, label in ReviewState.choices}
    parts = [
        model._default_manager.filter(cycle=cycle)
        .exclude(review_state=ReviewState.APPROVED)
        .order_by()
        .annotate(
            kind=Value(kind, output_field=CharField()),
            shown_title=F(title),
            first=F(sort[0]),
            second=F(sort[1]),
        )
        .values_list(
            "kind", "shown_title", "review_state", "approved_version", "first", "second", "pk"
        )
        for kind, model, title, sort in _STAGE_KINDS
    ]
    rows = sorted(
        parts[0].union(*parts[1:], all=True).order_by(),
        key=lambda row: (_KIND_ORDER[row[0]], row[4] or 0, row[5] or 0, row[6]),
    )
    found: dict[str, list[StageItem]] = {kind: [] for kind in _KIND_ORDER}
    for kind, title, state, approved_version, _first, _second, _pk in rows:
        found[kind].append(
            StageItem(
                kind=kind,
                title=title,
                state=state,
                state_label=labels.get(state, state),
                approved_version=approved_version,
            )
        )
    return found


def _not_approved_sentence(kind: str, missing: list[StageItem]) -> str:
    listing = ", ".join(f"{item.title} ({item.state_label.lower()})" for item in missing)
    count = len(missing)
    templates = {
        "section": ngettext(
            "%(count)s section not approved: %(items)s",
            "%(count)s sections not approved: %(items)s",
            count,
        ),
        "priority": ngettext(
            "%(count)s priority not approved: %(items)s",
            "%(count)s priorities not approved: %(items)s",
            count,
        ),
        "objective": ngettext(
            "%(count)s objective not approved: %(items)s",
            "%(count)s objectives not approved: %(items)s",
            count,
        ),
        "action": ngettext(
            "%(count)s action not approved: %(items)s",
            "%(count)s actions not approved: %(items)s",
            count,
        ),
        "kpi": ngettext(
            "%(count)s KPI not approved: %(items)s",
            "%(count)s KPIs not approved: %(items)s",
            count,
        ),
    }
    return templates[kind] % {"count": count, "items": listing}


def _empty_sentence(kind: str) -> str:
    return {
        "section": _("The situation analysis has no section yet."),
        "priority": _("No priority has been added yet."),
        "action": _("The action plan has no action yet: add at least one."),
        "kpi": _("No KPI has been added yet: add at least one."),
    }[kind]


def stage_readiness(*, cycle: Cycle) -> list[StageStatus]:
    """The four stages of `cycle` in order, each with its status, counts and what stops it.

    Counts all the cycle's items whoever asks: fetch `cycle` through a restricted selector
    first, and show `missing`/`problems` (draft titles) only to readers with Perm.VIEW_DRAFTS;
    `approved` and the status are safe for every reader. A stage is ready for sign-off when it
    has at least one item and all are approved (the action plan needs at least one action, M&E
    at least one KPI). Three queries whatever the size: sign-offs, the counts by kind and state
    (aggregated in the database), the titles of the items not approved.
    """
    signoffs = {
        signoff.stage: signoff
        for signoff in StageSignoff.objects.filter(cycle=cycle).select_related("signed_by")
    }
    counted = _stage_counts(cycle)
    missing_of = _missing_items(cycle)
    kinds_of_stage = {
        CycleStage.SITUATION_ANALYSIS: ["section"],
        CycleStage.PRIORITIES: ["priority"],
        CycleStage.ACTION_PLAN: ["objective", "action"],
        CycleStage.MONITORING: ["kpi"],
    }
    stages = list(CycleStage)
    current_index = stages.index(CycleStage(cycle.current_stage))
    statuses = []
    for index, stage in enumerate(stages):
        if stage in signoffs or cycle.completed_at is not None or index < current_index:
            status = "signed_off"
        elif index == current_index:
            status = "current"
        else:
            status = "not_started"
        counts: Counter[str] = Counter()
        missing: list[StageItem] = []
        problems: list[str] = []
        approved = total = 0
        for kind in kinds_of_stage[stage]:
            items = 0
            for state, (number, with_approved_version) in counted[kind].items():
                counts[state] += number
                approved += with_approved_version
                items += number
            total += items
            not_approved = missing_of[kind]
            missing += not_approved
            if not items and kind != "objective":  # actions need objectives: one sentence
                problems.append(_empty_sentence(kind))
            if not_approved:
                problems.append(_not_approved_sentence(kind, not_approved))
        statuses.append(
            StageStatus(
                stage=stage.value,
                label=str(stage.label),
                status=status,
                signoff=signoffs.get(stage.value),
                counts=dict(counts),
                total=total,
                approved=approved,
                missing=missing,
                problems=problems,
            )
        )
    return statuses


__all__ = [
    "StageItem",
    "StageStatus",
    "cycle_list",
    "cycle_of_workspace_with",
    "evidence_for",
    "evidence_list",
    "evidence_visible_to",
    "situation_section_for",
    "situation_section_list",
    "stage_readiness",
]
