"""Reporting periods: parsing, ordering and the range check."""

import pytest
from django.core.exceptions import ValidationError

from core.periods import period_error, period_sort_key, period_year, validate_period


@pytest.mark.parametrize(
    ("period", "key"),
    [("2024", (2024, 12)), ("2024-Q1", (2024, 3)), ("2024-Q4", (2024, 12)), ("2024-05", (2024, 5))],
)
def test_sort_key(period, key):
    assert period_sort_key(period) == key
    assert period_year(period) == key[0]


@pytest.mark.parametrize("period", ["24", "2024-Q5", "2024-13", "2024-00", "2024-5", "2024Q1", ""])
def test_malformed_periods_are_refused(period):
    with pytest.raises(ValidationError):
        validate_period(period)
    assert period_error(period, first_year=1950, last_year=2100).startswith("Enter a year")


@pytest.mark.parametrize(
    ("period", "ok"),
    [("1949", False), ("1950", True), ("2100-12", True), ("2101-Q1", False), ("2024-Q2", True)],
)
def test_range(period, ok):
    error = period_error(period, first_year=1950, last_year=2100)
    assert (error == "") is ok
    if not ok:
        assert error == "The period must fall between 1950 and 2100."


def test_a_year_sorts_after_its_quarters_and_months():
    periods = ["2024", "2023", "2024-Q1", "2024-11"]
    assert sorted(periods, key=period_sort_key) == ["2023", "2024-Q1", "2024-11", "2024"]
