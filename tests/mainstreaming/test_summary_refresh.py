"""Refresh ahead of the cached summaries (stakeholders/cache.py): after a committed write, the
workspace's recent readers get their next page from the cache, rendered as they would see it
themselves; nobody gets another reader's view; a reader who lost access is skipped. Each check
that something is absent has its positive control."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mainstreaming.models import Cycle
from mainstreaming.services.cycles import cycle_create, cycle_update
from stakeholders import cache as summary_cache
from stakeholders.cache import (
    SummaryReader,
    note_summary_reader,
    note_version_read,
    summary_readers,
)
from stakeholders.review import review_submit
from stakeholders.services import membership_remove, organisation_create

from .bench_seed import seed_cycle_content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _refresh_on(settings) -> Iterator[None]:
    """Refresh on, on an empty cache; what the test remembered is not left to later tests."""
    settings.SUMMARY_REFRESH = True
    settings.SUMMARY_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _home(world) -> str:
    return reverse("mainstreaming:workspace_home", kwargs={"slug": world.workspace.slug})


def _dashboard(cycle: Cycle) -> str:
    return reverse(
        "mainstreaming:monitoring_dashboard", kwargs={"slug": cycle.workspace.slug, "pk": cycle.pk}
    )


def _get(client, url: str, user, **headers) -> tuple[str, bool]:
    """(page text, whether the summary came from the cache)."""
    client.force_login(user)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), response.context["summary_cached"]


def _cycle(world) -> Cycle:
    return cycle_create(
        actor=world["editor"], workspace=world.workspace, title="Cycle 2025–2029",
        start_year=2025, end_year=2029,
    )  # fmt: skip


def _main(page: str) -> str:
    """The page's content (the summary), without the frame that differs per request."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_after_a_write_the_next_visit_is_a_hit_with_the_new_content(
    client, world, django_capture_on_commit_callbacks
):
    cycle = _cycle(world)
    before, cached = _get(client, _home(world), world["observer"])
    assert not cached and "Cycle 2025–2029" in before
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Renamed cycle")
    after, cached = _get(client, _home(world), world["observer"])
    assert cached  # rendered by the refresh, not by this request
    assert "Renamed cycle" in after and "Cycle 2025–2029" not in after
    # Exactly what the reader renders without refresh (positive control of the comparison).
    cache.clear()
    rendered, cached = _get(client, _home(world), world["observer"])
    assert not cached
    assert _main(after) == _main(rendered)


def test_without_a_commit_there_is_no_refresh(client, world):
    """Tests' writes never commit: the summary is stale only until the next read renders it."""
    cycle = _cycle(world)
    _get(client, _home(world), world["observer"])
    cycle_update(actor=world["editor"], cycle=cycle, title="Renamed cycle")
    after, cached = _get(client, _home(world), world["observer"])
    assert not cached and "Renamed cycle" in after


def test_each_reader_gets_their_own_view(client, world, django_capture_on_commit_callbacks):
    cycle = _cycle(world)
    sections = list(cycle.sections.order_by("position"))
    _get(client, _home(world), world["observer"])
    _get(client, _home(world), world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        review_submit(actor=world["editor"], items=sections[:2])
    coordinator_home, cached = _get(client, _home(world), world["coordinator"])
    assert cached
    observer_home, cached = _get(client, _home(world), world["observer"])
    assert cached
    submitted = 'data-label="Submitted for review">2</td>'
    assert submitted in coordinator_home  # positive control: the coordinator sees drafts
    assert submitted not in observer_home
    assert "Items by review state" not in observer_home


def test_a_reader_keeps_their_language(client, world, django_capture_on_commit_callbacks):
    cycle = _cycle(world)
    _get(client, _home(world), world["coordinator"], accept_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Cycle renommé")
    french, cached = _get(client, _home(world), world["coordinator"], accept_language="fr")
    assert cached
    assert "Activité récente" in french and "Cycle renommé" in french
    english, cached = _get(client, _home(world), world["coordinator"])
    assert not cached  # nobody read it in English since the write
    assert "Recent activity" in english


def test_the_dashboard_refreshes_with_its_filters(
    client, world, django_capture_on_commit_callbacks
):
    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(
        cycle=cycle, actor=world["editor"], organisation=organisation, n=2, periods=["2025"]
    )
    url = f"{_dashboard(cycle)}?status=no_data&page=1"
    _get(client, url, world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        organisation_create(
            actor=None, workspace=world.workspace, name="Ministry of Labour", kind="ministry"
        )
    _board, cached = _get(client, url, world["coordinator"])
    assert cached
    _board, cached = _get(client, _dashboard(cycle), world["coordinator"])
    assert not cached  # another query string is another entry, not refreshed


def test_a_removed_member_is_skipped(client, world, django_capture_on_commit_callbacks):
    _cycle(world)
    _get(client, _home(world), world["observer"])
    _get(client, _home(world), world["reviewer"])
    membership = world["observer"].memberships.get(workspace=world.workspace)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(actor=world["coordinator"], membership=membership)
    # The observer's view is gone, the reviewer's was refreshed.
    assert summary_cache.refresh_summaries(world.workspace.pk) == 0
    client.force_login(world["observer"])
    assert client.get(_home(world)).status_code == 404
    _text, cached = _get(client, _home(world), world["reviewer"])
    assert cached


def test_one_task_per_workspace_while_one_waits(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from stakeholders import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.summary_refresh_task, "delay", queued.append)
    cycle = _cycle(world)
    _remember(world)
    for title in ("One", "Two"):
        note_version_read(world.workspace.pk)
        with django_capture_on_commit_callbacks(execute=True):
            cycle_update(actor=world["editor"], cycle=cycle, title=title)
    assert queued == [world.workspace.pk]
    summary_cache.refresh_summaries(world.workspace.pk)  # the task ran: the next write queues
    note_version_read(world.workspace.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Three")
    assert queued == [world.workspace.pk, world.workspace.pk]


def test_no_reader_no_task(world, monkeypatch, django_capture_on_commit_callbacks):
    from stakeholders import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.summary_refresh_task, "delay", queued.append)
    cycle = _cycle(world)
    note_version_read(world.workspace.pk)  # the write below does bump the workspace
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Nobody reads")
    assert queued == []
    _remember(world)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Someone reads")
    assert queued == [world.workspace.pk]  # positive control


def test_refresh_off_queues_nothing(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from stakeholders import tasks

    settings.SUMMARY_REFRESH = False
    queued: list[int] = []
    monkeypatch.setattr(tasks.summary_refresh_task, "delay", queued.append)
    cycle = _cycle(world)
    _remember(world)
    assert summary_readers(world.workspace.pk) == []  # nothing remembered either
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Off")
    assert queued == []


def test_a_broker_failure_never_fails_the_write(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from stakeholders import tasks

    def broken(workspace_id: int) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.summary_refresh_task, "delay", broken)
    cycle = _cycle(world)
    _remember(world)
    with (
        caplog.at_level(logging.WARNING, logger="stakeholders.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        cycle_update(actor=world["editor"], cycle=cycle, title="Saved anyway")
    cycle.refresh_from_db()
    assert cycle.title == "Saved anyway"
    assert "Could not schedule the summary refresh" in caplog.text
    # The waiting flag was dropped: the next write tries again.
    queued: list[int] = []
    monkeypatch.setattr(tasks.summary_refresh_task, "delay", queued.append)
    note_version_read(world.workspace.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Again")
    assert queued == [world.workspace.pk]


def test_a_cache_failure_never_fails_the_write(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(keys):
        raise ConnectionError("cache down")

    cycle = _cycle(world)
    _remember(world)
    monkeypatch.setattr(summary_cache.cache, "get_many", broken)
    with (
        caplog.at_level(logging.WARNING, logger="stakeholders.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        cycle_update(actor=world["editor"], cycle=cycle, title="Saved anyway")
    cycle.refresh_from_db()
    assert cycle.title == "Saved anyway"
    assert "cache down" in caplog.text


def _reader(user_id: int, path: str = "/w/national/") -> SummaryReader:
    return SummaryReader(path=path, query="", user_id=user_id, language="en", time_zone="UTC")


def _remember(world) -> None:
    """The observer read the home. A page reads the workspace's version, so the next write in
    the test's one transaction bumps it again (in production each request commits its own)."""
    note_summary_reader(world.workspace.pk, _reader(world["observer"].pk))
    note_version_read(world.workspace.pk)


def test_readers_are_the_most_recent_within_the_window(world, settings, monkeypatch):
    settings.SUMMARY_REFRESH_READERS = 3
    settings.SUMMARY_REFRESH_HOURS = 1
    now = [1_000_000.0]
    monkeypatch.setattr(summary_cache, "_now", lambda: now[0])
    for user_id in range(1, 6):
        now[0] += 60
        note_summary_reader(world.workspace.pk, _reader(user_id))
    assert [r.user_id for r, _seen in summary_readers(world.workspace.pk)] == [5, 4, 3]
    now[0] += 60
    note_summary_reader(world.workspace.pk, _reader(3))  # seen again: first
    assert [r.user_id for r, _seen in summary_readers(world.workspace.pk)] == [3, 5, 4]
    now[0] += 3500  # user 4 was last seen more than an hour ago, user 5 less
    assert [r.user_id for r, _seen in summary_readers(world.workspace.pk)] == [3, 5]
    assert summary_readers(world.other.pk) == []


def test_a_hit_on_a_refreshed_entry_keeps_the_reader(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Readers who only ever get refreshed entries are still remembered: serving them one a
    quarter of SUMMARY_REFRESH_HOURS after they were last seen notes them again, so they do
    not drop out; sooner, a hit writes nothing."""
    settings.SUMMARY_REFRESH_HOURS = 1
    cycle = _cycle(world)
    now = [1_000_000.0]
    monkeypatch.setattr(summary_cache, "_now", lambda: now[0])
    noted: list[int] = []
    real_note = summary_cache.note_summary_reader

    def counting_note(workspace_id, reader):
        noted.append(reader.user_id)
        real_note(workspace_id, reader)

    monkeypatch.setattr(summary_cache, "note_summary_reader", counting_note)
    _get(client, _home(world), world["observer"])
    assert noted == [world["observer"].pk]
    now[0] += 60
    note_version_read(world.workspace.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Soon")
    _text, cached = _get(client, _home(world), world["observer"])
    assert cached and noted == [world["observer"].pk]  # a minute later: nothing written
    now[0] += 3000  # 51 minutes after the first visit, more than a quarter of the hour
    note_version_read(world.workspace.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_update(actor=world["editor"], cycle=cycle, title="Later")
    _text, cached = _get(client, _home(world), world["observer"])
    assert cached and noted == [world["observer"].pk] * 2
    now[0] += 600  # 61 minutes after the first visit: without the second note, forgotten
    assert [r.user_id for r, _seen in summary_readers(world.workspace.pk)] == [world["observer"].pk]
    _text, cached = _get(client, _home(world), world["observer"])
    assert cached and len(noted) == 2  # noted 10 minutes ago: not yet again


def test_the_new_days_summaries_are_rendered_after_midnight(client, world, monkeypatch):
    """The key holds the date: the beat task just after midnight renders the new day's
    summaries for the remembered readers, so their first visit of the day is a hit."""
    from stakeholders.tasks import summary_refresh_daily_task

    _cycle(world)
    evening = timezone.now().replace(hour=22, minute=0, second=0, microsecond=0)
    clock = [evening]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    monkeypatch.setattr(summary_cache, "_now", lambda: clock[0].timestamp())
    _get(client, _home(world), world["observer"])
    clock[0] = evening + timedelta(hours=2, minutes=1)  # 00:01 the next day
    _text, cached = _get(client, _home(world), world["reviewer"])
    assert not cached  # positive control: a new day is a new entry
    assert summary_refresh_daily_task.delay().get() == 1  # one workspace has readers
    _text, cached = _get(client, _home(world), world["observer"])
    assert cached


def test_the_daily_beat_entry_names_a_registered_task():
    from django.conf import settings

    from mainstreaming.celery import app

    app.loader.import_default_modules()  # what a worker does at start: find every app's tasks
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-summaries-daily"]
    assert entry["task"] == "stakeholders.tasks.summary_refresh_daily_task"
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {1})
