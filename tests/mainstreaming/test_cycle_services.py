"""Planning cycles and their situation-analysis sections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.choices import CycleStage
from mainstreaming.models import Cycle, SituationSection
from mainstreaming.selectors import cycle_list, situation_section_list
from mainstreaming.services import (
    cycle_create,
    situation_section_create,
    situation_section_move,
)
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

DEFAULT_TITLES = [
    "Development context",
    "Migration situation (immigration, emigration, internal migration, return, remittances, "
    "diaspora)",
    "Policy and legal framework",
    "Institutional framework and coordination",
    "Stakeholders and partnerships",
    "Data availability and gaps",
    "Capacity needs",
    "Gender and migrants' rights",
]


def _create(world, role: str = "editor", **overrides) -> Cycle:
    fields = {
        "workspace": world.workspace,
        "title": "PND 2025–2029",
        "start_year": 2025,
        "end_year": 2029,
        "plan": "Plan national de développement",
    }
    return cycle_create(actor=world[role], **{**fields, **overrides})


def _order(cycle: Cycle) -> list[str]:
    return list(cycle.sections.order_by("position").values_list("title", flat=True))


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_cycle_create_makes_the_default_sections_in_order(world, role) -> None:
    cycle = _create(world, role)
    assert cycle.current_stage == CycleStage.SITUATION_ANALYSIS
    assert _order(cycle) == DEFAULT_TITLES
    assert list(cycle.sections.values_list("position", flat=True)) == list(range(8))
    section = cycle.sections.first()
    assert section is not None
    assert (section.workspace, section.review_state, section.version) == (
        world.workspace,
        "draft",
        1,
    )
    assert section.created_by == world[role]
    assert cycle.history.get().history_user == world[role]
    assert section.history.get().history_user == world[role]


@pytest.mark.parametrize("role", ["reviewer", "contributor", "observer", "outsider"])
def test_cycle_create_refused_without_edit_permission(world, role) -> None:
    with pytest.raises(PermissionDenied):
        _create(world, role)
    assert not Cycle.objects.exists()
    assert not SituationSection.objects.exists()
    # Positive control: an editor of the same workspace opens the cycle.
    _create(world, "editor")
    assert Cycle.objects.count() == 1


def test_cycle_create_refuses_an_end_before_the_start(world) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(world, start_year=2030, end_year=2025)
    assert "The last year cannot be before the first year." in str(refused.value)
    assert not Cycle.objects.exists()
    assert _create(world, start_year=2025, end_year=2025).end_year == 2025


def test_situation_section_move_reorders_the_sections(world) -> None:
    cycle = _create(world)
    sections = list(cycle.sections.order_by("position"))
    moved = situation_section_move(actor=world["editor"], section=sections[6], position=0)
    assert moved.position == 0
    expected = [DEFAULT_TITLES[6], *DEFAULT_TITLES[:6], DEFAULT_TITLES[7]]
    assert _order(cycle) == expected
    assert list(cycle.sections.values_list("position", flat=True).order_by("position")) == list(
        range(8)
    )
    situation_section_move(actor=world["editor"], section=sections[0], position=99)
    assert _order(cycle)[-1] == DEFAULT_TITLES[0]
    with pytest.raises(PermissionDenied):
        situation_section_move(actor=world["reviewer"], section=sections[1], position=0)
    assert _order(cycle)[0] == DEFAULT_TITLES[6]


def test_situation_section_create_adds_at_the_end_or_at_a_position(world) -> None:
    cycle = _create(world)
    added = situation_section_create(actor=world["editor"], cycle=cycle, title="Climate")
    assert added.position == 8
    situation_section_create(actor=world["editor"], cycle=cycle, title="Urbanisation", position=1)
    assert _order(cycle)[:3] == [DEFAULT_TITLES[0], "Urbanisation", DEFAULT_TITLES[1]]
    with pytest.raises(PermissionDenied):
        situation_section_create(actor=world["contributor"], cycle=cycle, title="No")
    assert not cycle.sections.filter(title="No").exists()


def test_situation_section_must_be_in_its_cycles_workspace(world) -> None:
    cycle = _create(world)
    section = cycle.sections.first()
    assert section is not None
    section.workspace = world.other
    with pytest.raises(ValidationError, match="cycle's workspace"):
        section.full_clean()
    section.workspace = world.workspace
    section.full_clean()


def test_cycle_selectors_are_restricted(world) -> None:
    cycle = CycleFactory(workspace=world.workspace, actor=world["coordinator"])
    assert list(cycle_list(user=world["observer"], workspace=world.workspace)) == [cycle]
    assert list(cycle_list(user=world["outsider"], workspace=world.workspace)) == []
    assert situation_section_list(user=world["reviewer"], cycle=cycle).count() == 8
    assert situation_section_list(user=world["observer"], cycle=cycle).count() == 0
