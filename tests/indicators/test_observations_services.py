"""Observation services: drafts, upsert by natural key, edits through review, validation, delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Observation
from indicators.selectors.observations import readable_observations, shown
from indicators.services.observations import observation_delete, observation_save
from stakeholders.permissions import workspace_perms
from stakeholders.review import ReviewAction, ReviewConflict, ReviewEvent, review_submit

from .observation_factories import approve, approved, enter, make_source, starter

pytestmark = pytest.mark.django_db


def test_observation_save_creates_a_draft_with_history(world):
    editor = world["editor"]
    observation, created = observation_save(
        actor=editor,
        workspace=world.workspace,
        indicator=starter("ECO-02"),
        period="2022",
        axes={"sex": "f"},
        value="12.5",
        quality="final",
    )
    assert created is True
    observation.refresh_from_db()
    assert observation.review_state == "draft"
    assert observation.value == Decimal("12.5")
    assert observation.sex == "F" and observation.age == "_T"
    assert observation.year == 2022
    assert observation.entered_by == editor and observation.created_by == editor
    assert observation.approved_version is None
    record = observation.history.get()
    assert record.history_user == editor and record.history_type == "+"


def test_observation_save_same_key_changes_the_existing_value(world):
    editor = world["editor"]
    first = enter(editor, world.workspace, value="10")
    second, created = observation_save(
        actor=editor,
        workspace=world.workspace,
        indicator=starter("ECO-02"),
        period="2022",
        axes={},
        value="11",
    )
    assert created is False and second.pk == first.pk
    assert Observation.objects.filter(workspace=world.workspace).count() == 1
    assert Observation.objects.get().value == Decimal("11")
    assert ReviewEvent.objects.filter(object_id=first.pk, action=ReviewAction.EDIT).count() == 1


def test_observation_save_same_value_again_changes_nothing(world):
    editor = world["editor"]
    observation = enter(editor, world.workspace, value="10")
    enter(editor, world.workspace, value="10.000")
    observation.refresh_from_db()
    assert observation.lock_version == 1
    assert observation.history.count() == 1


def test_editing_an_approved_value_opens_a_draft_and_observers_keep_the_approved(world):
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(editor, reviewer, world.workspace, value="20")
    enter(editor, world.workspace, value="25")
    observation.refresh_from_db()
    assert observation.review_state == "draft"
    assert observation.version == 2 and observation.approved_version == 1
    assert observation.value == Decimal("25")
    observer_perms = workspace_perms(world["observer"], world.workspace)
    seen = shown(observation, observer_perms)
    assert seen is not None and seen.value == Decimal("20") and seen.review_state == "approved"
    editor_seen = shown(observation, workspace_perms(editor, world.workspace))
    assert editor_seen is not None and editor_seen.value == Decimal("25")
    assert ReviewEvent.objects.filter(object_id=observation.pk, action="reopen").count() == 1


def test_a_submitted_value_cannot_be_changed(world):
    editor = world["editor"]
    observation = enter(editor, world.workspace, value="20")
    review_submit(actor=editor, items=[observation])
    with pytest.raises(ValidationError) as caught:
        enter(editor, world.workspace, value="21")
    assert "waiting for review" in str(caught.value)
    observation.refresh_from_db()
    assert observation.value == Decimal("20")


def test_a_stale_lock_version_is_a_conflict(world):
    editor = world["editor"]
    observation = enter(editor, world.workspace, value="20")
    enter(editor, world.workspace, value="21")  # someone else saved: lock_version 2
    with pytest.raises(ReviewConflict):
        observation_save(
            actor=world["coordinator"],
            workspace=world.workspace,
            indicator=starter("ECO-02"),
            period="2022",
            axes={},
            value="30",
            expected_lock_version=1,
        )
    observation.refresh_from_db()
    assert observation.value == Decimal("21")
    # Positive control: the current version saves.
    observation_save(
        actor=world["coordinator"],
        workspace=world.workspace,
        indicator=starter("ECO-02"),
        period="2022",
        axes={},
        value="30",
        expected_lock_version=observation.lock_version,
    )
    observation.refresh_from_db()
    assert observation.value == Decimal("30")


@pytest.mark.parametrize(
    ("code", "period", "axes", "value", "field", "message"),
    [
        ("ECO-02", "2022", {}, "101", "value", "above 100"),
        ("ECO-02", "2022", {}, "-1", "value", "below 0"),
        (
            "ECO-02",
            "2022",
            {"education_level": "ISCED3T4"},
            "5",
            "education_level",
            "not disaggregated",
        ),
        ("ECO-02", "2022", {"sex": "X"}, "5", "sex", "is not a code of sex"),
        ("ECO-02", "22", {}, "5", "period", "Enter a year"),
        ("ECO-02", "2022-13", {}, "5", "period", "Enter a year"),
        ("ECO-02", "1949", {}, "5", "period", "between 1950 and 2100"),
        ("ECO-02", "2101", {}, "5", "period", "between 1950 and 2100"),
        ("ECO-02", "2022", {}, "abc", "value", "is not a number"),
        ("ECO-05", "2022", {"partner_country": "XXX"}, "5", "partner_country", "ISO 3166-1"),
    ],
)
def test_observation_save_refuses_with_a_clear_message(
    world, code, period, axes, value, field, message
):
    with pytest.raises(ValidationError) as caught:
        observation_save(
            actor=world["editor"],
            workspace=world.workspace,
            indicator=starter(code),
            period=period,
            axes=axes,
            value=value,
        )
    errors = caught.value.message_dict
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("code", "period", "axes", "value"),
    [
        ("ECO-02", "2022", {}, "100"),
        ("ECO-02", "2022", {}, "0"),
        ("ECO-02", "1950", {"sex": "F", "age": "Y15T24"}, "5"),
        ("ECO-02", "2100-Q4", {"urbanisation": "RURAL"}, "5"),
        ("ECO-02", "2024-05", {"migratory_status": "RETURNEE"}, "5"),
        ("ECO-05", "2022", {"partner_country": "FRA"}, "250"),  # % of earnings: no upper bound
    ],
)
def test_observation_save_accepts_values_within_bounds(world, code, period, axes, value):
    observation, created = observation_save(
        actor=world["editor"],
        workspace=world.workspace,
        indicator=starter(code),
        period=period,
        axes=axes,
        value=value,
    )
    assert created and observation.pk


@pytest.mark.parametrize("role", ["reviewer", "contributor", "observer"])
def test_only_editors_enter_values(world, role):
    with pytest.raises(PermissionDenied):
        enter(world[role], world.workspace)
    assert not Observation.objects.exists()


def test_a_source_of_another_workspace_is_refused(world):
    foreign = make_source(world["outsider"], world.other)
    with pytest.raises(ValidationError) as caught:
        enter(world["editor"], world.workspace, source=foreign)
    assert "source" in caught.value.message_dict
    own = make_source(world["editor"], world.workspace)
    assert enter(world["editor"], world.workspace, source=own).source == own


def test_delete_rules(world):
    editor, reviewer, coordinator = world["editor"], world["reviewer"], world["coordinator"]
    draft = enter(editor, world.workspace, period="2021")
    observation_delete(actor=editor, observation=draft)
    assert not Observation.objects.filter(pk=draft.pk).exists()
    kept = approved(editor, reviewer, world.workspace, period="2020")
    with pytest.raises(PermissionDenied):
        observation_delete(actor=editor, observation=kept)
    with pytest.raises(PermissionDenied):
        observation_delete(actor=reviewer, observation=kept)
    observation_delete(actor=coordinator, observation=kept)
    assert not Observation.objects.filter(pk=kept.pk).exists()


def test_readers_without_drafts_see_only_values_approved_once(world):
    editor, reviewer = world["editor"], world["reviewer"]
    visible = approved(editor, reviewer, world.workspace, period="2020")
    enter(editor, world.workspace, period="2021")
    for role in ("observer", "contributor"):
        perms = workspace_perms(world[role], world.workspace)
        assert list(readable_observations(world.workspace, perms)) == [visible]
    assert (
        readable_observations(world.workspace, workspace_perms(reviewer, world.workspace)).count()
        == 2
    )


def test_approval_stores_the_value_in_the_snapshot(world):
    editor, reviewer = world["editor"], world["reviewer"]
    observation = enter(editor, world.workspace, value="12.5")
    approve(editor, reviewer, observation)
    observation.refresh_from_db()
    assert Decimal(str(observation.approved_snapshot["value"])) == Decimal("12.5")
