"""The cached summaries of the workspace home and the M&E dashboard (stakeholders/cache.py):
a second request is served from the cache, and every kind of write that changes what the page
shows is visible on the next request. Each "absent" check has its positive control."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.testing import count_queries
from mainstreaming.models import KPI, Cycle
from mainstreaming.services.cycles import (
    cycle_create,
    situation_section_delete,
    stage_signoff,
)
from mainstreaming.services.monitoring import progress_update_create
from stakeholders import cache as summary_cache
from stakeholders.cache import summary_cache_key
from stakeholders.choices import Role
from stakeholders.models import Invitation
from stakeholders.permissions import workspace_perms
from stakeholders.review import comment_add, review_approve, review_edit, review_submit
from stakeholders.services import invitation_create, membership_update, organisation_create

from .bench_seed import seed_cycle_content

pytestmark = pytest.mark.django_db


def _home(world) -> str:
    return reverse("mainstreaming:workspace_home", kwargs={"slug": world.workspace.slug})


def _dashboard(cycle: Cycle) -> str:
    return reverse(
        "mainstreaming:monitoring_dashboard", kwargs={"slug": cycle.workspace.slug, "pk": cycle.pk}
    )


def _cycle(world) -> Cycle:
    return cycle_create(
        actor=world["editor"], workspace=world.workspace, title="Cycle 2025–2029",
        start_year=2025, end_year=2029,
    )  # fmt: skip


def _get(client, url: str, user, **headers) -> tuple[str, bool]:
    """(page text, whether the summary came from the cache)."""
    client.force_login(user)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), response.context["summary_cached"]


@pytest.fixture
def cycle(world) -> Cycle:
    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(
        cycle=cycle, actor=world["editor"], organisation=organisation, n=2, periods=["2025"]
    )
    return cycle


# Served from the cache --------------------------------------------------------------------------


def test_second_request_is_a_cache_hit_with_the_same_content(client, world, cycle):
    first, first_cached = _get(client, _home(world), world["coordinator"])
    second, second_cached = _get(client, _home(world), world["coordinator"])
    assert (first_cached, second_cached) == (False, True)
    assert "Section 0" not in first  # titles are not on the home; counts are
    assert second.count("Cycle 2025–2029") == first.count("Cycle 2025–2029") > 0
    board, board_cached = _get(client, _dashboard(cycle), world["coordinator"])
    again, again_cached = _get(client, _dashboard(cycle), world["coordinator"])
    assert (board_cached, again_cached) == (False, True)
    assert "KPI 0 of Action Objective Priority 0" in board
    assert "KPI 0 of Action Objective Priority 0" in again


def test_warm_and_cold_query_counts(client, world, cycle):
    client.force_login(world["coordinator"])
    client.get(_home(world))  # the session's first-request writes are not counted
    organisation_create(
        actor=None, workspace=world.workspace, name="A new ministry", kind="ministry"
    )
    cold, _sql, response = count_queries(lambda: client.get(_home(world)))
    assert response.context["summary_cached"] is False
    warm, _sql, response = count_queries(lambda: client.get(_home(world)))
    assert response.context["summary_cached"] is True
    # Warm: session, user, workspace, its permissions; cold: the whole summary.
    assert (cold, warm) == (24, 4)
    cold, _sql, response = count_queries(lambda: client.get(_dashboard(cycle)))
    assert response.context["summary_cached"] is False
    warm, _sql, response = count_queries(lambda: client.get(_dashboard(cycle)))
    assert response.context["summary_cached"] is True
    # Warm: the same four plus the cycle of the address (checked on every request).
    assert (cold, warm) == (8, 5)


# Every kind of write shows on the next request ---------------------------------------------------


def test_an_edited_item_shows(client, world, cycle):
    kpi = KPI.objects.filter(cycle=cycle).order_by("pk").first()
    board, _ = _get(client, _dashboard(cycle), world["coordinator"])
    assert "Renamed KPI" not in board and kpi.name in board
    review_edit(
        actor=world["editor"], item=kpi, expected_lock_version=kpi.lock_version, name="Renamed KPI"
    )
    board, cached = _get(client, _dashboard(cycle), world["coordinator"])
    assert not cached
    assert "Renamed KPI" in board


def test_review_transitions_including_a_batch_show(client, world):
    cycle = _cycle(world)
    sections = list(cycle.sections.order_by("position"))
    observer_home, _ = _get(client, _home(world), world["observer"])
    coordinator_home, _ = _get(client, _home(world), world["coordinator"])
    assert "Situation analysis sections" in observer_home
    review_submit(actor=world["editor"], items=sections)
    coordinator_after, cached = _get(client, _home(world), world["coordinator"])
    assert not cached and coordinator_after != coordinator_home
    review_approve(actor=world["reviewer"], items=sections)  # the whole batch at once
    observer_after, cached = _get(client, _home(world), world["observer"])
    assert not cached
    # The observer's count of approved sections went from 0 to all of them.
    assert f'data-label="Approved">{len(sections)}</td>' in observer_after
    assert f'data-label="Approved">{len(sections)}</td>' not in observer_home


def test_role_change_shows_in_permissions_and_needs_my_action(client, world):
    cycle = _cycle(world)
    review_submit(actor=world["editor"], items=list(cycle.sections.all()[:1]))
    home, _ = _get(client, _home(world), world["observer"])
    assert "Needs my action" not in home
    membership = world["observer"].memberships.get(workspace=world.workspace)
    membership_update(actor=world["coordinator"], membership=membership, role=Role.REVIEWER)
    home, cached = _get(client, _home(world), world["observer"])
    assert not cached
    assert "Needs my action" in home
    assert "1 item is waiting for you." in home


def test_a_comment_invalidates(client, world):
    cycle = _cycle(world)
    _get(client, _home(world), world["coordinator"])
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert cached  # positive control
    comment_add(actor=world["coordinator"], item=cycle.sections.first(), body="Sources?")
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert not cached


def test_stage_signoff_shows(client, world):
    cycle = _cycle(world)
    sections = list(cycle.sections.all())
    review_submit(actor=world["editor"], items=sections)
    review_approve(actor=world["reviewer"], items=sections)
    home, _ = _get(client, _home(world), world["coordinator"])
    assert "Signed off" not in home
    stage_signoff(actor=world["coordinator"], cycle=cycle, stage="situation_analysis")
    home, cached = _get(client, _home(world), world["coordinator"])
    assert not cached
    assert "Signed off" in home


def test_progress_update_shows(client, world, cycle):
    kpi = KPI.objects.filter(cycle=cycle).order_by("pk").first()
    board, _ = _get(client, _dashboard(cycle), world["coordinator"])
    assert "2026" not in board.split("KPI 0 of")[1][:400]
    progress_update_create(actor=world["editor"], kpi=kpi, period="2026", actual_value=Decimal(55))
    board, cached = _get(client, _dashboard(cycle), world["coordinator"])
    assert not cached
    assert "55" in board


def test_deletion_shows(client, world):
    cycle = _cycle(world)
    home, _ = _get(client, _home(world), world["coordinator"])
    sections = cycle.sections.count()
    assert f'data-label="Draft">{sections}</td>' in home
    situation_section_delete(actor=world["editor"], section=cycle.sections.first())
    home, cached = _get(client, _home(world), world["coordinator"])
    assert not cached
    assert f'data-label="Draft">{sections - 1}</td>' in home


# Who shares an entry -----------------------------------------------------------------------------


def test_observer_never_gets_the_coordinators_draft_counts(client, world):
    cycle = _cycle(world)
    sections = list(cycle.sections.order_by("position"))
    review_submit(actor=world["editor"], items=sections[:2])
    review_approve(actor=world["reviewer"], items=sections[:2])
    coordinator_home, _ = _get(client, _home(world), world["coordinator"])
    observer_home, cached = _get(client, _home(world), world["observer"])
    assert not cached  # not the coordinator's entry
    draft_count = f'data-label="Draft">{len(sections) - 2}</td>'
    assert draft_count in coordinator_home  # positive control
    assert draft_count not in observer_home
    assert 'data-label="Approved">2</td>' in observer_home
    assert "Items by review state" in coordinator_home
    assert "Items by review state" not in observer_home


def test_a_language_switch_is_a_separate_entry(client, world):
    english, _ = _get(client, _home(world), world["coordinator"])
    french, cached = _get(client, _home(world), world["coordinator"], accept_language="fr")
    assert not cached
    assert "Recent activity" in english and "Recent activity" not in french
    assert "Activité récente" in french


def test_a_write_in_another_workspace_keeps_the_entry(client, world):
    _get(client, _home(world), world["coordinator"])
    organisation_create(
        actor=None, workspace=world.other, name="Elsewhere ministry", kind="ministry"
    )
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert cached
    organisation_create(
        actor=None, workspace=world.workspace, name="Home ministry", kind="ministry"
    )
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert not cached  # positive control: a write here does invalidate


# Entries: one per reader's view, and only while they hold --------------------------------------


def test_a_new_version_replaces_the_readers_entry(client, world):
    """The key has no version: rendering after a write replaces the reader's entry, which
    says which version it shows."""
    workspace = world.workspace
    _get(client, _home(world), world["coordinator"])
    workspace.refresh_from_db()
    perms = workspace_perms(world["coordinator"], workspace)
    key = summary_cache_key("home", workspace=workspace, user=world["coordinator"], perms=perms)
    assert cache.get(key).version == workspace.content_version
    organisation_create(actor=None, workspace=workspace, name="A new ministry", kind="ministry")
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert not cached
    workspace.refresh_from_db()
    assert cache.get(key).version == workspace.content_version  # the same key, replaced


def test_the_home_holds_until_an_invitation_expires(client, world, monkeypatch):
    """At noon, an invitation expiring at half past: a hit until then, then a miss the same
    day (the date in the key does not change) showing "Expired"."""
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    clock = [noon]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    monkeypatch.setattr(summary_cache, "_now", lambda: clock[0].timestamp())
    organisation = world.workspace.organisations.first()
    invitation, _token = invitation_create(
        actor=world["coordinator"], workspace=world.workspace, email="late@example.org",
        role=Role.EDITOR, organisation=organisation,
    )  # fmt: skip
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=noon + timedelta(minutes=30))
    home, _ = _get(client, _home(world), world["coordinator"])
    assert "late@example.org" in home and "Expired" not in home
    clock[0] = noon + timedelta(minutes=29)
    _text, cached = _get(client, _home(world), world["coordinator"])
    assert cached  # positive control: before the expiry, a hit
    clock[0] = noon + timedelta(minutes=31)
    home, cached = _get(client, _home(world), world["coordinator"])
    assert not cached  # no write, but the content changed with time
    assert "Expired" in home
