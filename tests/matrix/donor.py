"""Permission-matrix rows of donor (mainstreaming/views/donor.py, api/donor.py).

The donor's overview is a page of every signed-in user: it lists only the workspaces the user
reads (tested in tests/reports/test_donor.py), so every signed-in role gets 200.
"""

from __future__ import annotations

from typing import Any

from . import Row, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS: list[Row] = [
    row("mainstreaming:donor_home", "GET", "302 200 200 200 200 200 200 200"),
    row("donor-overview", "GET", "403 200 200 200 200 200 200 200"),
]


def targets(world: Any) -> dict[str, str]:
    return {}
