"""Reporting periods as text: a year (2024), a quarter (2024-Q2) or a month (2024-05)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")

PERIOD_HELP = _("A year (2024), a quarter (2024-Q2) or a month (2024-05).")


def period_sort_key(period: str) -> tuple[int, int]:
    """(year, last month covered): a year sorts after its quarters and months."""
    match = PERIOD_RE.match(period)
    if match is None:
        raise ValueError(period)
    year = int(match["year"])
    if match["quarter"]:
        return year, int(match["quarter"]) * 3
    if match["month"]:
        return year, int(match["month"])
    return year, 12


def period_year(period: str) -> int:
    return period_sort_key(period)[0]


def validate_period(value: str) -> None:
    if not PERIOD_RE.match(value or ""):
        raise ValidationError(
            _("Enter a year (2024), a quarter (2024-Q2) or a month (2024-05)."), code="period"
        )


def period_error(value: str, *, first_year: int, last_year: int) -> str:
    """Why `value` is not a period between `first_year` and `last_year` ('' when it is)."""
    match = PERIOD_RE.match(value or "")
    if match is None:
        return str(_("Enter a year (2024), a quarter (2024-Q2) or a month (2024-05)."))
    if not first_year <= int(match["year"]) <= last_year:
        return str(
            _("The period must fall between %(first)s and %(last)s.")
            % {"first": first_year, "last": last_year}
        )
    return ""
