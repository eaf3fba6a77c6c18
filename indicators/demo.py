"""The indicators part of the illustrative demo (DESIGN §7). Safe to run again.

Runs after `stakeholders.demo.load()` and before the planning cycles. In the first national
workspace it records **invented** values (labelled "Illustrative" and tied to a data source that
says so) for about three quarters of the starter catalogue over 2017–2024, some broken down by
sex and by urban/rural residence, with holes on purpose so that the coverage matrix shows gaps;
a few 2025 values wait for review (drafts and submitted), one approved value has a correction
in draft, and three data gaps are recorded. The editor enters and submits values, the reviewer
approves them, so the four-eyes rule holds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from stakeholders.models import Organisation, User, Workspace
from stakeholders.review import review_approve, review_edit, review_submit

from .choices import TOTAL, Axis, GapReason, GapStatus, Periodicity, Quality, SourceKind
from .models import DataGap, DataSource, Indicator, Observation
from .services.gaps import data_gap_create

WORKSPACE = "demo-senegal"
SOURCE_NAME = "Illustrative demo data (not real statistics)"
NOTE = "Illustrative value invented for the demo; not an official statistic."
FIRST_YEAR = 2017
LAST_YEAR = 2024
PENDING_YEAR = 2025

# A plausible level for each unit (inside its bounds), from which an invented series grows.
BASE = {
    "percent": Decimal("24"),
    "percent-change": Decimal("3.1"),
    "percent-of-monthly-earnings": Decimal("8.5"),
    "number": Decimal("125000"),
    "net-number": Decimal("-18000"),
    "usd": Decimal("2400000000"),
    "per-100": Decimal("6.5"),
    "per-1000-people": Decimal("14"),
    "per-1000-live-births": Decimal("62"),
    "per-100000-people": Decimal("11"),
    "per-100000-workers": Decimal("7.5"),
    "score-0-10": Decimal("4.6"),
    "score-0-1": Decimal("0.55"),
}

# Position of the indicator in its dimension (0–5) → what the demo records for it.
NO_DATA = {5}  # the last indicator of each dimension has no value at all
SEX_SPLIT = {0, 1, 2}  # broken down by sex from 2020, where the indicator allows it
URBAN_SPLIT = {1, 3}  # broken down by urban/rural from 2021, where allowed


def _accounts() -> dict[str, User]:
    names = ("editor", "reviewer", "coordinator")
    return {user.username: user for user in User.objects.filter(username__in=names)}


def _value(indicator: Indicator, year: int, factor: Decimal = Decimal(1)) -> Decimal | None:
    """An invented value for the year, inside the unit's bounds (None if none fits)."""
    if indicator.is_ordinal:
        value = Decimal(min(len(indicator.categories), 1 + (year - FIRST_YEAR) // 3))
    else:
        base = BASE.get(indicator.unit.code, Decimal("10"))
        wobble = Decimal((sum(map(ord, indicator.code)) + year) % 7 - 3) / 100
        growth = 1 + Decimal("0.025") * (year - FIRST_YEAR) + wobble
        value = base * growth * factor
        places = Decimal(1) if abs(value) >= 1000 else Decimal("0.01")
        value = value.quantize(places)
    return None if indicator.value_error(value) else value


def _skipped(position: int, year: int) -> bool:
    """Holes in the series, so that the matrix has missing cells inside the covered ranges."""
    return (position + year) % 5 == 0


def _observations(
    workspace: Workspace,
    source: DataSource,
    numbered: list[tuple[int, Indicator]],
    editor: User,
) -> list[Observation]:
    rows: list[Observation] = []

    def add(indicator: Indicator, year: int, value: Decimal | None, **axes: str) -> None:
        if value is None:
            return
        observation = Observation(
            workspace=workspace,
            indicator=indicator,
            period=str(year),
            value=value,
            source=source,
            quality=Quality.ESTIMATE,
            note=NOTE,
            entered_by=editor,
            created_by=editor,
            **axes,
        )
        observation.full_clean()
        rows.append(observation)

    for position, indicator in numbered:
        if position in NO_DATA:
            continue
        axes = indicator.allowed_axes()
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            if _skipped(position, year):
                continue
            add(indicator, year, _value(indicator, year))
            if position in SEX_SPLIT and Axis.SEX in axes and year >= 2020:
                add(indicator, year, _value(indicator, year, Decimal("0.92")), sex="F")
                add(indicator, year, _value(indicator, year, Decimal("1.08")), sex="M")
            if position in URBAN_SPLIT and Axis.URBANISATION in axes and year >= 2021:
                add(indicator, year, _value(indicator, year, Decimal("1.15")), urbanisation="URBAN")
                add(indicator, year, _value(indicator, year, Decimal("0.85")), urbanisation="RURAL")
    return rows


def _gaps(workspace: Workspace, by_code: dict[str, Indicator], coordinator: User) -> list[DataGap]:
    organisations = {o.acronym: o for o in Organisation.objects.filter(workspace=workspace)}
    plans = [
        (
            "ECO-06",
            None,
            GapReason.NOT_COLLECTED,
            "NSO",
            "Add a remittance-use module to the 2027 household survey (illustrative).",
            datetime.date(2027, 12, 31),
            GapStatus.IN_PROGRESS,
        ),
        (
            "HEA-01",
            2023,
            GapReason.NOT_DISAGGREGATED,
            "NSO",
            "Tabulate the 2023 round by migratory status (illustrative).",
            datetime.date(2026, 6, 30),
            GapStatus.OPEN,
        ),
        (
            "TRA-06",
            None,
            GapReason.ACCESS_RESTRICTED,
            "MFA",
            "Agree a data-sharing protocol with the consular registry (illustrative).",
            None,
            GapStatus.OPEN,
        ),
    ]
    created = []
    for code, year, reason, owner, action, date, status in plans:
        indicator = by_code.get(code)
        if indicator is None:
            continue
        if DataGap.objects.filter(workspace=workspace, indicator=indicator, year=year).exists():
            continue
        created.append(
            data_gap_create(
                actor=coordinator,
                workspace=workspace,
                indicator=indicator,
                year=year,
                reason=reason,
                owner=organisations.get(owner),
                planned_action=action,
                planned_date=date,
                status=status,
                note="Illustrative demo gap.",
            )
        )
    return created


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo's values and gaps unless they exist; return how many of each exist."""
    workspace = Workspace.objects.filter(slug=WORKSPACE).first()
    users = _accounts()
    if workspace is None or set(users) != {"editor", "reviewer", "coordinator"}:
        return {"observations": 0, "gaps": 0}
    editor, reviewer = users["editor"], users["reviewer"]
    producer = Organisation.objects.filter(workspace=workspace, acronym="NSO").first()
    source, _created = DataSource.objects.get_or_create(
        workspace=workspace,
        name=SOURCE_NAME,
        defaults={
            "producer": producer,
            "kind": SourceKind.OTHER,
            "periodicity": Periodicity.ANNUAL,
            "limitations": "Every figure from this source is invented to show how the portal "
            "works. Do not quote or use it.",
        },
    )
    catalogue = list(
        Indicator.objects.filter(framework__code="starter")
        .select_related("unit", "dimension")
        .order_by("dimension__position", "position", "code")
    )
    by_code = {indicator.code: indicator for indicator in catalogue}
    if not Observation.objects.filter(workspace=workspace, source=source).exists():
        positions: dict[int | None, int] = {}
        numbered: list[tuple[int, Indicator]] = []
        for indicator in catalogue:
            position = positions.get(indicator.dimension_id, 0)
            positions[indicator.dimension_id] = position + 1
            numbered.append((position, indicator))
        rows = _observations(workspace, source, numbered, editor)
        bulk_create_with_history(rows, Observation, default_user=editor)
        saved = list(Observation.objects.filter(workspace=workspace, source=source))
        review_submit(actor=editor, items=saved)
        review_approve(actor=reviewer, items=saved)
        _pending(workspace, source, numbered, editor)
    _gaps(workspace, by_code, users["coordinator"])
    return {
        "observations": Observation.objects.filter(workspace=workspace, source=source).count(),
        "gaps": DataGap.objects.filter(workspace=workspace).count(),
    }


def _pending(
    workspace: Workspace,
    source: DataSource,
    numbered: list[tuple[int, Indicator]],
    editor: User,
) -> None:
    """Values waiting for review: 2025 drafts and submissions, and one correction in draft."""
    first_of_dimension = [indicator for position, indicator in numbered if position == 0]
    drafts = []
    for indicator in first_of_dimension[:4]:
        value = _value(indicator, PENDING_YEAR)
        if value is None:
            continue
        observation = Observation(
            workspace=workspace,
            indicator=indicator,
            period=str(PENDING_YEAR),
            value=value,
            source=source,
            quality=Quality.PROVISIONAL,
            note=NOTE,
            entered_by=editor,
            created_by=editor,
        )
        observation.full_clean()
        observation._history_user = editor  # type: ignore[attr-defined]
        observation.save()
        drafts.append(observation)
    review_submit(actor=editor, items=drafts[:2])
    corrected = (
        Observation.objects.filter(
            workspace=workspace, source=source, period=str(LAST_YEAR), sex=TOTAL
        )
        .exclude(indicator__unit__code="ordinal")
        .order_by("indicator__code")
        .first()
    )
    if corrected is not None:
        new_value = _value(corrected.indicator, LAST_YEAR, Decimal("1.02"))
        if new_value is not None and new_value != corrected.value:
            review_edit(
                actor=editor,
                item=corrected,
                expected_lock_version=corrected.lock_version,
                value=new_value,
                note=NOTE + " Corrected after the survey's final weights (illustrative).",
            )
