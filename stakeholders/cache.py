"""The workspace's content version and the cache of the pages that summarise a workspace.

`Workspace.content_version` goes up by one whenever anything in the workspace changes: the
receivers of `stakeholders.signals` call `touch_workspace` on every save and delete of a model
with a workspace, and code that writes in bulk (which sends no signal) calls it itself. The
bump is an `UPDATE … SET content_version = content_version + 1` in the writing transaction, so
a reader sees the new version exactly when it sees the new content: no reader can store the old
page under the new version.

A summary page (the workspace home, the M&E dashboard) caches the HTML of its content under a
key made of the workspace, its content version, the reader, the reader's permissions, the
language, the time zone and the date (`summary_cache_key`); everything around it (navigation,
CSRF token, CSP nonce, messages) is rendered on every request. `SUMMARY_CACHE_SECONDS` bounds
the life of an entry as a safety net for what changes with time alone (an invitation expiring).
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .models import Workspace
from .permissions import Perm


class _Touched:
    """Which workspaces were bumped in the current transaction under these savepoints.

    Registered with `on_commit` (a no-op when it runs) only so that Django forgets it exactly
    when the work it stands for is committed or rolled back, savepoints included.
    """

    def __init__(self, savepoints: tuple[str | None, ...]) -> None:
        self.savepoints = savepoints
        self.ids: set[int] = set()

    def __call__(self) -> None:
        pass


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
    """The cache key of summary page `name` of `workspace` as `user` sees it today.

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
    return f"summary:{name}:{workspace.pk}:{workspace.content_version}:{digest}"


def cached_summary(key: str, render: Callable[[], str]) -> tuple[SafeString, bool]:
    """(HTML, whether it came from the cache): the cached HTML under `key`, else `render()` (a
    rendered template: safe HTML) stored for `SUMMARY_CACHE_SECONDS` (0 turns the cache off)."""
    seconds = settings.SUMMARY_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(render()), False  # noqa: S308 - rendered by the template engine
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), True  # noqa: S308 - stored below
    html = str(render())
    cache.set(key, html, seconds)
    return mark_safe(html), False  # noqa: S308 - rendered by the template engine
