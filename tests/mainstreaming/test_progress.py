"""The KPI status rule (mainstreaming/progress.py), table-driven; no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mainstreaming.choices import Direction, ProgressStatus
from mainstreaming.models import KPI, ProgressUpdate
from mainstreaming.progress import (
    Basis,
    KpiValues,
    UpdateValue,
    expected_value,
    kpi_progress,
    period_time,
    progress_for,
    target_for,
)

ON, RISK, OFF, NONE = (
    ProgressStatus.ON_TRACK,
    ProgressStatus.AT_RISK,
    ProgressStatus.OFF_TRACK,
    ProgressStatus.NO_DATA,
)
D = Decimal
# Higher is better: 10 in 2024, 40 by 2027. Lower is better: 50 in 2024, 20 by 2027.
HIGH = KpiValues(Direction.HIGHER, D(10), 2024, {2027: D(40)})
LOW = KpiValues(Direction.LOWER, D(50), 2024, {2027: D(20)})
STEPS = KpiValues(Direction.HIGHER, D(10), 2024, {2026: D(30), 2028: D(50)})


def updates(*pairs: tuple[str, str]) -> list[UpdateValue]:
    return [UpdateValue(period, D(value)) for period, value in pairs]


# (name, KPI values, updates, expected status, expected basis, expected "expected" value)
CASES = [
    # In 2025 (t = 2026), one third of the way from 2025 to 2028: 20 is expected, 10 required.
    ("higher on track", HIGH, updates(("2025", "19.5")), ON, Basis.SHARE_OF_CHANGE, D(20)),
    ("higher at risk", HIGH, updates(("2025", "17")), RISK, Basis.SHARE_OF_CHANGE, D(20)),
    ("higher off track", HIGH, updates(("2025", "12")), OFF, Basis.SHARE_OF_CHANGE, D(20)),
    ("higher went backwards", HIGH, updates(("2025", "8")), OFF, Basis.SHARE_OF_CHANGE, D(20)),
    ("lower on track", LOW, updates(("2025", "41")), ON, Basis.SHARE_OF_CHANGE, D(40)),
    ("lower at risk", LOW, updates(("2025", "43")), RISK, Basis.SHARE_OF_CHANGE, D(40)),
    ("lower off track", LOW, updates(("2025", "48")), OFF, Basis.SHARE_OF_CHANGE, D(40)),
    ("higher target reached", HIGH, updates(("2025", "45")), ON, Basis.TARGET_MET, D(20)),
    ("lower target reached", LOW, updates(("2025", "20")), ON, Basis.TARGET_MET, D(40)),
    ("no updates", HIGH, [], NONE, Basis.NO_UPDATES, None),
    (
        "no targets",
        KpiValues(Direction.HIGHER, D(10), 2024, {}),
        updates(("2025", "30")),
        NONE,
        Basis.NO_TARGETS,
        None,
    ),
    # 2025-Q2 ends at 2025.5: half a year into three, 15 expected, 5 required.
    ("quarter on track", HIGH, updates(("2025-Q2", "14.5")), ON, Basis.SHARE_OF_CHANGE, D(15)),
    ("quarter at risk (0.6)", HIGH, updates(("2025-Q2", "13")), RISK, Basis.SHARE_OF_CHANGE, D(15)),
    # 2025-03 ends at 2025.25: 12.5 expected, 2.5 required; 11 is 0.4 of it.
    ("month off track", HIGH, updates(("2025-03", "11")), OFF, Basis.SHARE_OF_CHANGE, D("12.5")),
    # Beyond the last target year: the last target, fully expected.
    (
        "beyond last target, on track",
        STEPS,
        updates(("2030", "48")),
        ON,
        Basis.SHARE_OF_CHANGE,
        D(50),
    ),
    (
        "beyond last target, at risk",
        STEPS,
        updates(("2030", "40")),
        RISK,
        Basis.SHARE_OF_CHANGE,
        D(50),
    ),
    # 2027 (t = 2028) uses the 2028 target (first target year at or after 2027): on the line
    # from 2025 to 2029, 10 + 40 × 3/4 = 40 is expected.
    ("next target year", STEPS, updates(("2027", "38")), ON, Basis.SHARE_OF_CHANGE, D(40)),
    # In the baseline year itself nothing is expected yet.
    ("zero required, held", HIGH, updates(("2024", "10")), ON, Basis.NO_CHANGE_REQUIRED, D(10)),
    ("zero required, worse", HIGH, updates(("2024", "9")), OFF, Basis.NO_CHANGE_REQUIRED, D(10)),
    (
        "zero required, lower worse",
        LOW,
        updates(("2024-Q3", "51")),
        OFF,
        Basis.NO_CHANGE_REQUIRED,
        D(50),
    ),
    (
        "target equal to baseline, slipped",
        KpiValues(Direction.HIGHER, D(10), 2024, {2026: D(10)}),
        updates(("2025", "9")),
        OFF,
        Basis.NO_CHANGE_REQUIRED,
        D(10),
    ),
    # A year is the latest of its quarters: 2025 (12) wins over 2025-Q4 (19.5).
    (
        "year after its quarters",
        HIGH,
        updates(("2025-Q4", "19.5"), ("2025", "12"), ("2025-Q1", "11")),
        OFF,
        Basis.SHARE_OF_CHANGE,
        D(20),
    ),
]


@pytest.mark.parametrize(
    ("values", "given", "status", "basis", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_kpi_progress_rule(values, given, status, basis, expected):
    progress = kpi_progress(values, given)
    assert progress.status == status
    assert progress.basis == basis
    if expected is not None:
        assert progress.expected == pytest.approx(expected)
    assert progress.reason  # every status explains itself


def test_kpi_progress_reports_latest_and_target():
    progress = kpi_progress(STEPS, updates(("2025", "20"), ("2027-Q1", "25")))
    assert progress.latest_period == "2027-Q1"
    assert progress.latest_value == D(25)
    assert (progress.target_year, progress.target) == (2028, D(50))
    # 15 of the 22.5 expected (10 + 40 × 2.25 / 4 = 32.5): two thirds, at risk.
    assert progress.expected == D("32.5")
    assert progress.status == RISK
    assert progress.status_label == "At risk"


def test_reason_names_the_numbers():
    progress = kpi_progress(HIGH, updates(("2025", "17")))
    assert "17" in progress.reason and "2025" in progress.reason
    assert "70%" in progress.reason
    assert "40" in progress.reason and "2027" in progress.reason


def test_period_time_and_targets():
    assert period_time("2025") == D(2026)
    assert period_time("2025-Q2") == D("2025.5")
    assert target_for({}, 2025) is None
    assert target_for({2026: D(1), 2028: D(2)}, 2027) == (2028, D(2))
    assert target_for({2026: D(1), 2028: D(2)}, 2030) == (2028, D(2))
    # Clamped to the segment on both sides.
    args = {"baseline_year": 2024, "baseline": D(0), "target_year": 2027, "target": D(30)}
    assert expected_value(**args, at=D(2020)) == D(0)
    assert expected_value(**args, at=D(2031)) == D(30)


def _kpi(**overrides):
    kpi = KPI(
        name="Draft name",
        unit="percent",
        direction=Direction.HIGHER,
        baseline_value=D(10),
        baseline_year=2024,
        targets={"2027": "40"},
        responsible_organisation_id=1,
    )
    for name, value in overrides.items():
        setattr(kpi, name, value)
    return kpi


def test_progress_for_drafts_reader_uses_current_values_and_every_update():
    kpi = _kpi()
    draft = ProgressUpdate(period="2025", actual_value=D(19.5))
    progress = progress_for(kpi, [draft], sees_drafts=True)
    assert progress.status == ON
    assert progress.latest_value == D("19.5")


def test_progress_for_approved_reader_uses_snapshot_and_approved_updates_only():
    # Approved: baseline 10 → 40 by 2027; the draft since moved the target to 100.
    kpi = _kpi(
        targets={"2027": "100"},
        approved_version=1,
        approved_snapshot={
            "direction": "higher",
            "baseline_value": "10.0000",
            "baseline_year": 2024,
            "targets": {"2027": "40"},
        },
    )
    approved = ProgressUpdate(
        period="2025",
        actual_value=D(99),  # the current draft value
        approved_version=1,
        approved_snapshot={"period": "2025", "actual_value": "17.0000"},
    )
    never_approved = ProgressUpdate(period="2026", actual_value=D(90))
    progress = progress_for(kpi, [approved, never_approved], sees_drafts=False)
    # Positive control: the approved update counts, with its approved value and target.
    assert progress.latest_period == "2025"
    assert progress.latest_value == D(17)
    assert progress.target == D(40)
    assert progress.status == RISK
    # The draft reader sees the draft values and the unapproved update.
    draft_view = progress_for(kpi, [approved, never_approved], sees_drafts=True)
    assert draft_view.latest_period == "2026"
    assert draft_view.target == D(100)


def test_progress_for_never_approved_kpi_has_no_data_for_approved_readers():
    progress = progress_for(
        _kpi(), [ProgressUpdate(period="2025", actual_value=D(50))], sees_drafts=False
    )
    assert progress.status == NONE
