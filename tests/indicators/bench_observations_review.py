"""Times a batch submit + approval of 10,000 observations (run by hand; not part of the suite).

.venv/bin/pytest tests/indicators/bench_observations_review.py -s -p no:randomly
"""

from __future__ import annotations

import itertools
import time
from decimal import Decimal

import pytest

from indicators.models import Observation
from stakeholders.review import review_approve, review_submit

from .observation_factories import starter

pytestmark = pytest.mark.django_db

N = int(__import__("os").environ.get("BENCH_N", "10000"))


def test_time_batch_approval_of_10000_observations(world):
    editor, reviewer = world["editor"], world["reviewer"]
    indicators = [starter(f"ECO-0{i}") for i in range(2, 5)]
    periods = [f"{year}-{month:02d}" for year in range(1950, 2100) for month in range(1, 13)]
    keys = itertools.islice(itertools.product(indicators, periods, ["F", "M", "_T"]), N)
    rows = [
        Observation(
            workspace=world.workspace,
            indicator=indicator,
            period=period,
            year=int(period[:4]),
            sex=sex,
            value=Decimal(index % 100),
            created_by=editor,
            entered_by=editor,
            lock_version=1,
        )
        for index, (indicator, period, sex) in enumerate(keys)
    ]
    Observation.objects.bulk_create(rows, batch_size=2000)
    items = list(Observation.objects.filter(workspace=world.workspace))
    assert len(items) == N
    started = time.perf_counter()
    review_submit(actor=editor, items=items)
    submitted = time.perf_counter()
    review_approve(actor=reviewer, items=items)
    done = time.perf_counter()
    print(f"\nsubmit {N}: {submitted - started:.2f} s; approve {N}: {done - submitted:.2f} s")
    assert Observation.objects.filter(review_state="approved").count() == N


def test_time_with_events_validated_once_per_shape(world, monkeypatch):
    """The same run with the change to `_log_and_notify` proposed to the lead: each distinct
    event shape of a batch validated once (events differ only in item id and version)."""
    from stakeholders import review

    original = review.ReviewEvent.full_clean
    seen: set[tuple[object, ...]] = set()

    def full_clean_once(self, *args, **kwargs):
        shape = (
            self.content_type_id,
            self.workspace_id,
            self.actor_id,
            self.action,
            self.reason,
            self.from_state,
            self.to_state,
        )
        if shape in seen:
            return None
        seen.add(shape)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(review.ReviewEvent, "full_clean", full_clean_once)
    test_time_batch_approval_of_10000_observations(world)
