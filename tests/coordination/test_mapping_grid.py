"""The stakeholder map's grid: organisations land in the cell of their scores."""

from __future__ import annotations

import re

import pytest

from stakeholders.choices import OrganisationKind, ProcessRole
from stakeholders.mapping_selectors import kind_group_of, stakeholder_profile_list
from stakeholders.mapping_views import mapping_grid

from .mapping_factories import make_profile

pytestmark = pytest.mark.django_db

# The grid of mapping_grid: width 880, height 560; core.charts.grid_chart places the plot at
# left 64, right 864, top 44 (36 + 8), bottom 512, so a cell is 160 × 93.6.
LEFT, TOP, CELL_W, CELL_H = 64.0, 44.0, 160.0, 93.6


def _cells(svg: str) -> dict[str, tuple[int, int]]:
    """label → (interest, influence) read back from each point's position in the SVG."""
    found = {}
    pattern = re.compile(
        r'<circle class="chart-point" cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)</title>'
    )
    for cx, cy, tip in pattern.findall(svg):
        label = tip.split(" (")[0]
        interest = int((float(cx) - LEFT) // CELL_W) + 1
        influence = 5 - int((float(cy) - TOP) // CELL_H)
        found[label] = (interest, influence)
    return found


def test_grid_places_organisations_in_their_cells(world):
    editor = world["editor"]
    ws = world.workspace
    make_profile(editor, ws, acronym="MPLAN", interest=5, influence=5, role=ProcessRole.LEAD)
    make_profile(editor, ws, acronym="DIA", interest=4, influence=1, kind=OrganisationKind.DIASPORA)
    make_profile(editor, ws, acronym="DPA", interest=1, influence=4, kind=OrganisationKind.DONOR)
    make_profile(editor, ws, name="Chamber of Commerce", interest=2, influence=2)
    profiles = list(stakeholder_profile_list(user=editor, workspace=ws))
    svg = mapping_grid(profiles)
    assert _cells(svg) == {
        "MPLAN": (5, 5),
        "DIA": (4, 1),
        "DPA": (1, 4),
        "Chamber of Commerce": (2, 2),
    }
    assert "<title id=" in svg and "<desc id=" in svg
    assert "Grid of 4 points" in svg


def test_two_organisations_in_one_cell_both_shown(world):
    editor = world["editor"]
    make_profile(editor, world.workspace, acronym="AAA", interest=3, influence=3)
    make_profile(editor, world.workspace, acronym="BBB", interest=3, influence=3)
    svg = mapping_grid(list(stakeholder_profile_list(user=editor, workspace=world.workspace)))
    assert _cells(svg) == {"AAA": (3, 3), "BBB": (3, 3)}


def test_kind_groups_cover_the_issue_groups():
    assert kind_group_of(OrganisationKind.MINISTRY) == "government"
    assert kind_group_of(OrganisationKind.STATISTICS_OFFICE) == "government"
    assert kind_group_of(OrganisationKind.LOCAL_GOVERNMENT) == "local_government"
    assert kind_group_of(OrganisationKind.CSO) == "civil_society"
    assert kind_group_of(OrganisationKind.DIASPORA) == "diaspora"
    assert kind_group_of(OrganisationKind.PRIVATE_SECTOR) == "private_sector"
    assert kind_group_of(OrganisationKind.DONOR) == "donors"
    assert kind_group_of(OrganisationKind.UN_AGENCY) == "un"
    assert kind_group_of(OrganisationKind.OTHER) == ""
