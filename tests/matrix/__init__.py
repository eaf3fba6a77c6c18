"""Shared parts of the permission matrix: columns, rows, and the per-area row modules.

Each area of the portal keeps its rows in a module of this package that defines `ROWS` (a list
of `row(...)`) and `targets(world) -> dict[str, str]` (objects its rows point at, by key).
`tests/test_permission_matrix.py` collects every module listed in `AREAS`.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = [
    "anonymous",
    "coordinator",
    "editor",
    "reviewer",
    "contributor",
    "observer",
    "citycoordinator",
    "outsider",
]


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    kwargs: tuple[tuple[str, str], ...]
    expected: str
    data: str = ""

    def statuses(self) -> dict[str, int]:
        codes = [int(code) for code in self.expected.split()]
        assert len(codes) == len(COLUMNS), self
        return dict(zip(COLUMNS, codes, strict=True))


def row(name: str, method: str, expected: str, data: str = "", **kwargs: str) -> Row:
    return Row(name, method, tuple(sorted(kwargs.items())), expected, data)


N = "national"
C = "city"

# Modules of this package holding rows, in the order their rows run.
AREAS: list[str] = [
    "review",
    "cycles",
    "monitoring",
    "planning",
    "indicators_catalogue",
    "indicators_observations",
    "indicators_imports",
    "indicators_coverage",
    "coord_platforms",
    "coord_mapping",
    "coord_corridors",
    "coord_practices",
    "profiles_editions",
    "profiles_sections",
    "profiles_requests",
    "reports",
    "donor",
    "schedules",
]
