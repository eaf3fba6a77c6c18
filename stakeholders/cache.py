"""The workspace's content version and the cache of the pages that summarise a workspace.

`Workspace.content_version` goes up by one whenever anything in the workspace changes: the
receivers of `stakeholders.signals` call `touch_workspace` on every save and delete of a model
with a workspace, and code that writes in bulk (which sends no signal) calls it itself. The
bump is an `UPDATE … SET content_version = content_version + 1` in the writing transaction, so
a reader sees the new version exactly when it sees the new content: no reader can store the old
page under the new version.

A summary page (the workspace home, the M&E dashboard) caches the HTML of its content under a
key made of the workspace, the reader, the reader's permissions, the language, the time zone and
the date (`summary_cache_key`), with the content version it was rendered at: an entry of another
version is a miss, and rendering again replaces it, so each reader's view takes one entry. A
page whose content changes with time alone says until when it holds (an invitation expiring:
`summary_valid_until`). Everything around the content (navigation, CSRF token, CSP nonce,
messages) is rendered on every request. `SUMMARY_CACHE_SECONDS` is the life of an entry not
read again (a day by default; 0 turns the cache off).

Refresh ahead (`SUMMARY_REFRESH`, on when the cache is shared between processes): a reader who
rendered a summary is remembered for a while (`SummaryReader`, per workspace). When a transaction
that bumped a workspace commits, a Celery task renders that workspace's summaries again for the
readers it remembers (`refresh_summaries`), so that their next visit after someone else's write
is a cache hit too. A reader's first visit, an evicted entry, and a visit that comes before the
task finished render the summary themselves, as without refresh.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.http import Http404, HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .access import workspace_and_perms
from .models import User, Workspace
from .permissions import Perm

logger = logging.getLogger(__name__)


class _Touched:
    """Which workspaces were bumped in the current transaction under these savepoints.

    Registered with `on_commit` (a no-op when it runs) only so that Django forgets it exactly
    when the work it stands for is committed or rolled back, savepoints included.
    """

    def __init__(self, savepoints: tuple[str | None, ...]) -> None:
        self.savepoints = savepoints
        self.ids: set[int] = set()

    def __call__(self) -> None:
        """The bumps are committed: have the summaries of these workspaces rendered again."""
        schedule_summary_refresh(self.ids)


def _callbacks(connection: Any) -> list[Any]:
    """The functions waiting for the commit of the connection's transaction."""
    return [entry[1] for entry in connection.run_on_commit]


def _markers(connection: Any) -> list[_Touched]:
    return [func for func in _callbacks(connection) if isinstance(func, _Touched)]


def touch_workspaces(workspace_ids: Iterable[int | None], *, using: str | None = None) -> None:
    """Bump the content version of these workspaces, in the current transaction.

    Within one transaction a workspace is bumped once, unless someone read its version since
    (`note_version_read`: only the same connection can before the commit, i.e. tests or atomic
    requests). A bump stays known for as long as Django keeps its marker: a marker is dropped
    when a savepoint it was registered under rolls back, which also undoes its bump; savepoints
    released since are part of their parent, which encloses the present write.
    """
    wanted = {pk for pk in workspace_ids if pk is not None}
    if not wanted:
        return
    using = using or DEFAULT_DB_ALIAS
    connection = connections[using]
    if not connection.in_atomic_block:
        Workspace.objects.using(using).filter(pk__in=wanted).update(
            content_version=F("content_version") + 1
        )
        schedule_summary_refresh(wanted)
        return
    markers = _markers(connection)
    for marker in markers:
        wanted -= marker.ids
    if not wanted:
        return
    Workspace.objects.using(using).filter(pk__in=wanted).update(
        content_version=F("content_version") + 1
    )
    # Registered at the present depth, so that rolling back this savepoint forgets it too.
    current = tuple(connection.savepoint_ids)
    found = next((m for m in markers if m.savepoints == current), None)
    if found is None:
        found = _Touched(current)
        connection.on_commit(found)
    found.ids |= wanted


def touch_workspace(workspace_id: int | None, *, using: str | None = None) -> None:
    """Bump the content version of one workspace (see `touch_workspaces`)."""
    touch_workspaces([workspace_id], using=using)


def note_version_read(workspace_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """The version of the workspace was read (by a page, or a test): the next write in this
    transaction bumps it again."""
    connection = connections[using]
    if connection.in_atomic_block:
        for marker in _markers(connection):
            marker.ids.discard(workspace_id)


class _Scope:
    """Names the uncommitted state a reader inside a transaction sees (registered with
    `on_commit` as a no-op, so that Django forgets it with the transaction)."""

    serials = itertools.count(1)

    def __init__(self) -> None:
        self.serial = next(self.serials)

    def __call__(self) -> None:
        pass


def _transaction_scope(*, using: str = DEFAULT_DB_ALIAS) -> str:
    """'' for a reader in autocommit (every request in production); inside a transaction, a
    name of that transaction and savepoint. A version bumped inside a transaction may be rolled
    back and then reused by another write; a reader who saw it (only the same connection can:
    tests, atomic requests) must not share entries with anyone but itself."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return ""
    scope = next((func for func in _callbacks(connection) if isinstance(func, _Scope)), None)
    if scope is None:
        scope = _Scope()
        connection.on_commit(scope)
    savepoints = "/".join(str(sid) for sid in connection.savepoint_ids)
    return f"{os.getpid()}:{scope.serial}:{savepoints}"


def summary_cache_key(
    name: str,
    *,
    workspace: Workspace,
    user: Any,
    perms: frozenset[Perm],
    extra: Iterable[Any] = (),
) -> str:
    """The cache key of summary page `name` of `workspace` as `user` sees it today; the entry
    holds the content version (`cached_summary`).

    Uses the workspace row the view already holds, so it costs no query. The creation time
    keeps apart two workspaces that got the same id (a test database rolled back in between).
    """
    note_version_read(workspace.pk)
    parts = [
        workspace.created_at.isoformat() if workspace.created_at else "",
        str(getattr(user, "pk", "") or ""),
        ",".join(sorted(perm.value for perm in perms)),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        *(str(value) for value in extra),
        _transaction_scope(),
    ]
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=12).hexdigest()
    return f"summary:{name}:{workspace.pk}:{digest}"


# Refresh ahead ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryReader:
    """Who saw a summary page, and how: enough to render it again as they would see it."""

    path: str
    query: str
    user_id: int
    language: str
    time_zone: str


def _readers_key(workspace_id: int) -> str:
    return f"summary-readers:{workspace_id}"


# A refresh waiting in the queue stops others from being queued for at most this long (a task
# lost with its worker must not block refreshes for long; Celery redelivers it anyway).
PENDING_SECONDS = 300


def _pending_key(workspace_id: int) -> str:
    return f"summary-refresh-pending:{workspace_id}"


def _now() -> float:
    return time.time()


def _refresh_on() -> bool:
    return bool(settings.SUMMARY_REFRESH) and settings.SUMMARY_CACHE_SECONDS > 0


def summary_readers(workspace_id: int) -> list[tuple[SummaryReader, float]]:
    """(reader, when last seen) of the workspace's readers remembered for refresh (seen within
    `SUMMARY_REFRESH_HOURS`), most recent first."""
    lifetime = settings.SUMMARY_REFRESH_HOURS * 3600
    now = _now()
    readers: dict[SummaryReader, float] = cache.get(_readers_key(workspace_id)) or {}
    recent = sorted(readers.items(), key=lambda pair: pair[1], reverse=True)
    return [(reader, seen) for reader, seen in recent if now - seen < lifetime]


def note_summary_reader(workspace_id: int, reader: SummaryReader) -> None:
    """Remember `reader` for `SUMMARY_REFRESH_HOURS`, among the workspace's most recent
    `SUMMARY_REFRESH_READERS` readers. A read-modify-write of one cache entry: two readers
    noted at the same instant may keep only one of them, which costs that one a cache miss
    after the next write, nothing else."""
    if not _refresh_on():
        return
    others = [pair for pair in summary_readers(workspace_id) if pair[0] != reader]
    kept = [(reader, _now()), *others][: settings.SUMMARY_REFRESH_READERS]
    cache.set(_readers_key(workspace_id), dict(kept), settings.SUMMARY_REFRESH_HOURS * 3600)


def schedule_summary_refresh(workspace_ids: Iterable[int]) -> None:
    """Enqueue one refresh per workspace that has remembered readers and no refresh waiting
    (a waiting task reads the newest version when it runs, so it covers later writes too).

    Runs when a write commits: a cache or broker that is down costs the readers a cache miss
    and is logged, and never turns the committed write into an error."""
    if not _refresh_on():
        return
    try:
        _enqueue_refreshes(sorted(set(workspace_ids)))
    except Exception:
        logger.warning("Could not schedule the summary refresh", exc_info=True)


def _enqueue_refreshes(ids: list[int]) -> None:
    remembered = cache.get_many([_readers_key(pk) for pk in ids])
    from .tasks import summary_refresh_task  # tasks.py imports this module

    for pk in ids:
        if not remembered.get(_readers_key(pk)):
            continue
        if not cache.add(_pending_key(pk), 1, PENDING_SECONDS):
            continue
        try:
            summary_refresh_task.delay(pk)
        except Exception:
            cache.delete(_pending_key(pk))  # the next write tries again
            raise


def schedule_daily_refresh() -> int:
    """Enqueue a refresh for every workspace with remembered readers (the summaries are per
    day: run just after midnight, so that a reader's first visit of the day is a hit too).
    Returns how many workspaces have readers."""
    if not _refresh_on():
        return 0
    ids = list(Workspace.objects.order_by("pk").values_list("pk", flat=True))
    with_readers = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        remembered = cache.get_many([_readers_key(pk) for pk in chunk])
        with_readers += [pk for pk in chunk if remembered.get(_readers_key(pk))]
    schedule_summary_refresh(with_readers)
    return len(with_readers)


def _reader_request(reader: SummaryReader, user: User) -> HttpRequest:
    """A GET request of `reader`'s page as `user`, for rendering outside any real request."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reader.path
    request.GET = QueryDict(reader.query)
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80"}  # summaries build no URL host
    request.user = user
    return request


def refresh_summaries(workspace_id: int) -> int:
    """Render the summaries of `workspace_id` for its remembered readers where the cache has no
    entry for the present version yet; returns how many were rendered. A reader who can no
    longer see the page (removed, deactivated, page gone) is skipped."""
    cache.delete(_pending_key(workspace_id))  # a write from now on enqueues another refresh
    if not _refresh_on():
        return 0
    readers = summary_readers(workspace_id)
    users = User.objects.filter(pk__in={r.user_id for r, _ in readers}, is_active=True).in_bulk()
    rendered = 0
    for reader, seen in readers:
        user = users.get(reader.user_id)
        if user is None:
            continue
        try:
            match = resolve(reader.path)
        except Resolver404:
            continue
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, CachedSummaryMixin):
            continue
        view = view_class(**getattr(match.func, "view_initkwargs", {}))
        view.setup(_reader_request(reader, user), *match.args, **match.kwargs)
        with translation.override(reader.language), timezone.override(reader.time_zone):
            try:
                rendered += view.refresh_summary(seen_at=seen)
            except Http404:
                continue
            except Exception:  # one reader's failure must not cost the others their refresh
                logger.exception("Summary refresh of %s for user %s", reader.path, user.pk)
    return rendered


@dataclass(frozen=True)
class _Entry:
    """A cached summary: its HTML, the content version it shows, until when it holds (None:
    until the next write), and, when a refresh rendered it, when its reader was last seen."""

    version: int
    html: str
    valid_until: float | None = None
    seen_at: float | None = None

    def holds(self, version: int) -> bool:
        return self.version == version and (self.valid_until is None or _now() < self.valid_until)


def cached_summary(
    key: str,
    render: Callable[[], tuple[str, float | None]],
    *,
    version: int,
    reader: tuple[int, SummaryReader] | None = None,
    refresh_seen_at: float | None = None,
) -> tuple[SafeString, bool]:
    """(HTML, whether it came from the cache): the entry under `key` if it shows content
    `version` and still holds, else `render()` — (a rendered template: safe HTML, until when
    it holds or None) — stored for `SUMMARY_CACHE_SECONDS` (0 turns the cache off).

    `reader` (workspace id, reader) is remembered for refresh ahead when this request renders
    the summary. An entry a refresh rendered holds when its reader was last seen; the reader is
    remembered again when served it after a quarter of `SUMMARY_REFRESH_HOURS`, so a reader
    served only refreshed entries stays remembered, at one registry write per quarter.
    `refresh_seen_at` makes this call a refresh's: render only if no entry holds.
    """
    seconds = settings.SUMMARY_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(render()[0]), False  # noqa: S308 - rendered by the template engine
    found = cache.get(key)
    if isinstance(found, _Entry) and found.holds(version):
        if (
            reader
            and found.seen_at is not None
            and _now() - found.seen_at >= settings.SUMMARY_REFRESH_HOURS * 3600 / 4
        ):
            note_summary_reader(*reader)
            cache.set(key, replace(found, seen_at=_now()), seconds)
        return mark_safe(found.html), True  # noqa: S308 - stored below
    html, valid_until = render()
    html = str(html)
    cache.set(key, _Entry(version, html, valid_until, refresh_seen_at), seconds)
    if reader:
        note_summary_reader(*reader)
    return mark_safe(html), False  # noqa: S308 - rendered by the template engine


class CachedSummaryMixin:
    """For a `WorkspaceMixin` page whose content is a cached summary: `add_summary(context)`
    puts it in the context as `summary` (and `summary_cached`); `refresh_summary()` renders it
    outside a request for `refresh_summaries`.

    A page names its cache entries (`summary_name`), its partial (`summary_template_name`),
    what else its content depends on (`summary_key_extra`), and its content
    (`summary_context`, which sets `summary_valid_until`, a POSIX time, when the content changes
    with time alone)."""

    summary_name: ClassVar[str]
    summary_template_name: ClassVar[str]
    refresh_seen_at: float | None = None  # set while a refresh renders the summary
    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Workspace
    perms: frozenset[Perm]

    def summary_key_extra(self) -> Iterable[Any]:
        return ()

    def summary_context(self, context: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def add_summary(self, context: dict[str, Any]) -> None:
        key = summary_cache_key(
            self.summary_name,
            workspace=self.workspace,
            user=self.request.user,
            perms=self.perms,
            extra=self.summary_key_extra(),
        )
        reader = None
        if self.refresh_seen_at is None and self.request.user.is_authenticated:
            reader = (
                self.workspace.pk,
                SummaryReader(
                    path=self.request.path_info,  # what `resolve` takes
                    query=self.request.GET.urlencode(),
                    user_id=self.request.user.pk,
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    time_zone=timezone.get_current_timezone_name(),
                ),
            )

        def render() -> tuple[str, float | None]:
            content = self.summary_context(context)
            html = render_to_string(self.summary_template_name, content, request=self.request)
            return html, content.get("summary_valid_until")

        context["summary"], context["summary_cached"] = cached_summary(
            key,
            render,
            version=self.workspace.content_version,
            reader=reader,
            refresh_seen_at=self.refresh_seen_at,
        )

    def refresh_summary(self, *, seen_at: float) -> bool:
        """Render the summary for the request's user (a reader last seen at `seen_at`) into the
        cache if it is not there; False when it was there or the user may no longer see the
        page (404s are raised as on the page)."""
        self.refresh_seen_at = seen_at
        self.workspace, self.perms = workspace_and_perms(self.request, self.kwargs["slug"])
        if self.required_permission() not in self.perms:  # type: ignore[attr-defined]
            return False
        return not self.get_context_data()["summary_cached"]  # type: ignore[attr-defined]
