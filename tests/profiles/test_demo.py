"""The profiles demo: a published first edition and a second one in preparation."""

from __future__ import annotations

import pytest

from profiles import demo
from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.review import ReviewState

pytestmark = pytest.mark.django_db


def _load_prerequisites() -> None:
    from indicators import demo as indicators_demo
    from stakeholders import demo as stakeholders_demo
    from stakeholders import demo_platforms

    stakeholders_demo.load()
    demo_platforms.load()
    indicators_demo.load()


def test_demo_loads_twice_without_duplicates_and_shows_both_editions(settings) -> None:
    _load_prerequisites()
    assert demo.load() == {"editions": 2}
    assert demo.load() == {"editions": 2}
    editions = list(Edition.objects.filter(workspace__slug=demo.WORKSPACE).order_by("number"))
    assert [e.title for e in editions] == [demo.FIRST_TITLE, demo.SECOND_TITLE]
    first, second = editions
    assert first.status == EditionStatus.PUBLISHED
    assert (first.reference_start_year, first.reference_end_year) == (2015, 2019)
    assert first.working_group is not None
    assert all(s.review_state == ReviewState.APPROVED for s in first.sections.all())
    # Frozen tables hold the indicators demo's approved values (2017–2019 exist there).
    key_data = first.sections.get(title="Key data")
    frozen = key_data.approved_snapshot["frozen_tables"]
    assert any(row["values"] for table in frozen for row in table["rows"])
    assert "Illustrative demo" in key_data.approved_snapshot["narrative"]

    assert second.status == EditionStatus.DRAFT
    assert (second.reference_start_year, second.reference_end_year) == (2020, 2024)
    assert second.previous == first
    states = {s.title: s.review_state for s in second.sections.all()}
    assert states["Migration trends"] == ReviewState.SUBMITTED
    assert states["Key data"] == ReviewState.DRAFT
    assert "2020–2024" in second.sections.get(title="Migration trends").narrative
