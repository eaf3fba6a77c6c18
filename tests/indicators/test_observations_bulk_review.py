"""The bulk path of batch review gives exactly what the per-item path gives: same states, same
snapshots, same events, same history rows, same refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Observation
from stakeholders import review
from stakeholders.review import ReviewEvent, review_approve, review_return, review_submit

from .observation_factories import enter

pytestmark = pytest.mark.django_db

YEARS = [str(year) for year in range(2001, 2013)]  # 12 values per run


def _make(world: Any, *, code: str) -> list[Observation]:
    return [
        enter(world["editor"], world.workspace, code=code, period=year, value=index + 1)
        for index, year in enumerate(YEARS)
    ]


def _state(observations: list[Observation]) -> list[tuple[Any, ...]]:
    rows = []
    for observation in Observation.objects.filter(pk__in=[o.pk for o in observations]).order_by(
        "period"
    ):
        snapshot = observation.approved_snapshot
        rows.append(
            (
                observation.period,
                observation.review_state,
                observation.version,
                observation.lock_version,
                observation.approved_version,
                observation.approved_by_id,
                observation.submitted_by_id,
                observation.shared_for_consultation,
                observation.approved_at is not None,
                None
                if snapshot is None
                else (Decimal(str(snapshot["value"])), snapshot["quality"], snapshot["note"]),
            )
        )
    return rows


def _events(observations: list[Observation]) -> list[tuple[Any, ...]]:
    by_pk = {o.pk: o.period for o in observations}
    return sorted(
        (by_pk[e.object_id], e.action, e.actor_id, e.reason, e.from_state, e.to_state, e.version)
        for e in ReviewEvent.objects.filter(object_id__in=list(by_pk))
    )


def _history(observations: list[Observation]) -> list[tuple[Any, ...]]:
    by_pk = {o.pk: o.period for o in observations}
    return sorted(
        (by_pk[h.id], h.history_type, h.history_user_id, h.review_state, h.lock_version)
        for h in Observation.history.filter(id__in=list(by_pk))
    )


def _run(world: Any) -> list[Observation]:
    editor, reviewer = world["editor"], world["reviewer"]
    observations = _make(world, code="ECO-02")
    review_submit(actor=editor, items=observations)
    review_return(actor=reviewer, items=observations[:4], reason="Check the source.")
    review_submit(actor=editor, items=observations[:4])
    review_approve(actor=reviewer, items=observations)
    return observations


def test_bulk_path_equals_the_per_item_path(world, monkeypatch):
    monkeypatch.setattr(review, "BULK_THRESHOLD", 10**9)
    one_by_one = _run(world)
    expected = (_state(one_by_one), _events(one_by_one), _history(one_by_one))
    Observation.objects.all().delete()
    ReviewEvent.objects.all().delete()
    Observation.history.all().delete()

    monkeypatch.setattr(review, "BULK_THRESHOLD", 2)
    calls: list[int] = []
    original = review._save_items_bulk

    def spy(items: Any, **kwargs: Any) -> None:
        calls.append(len(items))
        original(items, **kwargs)

    monkeypatch.setattr(review, "_save_items_bulk", spy)
    in_bulk = _run(world)
    # The bulk path really ran (positive control): submit 12, return 4, submit 4, approve 12.
    assert calls == [12, 4, 4, 12]
    assert (_state(in_bulk), _events(in_bulk), _history(in_bulk)) == expected
    assert expected[0][0][1] == "approved"


def test_bulk_path_refuses_like_the_per_item_path(world, monkeypatch):
    monkeypatch.setattr(review, "BULK_THRESHOLD", 2)
    editor, coordinator = world["editor"], world["coordinator"]
    observations = _make(world, code="ECO-02")
    review_submit(actor=coordinator, items=observations[:1])
    review_submit(actor=editor, items=observations[1:])
    with pytest.raises(ValidationError) as caught:
        review_approve(actor=coordinator, items=observations)  # one is their own
    assert "you submitted it" in str(caught.value)
    assert not Observation.objects.filter(review_state="approved").exists()
    with pytest.raises(ValidationError):
        review_submit(actor=editor, items=observations)  # already submitted
    with pytest.raises(ValidationError):
        review_return(actor=world["reviewer"], items=observations, reason="")
    review_approve(actor=world["reviewer"], items=observations)
    assert Observation.objects.filter(review_state="approved").count() == len(YEARS)


def test_bulk_approval_keeps_the_old_approved_value_until_the_new_one_is_approved(
    world, monkeypatch
):
    monkeypatch.setattr(review, "BULK_THRESHOLD", 2)
    editor, reviewer = world["editor"], world["reviewer"]
    observations = _make(world, code="ECO-02")
    review_submit(actor=editor, items=observations)
    review_approve(actor=reviewer, items=observations)
    enter(editor, world.workspace, code="ECO-02", period=YEARS[0], value="99")
    first = Observation.objects.get(pk=observations[0].pk)
    assert first.value == Decimal("99") and Decimal(str(first.approved_snapshot["value"])) == 1
