"""Permission-matrix rows of donor."""

from __future__ import annotations

from typing import Any

from . import Row

ROWS: list[Row] = []


def targets(world: Any) -> dict[str, str]:
    return {}
