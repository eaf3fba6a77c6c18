"""The planning-cycle part of the illustrative demo (DESIGN §7). Safe to run again.

Runs after `stakeholders.demo.load()`: it uses its workspaces and accounts. Every item goes
through the services and the review mechanism with the demo users, so the four-eyes rule holds
(the editor writes and submits, the reviewer approves or returns, the coordinator signs off).
All names, figures and texts are invented and labelled illustrative.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from stakeholders.models import Organisation, User, Workspace
from stakeholders.review import review_approve, review_edit, review_return, review_submit

from .choices import CycleStage, Direction, FundingStatus, ImplementationStatus, PolicyLevel
from .models import KPI, Action, Cycle, EntryPointConcern, Objective, Priority
from .services.cycles import cycle_create, stage_signoff
from .services.monitoring import kpi_create, progress_update_create
from .services.planning import (
    action_create,
    action_set_status,
    objective_create,
    priority_create,
)

NATIONAL_CYCLE = "Illustrative cycle 2025–2029"
CITY_CYCLE = "Illustrative city cycle 2026–2030"
ILLUSTRATIVE = "*Illustrative demo text: invented to show how the portal works.*"

SECTION_NARRATIVES = [
    "Growth has averaged about 5% a year while a large share of young people work informally. "
    "The national strategy aims at structural transformation and inclusive growth.",
    "Emigration goes mainly to neighbouring countries and Europe; remittances are worth around "
    "a tenth of GDP. Internal migration to the capital and return migration are rising.",
    "A national migration policy is being validated; labour migration agreements exist with "
    "three destination countries. Diaspora investment has its own legal framework.",
    "An inter-ministerial committee chaired by the planning ministry coordinates the work; "
    "focal points sit in the line ministries and in the capital city.",
    "Civil society, diaspora associations, employers and development partners meet in a "
    "national working group on migration and development.",
    "Census and labour-force surveys cover migration partly; return migration and "
    "remittances by channel are the main data gaps.",
    "Line ministries ask for training on mainstreaming and on monitoring with indicators.",
    "Women make up a growing share of emigrants; recruitment abuses and access to consular "
    "services are the main rights concerns raised by migrant associations.",
]

# What happens to some sections after the situation analysis was signed off: a new version is
# opened (draft), submitted, or submitted and returned with a reason.
SECTION_LATER = {
    5: ("draft", "A new labour-force survey round adds questions on return migration."),
    6: ("submitted", "A capacity assessment of six line ministries has been completed."),
    7: ("returned", "Recruitment agencies registered with the labour ministry are listed."),
}
RETURN_REASON = "Please add the source and the year of the list of recruitment agencies."


@dataclass
class ActionSpec:
    title: str
    lead: str
    partners: tuple[str, ...]
    start: datetime.date
    end: datetime.date
    budget: Decimal | None
    currency: str
    funding: str
    status: str
    funding_source: str = ""


@dataclass
class KpiSpec:
    name: str
    unit: str
    direction: str
    baseline: Decimal
    targets: dict[int, Decimal]
    responsible: str
    updates: tuple[tuple[str, Decimal, str], ...] = ()  # (period, value, final review state)


@dataclass
class PrioritySpec:
    title: str
    concern: str
    gender: str
    rights: str
    affected: str
    objectives: tuple[tuple[str, tuple[ActionSpec, ...], tuple[KpiSpec, ...]], ...]


D = datetime.date
X = Decimal

PRIORITIES = [
    PrioritySpec(
        title="Lower the cost and widen the productive use of remittances",
        concern="remittances",
        gender="Women receive most remittances and run most households that depend on them.",
        rights="Migrants keep control over their money; no product is made compulsory.",
        affected="Remittance-receiving households, migrants abroad, microfinance clients.",
        objectives=(
            (
                "More remittances flow through formal, cheaper digital channels",
                (
                    ActionSpec(
                        "Publish a remittance price comparison website",
                        "MPLAN",
                        ("DPA", "CCI"),
                        D(2025, 3, 1),
                        D(2026, 12, 31),
                        X("150000000"),
                        "XOF",
                        FundingStatus.FUNDED,
                        ImplementationStatus.ON_TRACK,
                        "National budget",
                    ),
                    ActionSpec(
                        "Train rural savings groups on digital transfers",
                        "MFA",
                        ("MRN",),
                        D(2026, 1, 1),
                        D(2028, 6, 30),
                        X("420000"),
                        "EUR",
                        FundingStatus.PARTLY,
                        ImplementationStatus.DELAYED,
                        "Development partner grant",
                    ),
                ),
                (
                    KpiSpec(
                        "Share of remittances received through formal digital channels",
                        "percent",
                        Direction.HIGHER,
                        X(35),
                        {2025: X(40), 2027: X(50), 2029: X(60)},
                        "NSO",
                        (
                            ("2025", X(39), "approved"),
                            ("2026-Q2", X(44), "approved"),
                            ("2026-Q3", X(46), "draft"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrioritySpec(
        title="Fair recruitment and protection of migrant workers",
        concern="workers",
        gender="Domestic workers, mostly women, face the highest recruitment fees and abuses.",
        rights="Zero recruitment fees for workers; access to complaints and consular help.",
        affected="Prospective and current migrant workers, their families.",
        objectives=(
            (
                "Migrant workers pay less to be recruited",
                (
                    ActionSpec(
                        "License and inspect private recruitment agencies",
                        "MLE",
                        ("MRN",),
                        D(2025, 6, 1),
                        D(2029, 12, 31),
                        X("85000000"),
                        "XOF",
                        FundingStatus.FUNDED,
                        ImplementationStatus.ON_TRACK,
                        "National budget",
                    ),
                    ActionSpec(
                        "Pre-departure orientation in four regional centres",
                        "MLE",
                        ("UNCT",),
                        D(2026, 1, 1),
                        D(2027, 12, 31),
                        X("260000"),
                        "EUR",
                        FundingStatus.UNFUNDED,
                        ImplementationStatus.NOT_STARTED,
                    ),
                ),
                (
                    KpiSpec(
                        "Average recruitment fees paid by migrant workers",
                        "months of earnings",
                        Direction.LOWER,
                        X("3.0"),
                        {2027: X("2.0"), 2029: X("1.0")},
                        "MLE",
                        (("2025", X("2.9"), "approved"), ("2026", X("2.8"), "approved")),
                    ),
                ),
            ),
            (
                "Consular services reach migrants faster",
                (
                    ActionSpec(
                        "Digitise consular document requests",
                        "MFA",
                        (),
                        D(2025, 1, 1),
                        D(2026, 6, 30),
                        X("95000000"),
                        "XOF",
                        FundingStatus.FUNDED,
                        ImplementationStatus.COMPLETED,
                        "National budget",
                    ),
                ),
                (
                    KpiSpec(
                        "Median days to issue a consular document",
                        "days",
                        Direction.LOWER,
                        X(45),
                        {2026: X(30), 2028: X(20)},
                        "MFA",
                        (("2025-Q4", X(38), "approved"), ("2026-Q3", X(29), "approved")),
                    ),
                ),
            ),
        ),
    ),
    PrioritySpec(
        title="Skills and jobs for returning migrants and young people",
        concern="skills",
        gender="Training places are shared equally between women and men.",
        rights="Returnees access services whatever the reason of their return.",
        affected="Returnees, young job seekers, employers.",
        objectives=(
            (
                "Returnees find work or training within a year",
                (
                    ActionSpec(
                        "Open a one-stop reintegration desk in each region",
                        "MLE",
                        ("UNCT", "CCI"),
                        D(2025, 9, 1),
                        D(2028, 12, 31),
                        X("1200000"),
                        "EUR",
                        FundingStatus.PARTLY,
                        ImplementationStatus.ON_TRACK,
                        "EU trust fund (illustrative)",
                    ),
                ),
                (
                    KpiSpec(
                        "Returnees placed in jobs or training",
                        "people",
                        Direction.HIGHER,
                        X(0),
                        {2025: X(500), 2026: X(1500), 2027: X(3000)},
                        "MLE",
                        (("2025-Q4", X(450), "approved"), ("2026-Q2", X(850), "approved")),
                    ),
                    KpiSpec(
                        "Women among trained labour-migration officers",
                        "percent",
                        Direction.HIGHER,
                        X(20),
                        {2026: X(35), 2029: X(50)},
                        "MLE",
                        (("2025", X(22), "approved"), ("2026-Q2", X(24), "submitted")),
                    ),
                ),
            ),
        ),
    ),
    PrioritySpec(
        title="Engage the diaspora in local investment",
        concern="diaspora",
        gender="Diaspora women entrepreneurs get a dedicated credit line.",
        rights="Investors abroad get the same protection as residents.",
        affected="Diaspora investors, home-town associations, local governments.",
        objectives=(
            (
                "More diaspora investment projects reach financing",
                (
                    ActionSpec(
                        "Set up a diaspora investment guarantee fund",
                        "MFA",
                        ("DIA", "DPA"),
                        D(2026, 1, 1),
                        D(2029, 12, 31),
                        X("2500000000"),
                        "XOF",
                        FundingStatus.UNFUNDED,
                        ImplementationStatus.NOT_STARTED,
                    ),
                ),
                (
                    KpiSpec(
                        "Diaspora investment projects registered",
                        "projects",
                        Direction.HIGHER,
                        X(12),
                        {2027: X(40), 2029: X(80)},
                        "DIA",
                    ),
                ),
            ),
        ),
    ),
    PrioritySpec(
        title="Adapt to climate-driven mobility in coastal and Sahelian areas",
        concern="climate",
        gender="Women left behind when men migrate seasonally take on farm work and debt.",
        rights="Planned relocation only with the free and informed consent of communities.",
        affected="Coastal fishing communities, pastoralists, seasonal migrants.",
        objectives=(
            (
                "Climate risks are part of local migration planning",
                (
                    ActionSpec(
                        "Map climate-related displacement risk by district",
                        "NSO",
                        ("UNCT",),
                        D(2026, 4, 1),
                        D(2027, 3, 31),
                        X("180000"),
                        "EUR",
                        FundingStatus.FUNDED,
                        ImplementationStatus.ON_TRACK,
                        "Development partner grant",
                    ),
                ),
                (),
            ),
        ),
    ),
]


def _accounts() -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=ACCOUNT_NAMES)}


ACCOUNT_NAMES = ("coordinator", "editor", "reviewer", "citycoordinator")


def _approve(items: list[Any], *, editor: User, reviewer: User) -> None:
    review_submit(actor=editor, items=items)
    review_approve(actor=reviewer, items=items)


def _concerns() -> dict[str, EntryPointConcern]:
    return {c.code: c for c in EntryPointConcern.objects.filter(workspace__isnull=True)}


def _organisations(workspace: Workspace) -> dict[str, Organisation]:
    return {o.acronym: o for o in Organisation.objects.filter(workspace=workspace)}


def _national_cycle(workspace: Workspace, users: dict[str, User]) -> Cycle:
    editor, reviewer, coordinator = users["editor"], users["reviewer"], users["coordinator"]
    cycle = cycle_create(
        actor=editor,
        workspace=workspace,
        title=NATIONAL_CYCLE,
        start_year=2025,
        end_year=2029,
        plan="Illustrative national development strategy 2025–2029.",
    )
    # Situation analysis: eight sections written, approved and signed off.
    sections = list(cycle.sections.order_by("position"))
    for section, narrative in zip(sections, SECTION_NARRATIVES, strict=True):
        review_edit(
            actor=editor,
            item=section,
            expected_lock_version=section.lock_version,
            narrative=f"{narrative}\n\n{ILLUSTRATIVE}",
        )
    _approve(sections, editor=editor, reviewer=reviewer)
    stage_signoff(actor=coordinator, cycle=cycle, stage=CycleStage.SITUATION_ANALYSIS)

    # Priorities, approved and signed off; then the action plan with its KPIs.
    concerns, organisations = _concerns(), _organisations(workspace)
    priorities: list[Priority] = []
    objectives: list[Objective] = []
    actions: list[tuple[Action, ActionSpec]] = []
    kpis: list[tuple[KPI, KpiSpec]] = []
    for spec in PRIORITIES:
        priority = priority_create(
            actor=editor,
            cycle=cycle,
            concern=concerns[spec.concern],
            title=spec.title,
            rationale=f"Why this priority matters for development.\n\n{ILLUSTRATIVE}",
            affected_groups=spec.affected,
            gender_considerations=spec.gender,
            rights_considerations=spec.rights,
            level=PolicyLevel.NATIONAL,
        )
        priorities.append(priority)
        for objective_title, action_specs, kpi_specs in spec.objectives:
            objective = objective_create(actor=editor, priority=priority, title=objective_title)
            objectives.append(objective)
            for action_spec in action_specs:
                action = action_create(
                    actor=editor,
                    objective=objective,
                    title=action_spec.title,
                    lead_organisation=organisations[action_spec.lead],
                    partners=[organisations[code] for code in action_spec.partners],
                    start_date=action_spec.start,
                    end_date=action_spec.end,
                    description=ILLUSTRATIVE,
                    budget_amount=action_spec.budget,
                    budget_currency=action_spec.currency,
                    funding_status=action_spec.funding,
                    funding_source=action_spec.funding_source,
                )
                actions.append((action, action_spec))
            objective_action = actions[-1][0] if action_specs else None
            for number, kpi_spec in enumerate(kpi_specs):
                # Some KPIs measure an objective, others one of its actions.
                on_action = objective_action is not None and (len(action_specs) > 1 or number % 2)
                parent = {"action": objective_action} if on_action else {"objective": objective}
                kpi = kpi_create(
                    actor=editor,
                    cycle=cycle,
                    **parent,
                    name=kpi_spec.name,
                    unit=kpi_spec.unit,
                    direction=kpi_spec.direction,
                    baseline_value=kpi_spec.baseline,
                    baseline_year=2024,
                    targets=kpi_spec.targets,
                    responsible_organisation=organisations[kpi_spec.responsible],
                )
                kpis.append((kpi, kpi_spec))
    _approve(priorities, editor=editor, reviewer=reviewer)
    stage_signoff(actor=coordinator, cycle=cycle, stage=CycleStage.PRIORITIES)

    # The action plan is the current stage: most is approved, one action waits for review and
    # one is still a draft.
    _approve(objectives, editor=editor, reviewer=reviewer)
    action_items = [action for action, _spec in actions]
    _approve(action_items[:-2], editor=editor, reviewer=reviewer)
    review_submit(actor=editor, items=[action_items[-2]])
    for action, action_spec in actions:
        if action_spec.status != ImplementationStatus.NOT_STARTED:
            action_set_status(actor=editor, action=action, implementation_status=action_spec.status)
    _approve([kpi for kpi, _spec in kpis], editor=editor, reviewer=reviewer)
    for kpi, kpi_spec in kpis:
        for period, value, state in kpi_spec.updates:
            update = progress_update_create(
                actor=editor,
                kpi=kpi,
                period=period,
                actual_value=value,
                note=ILLUSTRATIVE,
            )
            if state == "approved":
                _approve([update], editor=editor, reviewer=reviewer)
            elif state == "submitted":
                review_submit(actor=editor, items=[update])

    # After the sign-off, new versions of three sections are in the works: readers still see
    # the approved text.
    for index, (state, addition) in SECTION_LATER.items():
        section = sections[index]
        section.refresh_from_db()
        review_edit(
            actor=editor,
            item=section,
            expected_lock_version=section.lock_version,
            narrative=f"{SECTION_NARRATIVES[index]} {addition}\n\n{ILLUSTRATIVE}",
        )
        if state in ("submitted", "returned"):
            review_submit(actor=editor, items=[section])
        if state == "returned":
            review_return(actor=reviewer, items=[section], reason=RETURN_REASON)
    return cycle


def _city_cycle(workspace: Workspace, national: Cycle, users: dict[str, User]) -> Cycle:
    coordinator = users["citycoordinator"]
    cycle = cycle_create(
        actor=coordinator,
        workspace=workspace,
        title=CITY_CYCLE,
        start_year=2026,
        end_year=2030,
        plan="Illustrative city development plan 2026–2030.",
    )
    national_priority = Priority.objects.get(cycle=national, concern__code="skills")
    priority_create(
        actor=coordinator,
        cycle=cycle,
        concern=_concerns()["internal"],
        title="Jobs and services for newcomers and returnees in the city",
        rationale=f"The city receives most internal migrants and many returnees.\n\n{ILLUSTRATIVE}",
        affected_groups="Internal migrants, returnees, informal settlements.",
        gender_considerations="Childcare at training centres so that women can attend.",
        rights_considerations="Services open to every resident whatever their status.",
        level=PolicyLevel.LOCAL,
        national_priority=national_priority,
    )
    return cycle


@transaction.atomic
def load() -> dict[str, Cycle]:
    """Create the demo cycles that do not exist yet (a cycle is created whole or not at all)."""
    users = _accounts()
    workspaces = {
        w.slug: w for w in Workspace.objects.filter(slug__in=("demo-senegal", "demo-dakar"))
    }
    national = Cycle.objects.filter(
        workspace=workspaces["demo-senegal"], title=NATIONAL_CYCLE
    ).first()
    if national is None:
        national = _national_cycle(workspaces["demo-senegal"], users)
    city = Cycle.objects.filter(workspace=workspaces["demo-dakar"], title=CITY_CYCLE).first()
    if city is None:
        city = _city_cycle(workspaces["demo-dakar"], national, users)
    return {"demo-senegal": national, "demo-dakar": city}
