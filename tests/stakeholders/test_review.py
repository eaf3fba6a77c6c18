"""The review mechanism, exercised through situation-analysis sections."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.models import SituationSection
from mainstreaming.selectors import situation_section_list
from mainstreaming.services import cycle_create
from stakeholders.permissions import can_read_item, workspace_perms
from stakeholders.review import (
    Comment,
    ReviewConflict,
    ReviewEvent,
    ReviewState,
    approved_view,
    comment_add,
    comment_list,
    comment_resolve,
    needs_my_action,
    readable_items,
    review_approve,
    review_edit,
    review_return,
    review_share,
    review_submit,
    reviewable_models,
    visible_content,
)
from stakeholders.tasks import review_notify_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(world) -> list[SituationSection]:
    cycle = cycle_create(
        actor=world["editor"],
        workspace=world.workspace,
        title="National cycle",
        start_year=2025,
        end_year=2029,
    )
    return list(cycle.sections.order_by("position"))


def _fresh(section: SituationSection) -> SituationSection:
    return SituationSection.objects.get(pk=section.pk)


def _titles(user, section: SituationSection) -> list[str]:
    return [s.title for s in situation_section_list(user=user, cycle=section.cycle)]


def test_reviewable_registry_holds_situation_sections() -> None:
    assert SituationSection in reviewable_models()


@pytest.mark.parametrize("role", ["contributor", "reviewer", "observer"])
def test_review_submit_refused_for_roles_without_submit(world, sections, role) -> None:
    section = sections[0]
    with pytest.raises(ValidationError, match="may not submit"):
        review_submit(actor=world[role], items=section)
    assert _fresh(section).review_state == ReviewState.DRAFT
    # Positive control: an editor may submit the same section.
    review_submit(actor=world["editor"], items=section)
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    assert _fresh(section).submitted_by == world["editor"]


@pytest.mark.parametrize("role", ["editor", "contributor", "observer"])
def test_review_approve_refused_for_roles_without_review(world, sections, role) -> None:
    section = sections[0]
    review_submit(actor=world["coordinator"], items=section)
    with pytest.raises(ValidationError, match="may not approve"):
        review_approve(actor=world[role], items=section)
    with pytest.raises(ValidationError, match="may not approve"):
        review_return(actor=world[role], items=section, reason="Not good enough")
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    # Positive control: a reviewer approves it.
    review_approve(actor=world["reviewer"], items=section)
    approved = _fresh(section)
    assert approved.review_state == ReviewState.APPROVED
    assert approved.approved_by == world["reviewer"]
    assert approved.approved_version == 1
    assert approved.approved_snapshot == {"title": section.title, "narrative": ""}


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_review_nobody_approves_or_returns_their_own_submission(world, sections, role) -> None:
    section = sections[0]
    review_submit(actor=world[role], items=section)
    # The coordinator holds every permission, and is still refused on their own submission.
    for user in {world[role], world["coordinator"]} if role == "coordinator" else {world[role]}:
        with pytest.raises(ValidationError):
            review_approve(actor=user, items=section)
        with pytest.raises(ValidationError):
            review_return(actor=user, items=section, reason="Redo it")
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    # Positive control: the coordinator approves what someone else submitted.
    other = sections[1]
    review_submit(actor=world["editor"], items=other)
    review_approve(actor=world["coordinator"], items=other)
    assert _fresh(other).review_state == ReviewState.APPROVED


def test_review_own_submission_refusal_names_the_reason(world, sections) -> None:
    review_submit(actor=world["coordinator"], items=sections[0])
    with pytest.raises(ValidationError, match="someone else must review it"):
        review_approve(actor=world["coordinator"], items=sections[0])


@pytest.mark.parametrize("user", ["outsider", "citycoordinator"])
def test_review_users_of_another_workspace_cannot_act(world, sections, user) -> None:
    section = sections[0]
    actor = world[user]
    with pytest.raises(PermissionDenied):
        review_submit(actor=actor, items=section)
    with pytest.raises(PermissionDenied):
        review_share(actor=actor, items=section, shared=True)
    with pytest.raises(PermissionDenied):
        review_edit(actor=actor, item=section, expected_lock_version=1, narrative="Hijack")
    with pytest.raises(PermissionDenied):
        comment_add(actor=actor, item=section, body="Hello")
    review_submit(actor=world["editor"], items=section)
    with pytest.raises(PermissionDenied):
        review_approve(actor=actor, items=section)
    review_approve(actor=world["reviewer"], items=section)
    assert list(readable_items(SituationSection.objects.all(), user=actor)) == []
    # Positive control: a member of the workspace reads it.
    assert list(readable_items(SituationSection.objects.all(), user=world["observer"])) == [section]


def test_review_return_requires_a_reason(world, sections) -> None:
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="Say why"):
            review_return(actor=world["reviewer"], items=section, reason=blank)
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    assert not ReviewEvent.objects.filter(action="return").exists()
    review_return(actor=world["reviewer"], items=section, reason="Add the 2024 census figures.")
    assert _fresh(section).review_state == ReviewState.RETURNED
    event = ReviewEvent.objects.get(action="return")
    assert event.reason == "Add the 2024 census figures."
    # A returned item goes back to review once revised.
    review_edit(actor=world["editor"], item=section, expected_lock_version=3, narrative="Census")
    review_submit(actor=world["editor"], items=section)
    assert _fresh(section).review_state == ReviewState.SUBMITTED


def test_review_batch_is_refused_as_a_whole_when_one_item_may_not_move(world, sections) -> None:
    review_submit(actor=world["editor"], items=sections[:2])
    batch = SituationSection.objects.filter(pk__in=[s.pk for s in sections[:3]])
    with pytest.raises(ValidationError) as refused:
        review_approve(actor=world["reviewer"], items=batch)
    assert sections[2].title in str(refused.value)
    assert sections[0].title not in str(refused.value)
    states = set(batch.values_list("review_state", flat=True))
    assert states == {ReviewState.SUBMITTED, ReviewState.DRAFT}
    assert not ReviewEvent.objects.filter(action="approve").exists()
    # Positive control: the two submitted ones are approved together.
    approved = review_approve(actor=world["reviewer"], items=sections[:2])
    assert [s.review_state for s in approved] == [ReviewState.APPROVED] * 2
    assert sections[0].review_state == ReviewState.APPROVED  # the caller's instances follow


def test_review_events_record_states_actor_and_version(world, sections) -> None:
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    review_return(actor=world["reviewer"], items=section, reason="Too short")
    review_submit(actor=world["editor"], items=section)
    review_approve(actor=world["reviewer"], items=section)
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="New",
    )
    events = list(
        ReviewEvent.objects.filter(object_id=section.pk).values_list(
            "action", "actor__username", "from_state", "to_state", "version"
        )
    )
    assert events == [
        ("submit", "editor", "draft", "submitted", 1),
        ("return", "reviewer", "submitted", "returned", 1),
        ("submit", "editor", "returned", "submitted", 1),
        ("approve", "reviewer", "submitted", "approved", 1),
        ("reopen", "editor", "approved", "draft", 2),
    ]
    assert all(e.workspace_id == world.workspace.pk for e in ReviewEvent.objects.all())
    assert section.history.count() == 6  # created, then five saves by the services


def test_review_approved_item_edited_opens_a_new_draft_version(world, sections) -> None:
    section = sections[0]
    review_edit(actor=world["editor"], item=section, expected_lock_version=1, narrative="Old text")
    review_submit(actor=world["editor"], items=section)
    review_approve(actor=world["reviewer"], items=section)
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="New text",
    )
    edited = _fresh(section)
    assert (edited.review_state, edited.version, edited.approved_version) == ("draft", 2, 1)
    assert edited.narrative == "New text"
    assert approved_view(edited) == {"title": section.title, "narrative": "Old text"}
    observer_perms = workspace_perms(world["observer"], world.workspace)
    editor_perms = workspace_perms(world["editor"], world.workspace)
    assert visible_content(edited, perms=observer_perms)["narrative"] == "Old text"
    assert visible_content(edited, perms=editor_perms)["narrative"] == "New text"


def test_review_observer_never_sees_drafts_but_sees_the_approved_snapshot(world, sections) -> None:
    section = sections[0]
    observer = world["observer"]
    review_edit(actor=world["editor"], item=section, expected_lock_version=1, narrative="v1 text")
    assert section.title not in _titles(observer, section)
    assert not can_read_item(observer, section)
    assert section.title in _titles(world["reviewer"], section)  # control: drafts exist
    review_share(actor=world["editor"], items=section, shared=True)
    assert section.title not in _titles(observer, section)  # sharing is for contributors
    assert section.title in _titles(world["contributor"], section)
    review_submit(actor=world["editor"], items=section)
    review_approve(actor=world["reviewer"], items=section)
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="v2 draft text",
    )
    (shown,) = situation_section_list(user=observer, cycle=section.cycle)
    perms = workspace_perms(observer, world.workspace)
    content = visible_content(shown, perms=perms)
    assert content["narrative"] == "v1 text"
    assert "v2 draft text" not in content.values()
    # The national coordinator's read-only exception on a local workspace is approved-only too.
    assert can_read_item(observer, shown)


def test_review_edit_with_a_stale_lock_version_raises_a_conflict(world, sections) -> None:
    section = sections[0]
    first, second = _fresh(section), _fresh(section)
    loaded_at = first.lock_version
    review_edit(
        actor=world["editor"], item=first, expected_lock_version=loaded_at, narrative="First"
    )
    with pytest.raises(ReviewConflict) as conflict:
        review_edit(
            actor=world["coordinator"],
            item=second,
            expected_lock_version=loaded_at,
            narrative="Second",
        )
    assert conflict.value.current == {"title": section.title, "narrative": "First"}
    assert conflict.value.lock_version == loaded_at + 1
    assert isinstance(conflict.value, ValidationError)
    assert _fresh(section).narrative == "First"
    assert ReviewEvent.objects.filter(action="edit").count() == 1
    # Positive control: reloaded at the current version, the second writer saves.
    review_edit(
        actor=world["coordinator"],
        item=second,
        expected_lock_version=conflict.value.lock_version,
        narrative="Second",
    )
    assert _fresh(section).narrative == "Second"


def test_review_edit_refused_while_submitted_and_for_non_editors(world, sections) -> None:
    section = sections[0]
    with pytest.raises(PermissionDenied):
        review_edit(actor=world["reviewer"], item=section, expected_lock_version=1, title="X")
    review_submit(actor=world["editor"], items=section)
    with pytest.raises(ValidationError, match="waiting for review"):
        review_edit(
            actor=world["editor"],
            item=section,
            expected_lock_version=section.lock_version,
            title="X",
        )
    assert _fresh(section).title != "X"
    review_return(actor=world["reviewer"], items=section, reason="Rename it")
    review_edit(
        actor=world["editor"], item=section, expected_lock_version=section.lock_version, title="X"
    )
    assert _fresh(section).title == "X"


@pytest.mark.parametrize("role", ["reviewer", "contributor", "observer"])
def test_review_share_refused_without_share_permission(world, sections, role) -> None:
    with pytest.raises(ValidationError, match="may not share"):
        review_share(actor=world[role], items=sections[0], shared=True)
    assert not _fresh(sections[0]).shared_for_consultation
    review_share(actor=world["editor"], items=sections[0], shared=True)
    assert _fresh(sections[0]).shared_for_consultation


def test_comment_contributor_comments_only_on_shared_or_approved_items(world, sections) -> None:
    draft, shared, approved = sections[:3]
    contributor = world["contributor"]
    review_share(actor=world["editor"], items=shared, shared=True)
    review_submit(actor=world["editor"], items=approved)
    review_approve(actor=world["reviewer"], items=approved)
    with pytest.raises(PermissionDenied):
        comment_add(actor=contributor, item=draft, body="Can I see this?")
    comment_add(actor=contributor, item=shared, body="On the shared draft")
    comment_add(actor=contributor, item=approved, body="On the approved text")
    assert Comment.objects.filter(author=contributor).count() == 2
    # Observers read the approved text but do not comment.
    with pytest.raises(PermissionDenied):
        comment_add(actor=world["observer"], item=approved, body="Observer remark")
    assert [c.body for c in comment_list(user=world["observer"], item=approved)] == [
        "On the approved text"
    ]
    assert list(comment_list(user=world["observer"], item=draft)) == []


def test_comment_survives_a_new_version_and_resolves_only_by_the_right_people(
    world, sections
) -> None:
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    thread = comment_add(actor=world["reviewer"], item=section, body="Cite the **source**.")
    reply = comment_add(actor=world["editor"], item=section, body="Done.", parent=thread)
    review_approve(actor=world["coordinator"], items=section)
    review_edit(
        actor=world["editor"], item=section, expected_lock_version=section.lock_version, title="T2"
    )
    assert _fresh(section).version == 2
    comments = list(comment_list(user=world["editor"], item=section))
    assert [(c.body, c.version, c.parent_id) for c in comments] == [
        ("Cite the **source**.", 1, None),
        ("Done.", 1, thread.pk),
    ]
    for role in ("reviewer", "contributor", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            comment_resolve(actor=world[role], comment=reply)
    thread.refresh_from_db()
    assert thread.resolved_at is None
    # The item's author (the editor who created and submitted it) resolves the thread.
    resolved = comment_resolve(actor=world["editor"], comment=reply)
    assert resolved.pk == thread.pk
    assert resolved.resolved_by == world["editor"]
    with pytest.raises(ValidationError, match="already resolved"):
        comment_resolve(actor=world["coordinator"], comment=thread)
    # A coordinator resolves any thread.
    other = comment_add(actor=world["reviewer"], item=section, body="Another point")
    assert comment_resolve(actor=world["coordinator"], comment=other).resolved_at is not None


def test_needs_my_action_for_reviewer_and_editor(world, sections) -> None:
    first, second, third = sections[:3]
    review_submit(actor=world["editor"], items=[first, second])
    review_submit(actor=world["coordinator"], items=third)
    review_return(actor=world["reviewer"], items=second, reason="Missing data")

    def waiting(role: str) -> set[tuple[str, str]]:
        return {(i.title, i.needed_action) for i in needs_my_action(user=world[role])}

    assert waiting("reviewer") == {(first.title, "review"), (third.title, "review")}
    # The coordinator does not review their own submission but may revise what was returned.
    assert waiting("coordinator") == {(first.title, "review"), (second.title, "revise")}
    assert waiting("editor") == {(second.title, "revise")}
    assert waiting("contributor") == set()
    assert waiting("observer") == set()
    assert waiting("outsider") == set()
    assert needs_my_action(user=world["reviewer"], workspace=world.other) == []


def test_needs_my_action_uses_one_query_per_model(world, sections, django_assert_num_queries):
    review_submit(actor=world["editor"], items=sections)
    with django_assert_num_queries(len(reviewable_models())):
        items = needs_my_action(user=world["reviewer"])
        assert len(items) == len(sections)
        assert {item.workspace.slug for item in items} == {"national"}


def test_needs_my_action_in_one_workspace_matches_the_global_list(world, sections) -> None:
    from ..factories import MembershipFactory

    first, second, third, fourth = sections[:4]
    review_submit(actor=world["editor"], items=[first, second])
    review_submit(actor=world["coordinator"], items=[third, fourth])
    review_return(actor=world["reviewer"], items=[second, fourth], reason="Missing data")
    city_editor = MembershipFactory(workspace=world.city, role="editor").user
    city = cycle_create(
        actor=city_editor, workspace=world.city, title="City cycle", start_year=2025, end_year=2029
    )
    city_section = city.sections.order_by("position").first()
    review_submit(actor=city_editor, items=city_section)

    def keys(items) -> set[tuple[int, str]]:
        return {(item.pk, item.needed_action) for item in items}

    found = {}
    for name in (*world.users, "city_editor"):
        user = city_editor if name == "city_editor" else world[name]
        everywhere = needs_my_action(user=user)
        for workspace in (world.workspace, world.city, world.other):
            expected = keys(i for i in everywhere if i.workspace_id == workspace.pk)
            mine = needs_my_action(user=user, workspace=workspace)
            assert keys(mine) == expected, (name, workspace.slug)
            given = needs_my_action(
                user=user, workspace=workspace, perms=workspace_perms(user, workspace)
            )
            assert [i.pk for i in given] == [i.pk for i in mine]
            found[(name, workspace.slug)] = {(i.title, i.needed_action) for i in mine}
    # Positive controls (by hand): reviewers review others' submissions, editors revise what
    # was returned, the coordinator revises their own returned item (not reviewing it).
    assert found[("reviewer", "national")] == {(first.title, "review"), (third.title, "review")}
    assert found[("coordinator", "national")] == {
        (first.title, "review"),
        (second.title, "revise"),
        (fourth.title, "revise"),
    }
    assert found[("editor", "national")] == {(second.title, "revise"), (fourth.title, "revise")}
    assert found[("citycoordinator", "city")] == {(city_section.title, "review")}
    for name in ("contributor", "observer", "outsider", "city_editor"):
        assert found[(name, "national")] == set()
    # The national coordinator reads the city workspace but has nothing to do there.
    assert found[("coordinator", "city")] == set()
    assert found[("city_editor", "city")] == set()


def test_needs_my_action_in_one_workspace_uses_the_known_perms(
    world, sections, django_assert_num_queries
) -> None:
    review_submit(actor=world["editor"], items=sections)
    perms = workspace_perms(world["reviewer"], world.workspace)
    with django_assert_num_queries(len(reviewable_models())):
        items = needs_my_action(user=world["reviewer"], workspace=world.workspace, perms=perms)
        assert len(items) == len(sections)
        assert {item.workspace.slug for item in items} == {"national"}
    # Without access to the workspace nothing is asked of the database.
    outsider_perms = workspace_perms(world["outsider"], world.workspace)
    with django_assert_num_queries(0):
        assert (
            needs_my_action(user=world["outsider"], workspace=world.workspace, perms=outsider_perms)
            == []
        )


def test_review_batch_approval_sends_one_email_per_recipient(
    world, sections, django_capture_on_commit_callbacks
) -> None:
    batch = sections[:5]
    review_share(actor=world["editor"], items=batch, shared=True)
    comment_add(actor=world["contributor"], item=batch[0], body="A remark")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review_submit(actor=world["editor"], items=batch)
    assert len(callbacks) == 1
    # The reviewers of the workspace and the earlier commenter; never the actor.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor@example.org",
        "coordinator@example.org",
        "reviewer@example.org",
    ]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review_approve(actor=world["reviewer"], items=batch)
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor@example.org",
        "editor@example.org",
    ]
    to_editor = next(m for m in mail.outbox if m.to == ["editor@example.org"])
    assert "5 updates" in to_editor.subject
    for section in batch:
        assert section.title in to_editor.body
    assert sections[5].title not in to_editor.body

    # The task is idempotent: a rerun sends nothing more …
    event_ids = list(ReviewEvent.objects.values_list("pk", flat=True))
    assert not ReviewEvent.objects.filter(action="approve", notified_at__isnull=True).exists()
    review_notify_task.delay(event_ids)
    assert len(mail.outbox) == 2
    # … because the events are marked: unmarked, the same rerun sends again.
    ReviewEvent.objects.filter(action="approve").update(notified_at=None)
    review_notify_task.delay(event_ids)
    assert len(mail.outbox) == 4


def test_review_notification_is_written_in_the_recipients_language(
    world, sections, django_capture_on_commit_callbacks
) -> None:
    reviewer = world["reviewer"]
    reviewer.preferred_language = "fr"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        review_submit(actor=world["editor"], items=sections[0])
    to_reviewer = next(m for m in mail.outbox if m.to == ["reviewer@example.org"])
    to_coordinator = next(m for m in mail.outbox if m.to == ["coordinator@example.org"])
    assert "Soumis pour relecture" in to_reviewer.body
    assert "Submitted for review" in to_coordinator.body
