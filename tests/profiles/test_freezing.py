"""Freezing: a section's tables read live approved values while it is a draft and keep the values
they were approved with once approved (the issue's first test)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Observation
from profiles.tables import shown_tables
from tests.indicators.observation_factories import approve as approve_observations
from tests.indicators.observation_factories import approved, enter, starter

from .section_factories import add_table, approve_section, make_edition, make_section

pytestmark = pytest.mark.django_db


def _value(tables, year="2021"):
    (table,) = tables
    (total,) = [row for row in table["rows"] if row["code"] == "_T"]
    return total["values"].get(year)


def test_approved_section_keeps_its_snapshot_after_the_value_changes(world):
    editor, reviewer = world["editor"], world["reviewer"]
    approved(editor, reviewer, world.workspace, code="ECO-02", period="2021", value="12.5")
    section = make_section(make_edition(world), actor=editor)
    add_table(section, editor)
    assert _value(shown_tables(section, sees_drafts=True)) == "12.5"
    approve_section(world, section)

    # The observation is corrected and the correction approved.
    changed = enter(editor, world.workspace, code="ECO-02", period="2021", value="15")
    approve_observations(editor, reviewer, changed)

    # Positive control: the new value really is the approved value in the database.
    observation = Observation.objects.get(pk=changed.pk)
    assert Decimal(observation.approved_snapshot["value"]) == Decimal("15")

    section.refresh_from_db()
    for sees_drafts in (True, False):
        assert _value(shown_tables(section, sees_drafts=sees_drafts)) == "12.5"

    # The draft of the next edition (a second section with the same table) shows the new value.
    following = make_section(make_edition(world, number=2), actor=editor)
    add_table(following, editor)
    assert _value(shown_tables(following, sees_drafts=True)) == "15"


def test_observers_never_see_live_values_of_an_unapproved_section(world):
    editor, reviewer = world["editor"], world["reviewer"]
    approved(editor, reviewer, world.workspace, code="ECO-02", period="2021", value="9")
    section = make_section(make_edition(world), actor=editor)
    add_table(section, editor)
    # Editors see the live table; a reader of the snapshot sees no table at all.
    assert _value(shown_tables(section, sees_drafts=True)) == "9"
    assert shown_tables(section, sees_drafts=False) == []


def test_reopened_section_shows_live_values_to_editors_and_the_snapshot_to_readers(world):
    editor, reviewer = world["editor"], world["reviewer"]
    approved(editor, reviewer, world.workspace, code="ECO-02", period="2021", value="9")
    section = make_section(make_edition(world), actor=editor)
    add_table(section, editor)
    approve_section(world, section)
    changed = enter(editor, world.workspace, code="ECO-02", period="2021", value="11")
    approve_observations(editor, reviewer, changed)
    # Adding a table reopens the section as the next draft version.
    add_table(section, editor, code="ECO-03")
    section.refresh_from_db()
    assert section.review_state == "draft"
    assert section.version == 2
    assert _value(shown_tables(section, sees_drafts=False)) == "9"
    live = shown_tables(section, sees_drafts=True)
    assert [t["indicator"] for t in live] == ["ECO-02", "ECO-03"]
    assert _value(live[:1]) == "11"
    assert starter("ECO-03").code == "ECO-03"
