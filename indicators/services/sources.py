"""Writes of data sources: the registry of where a workspace's figures come from.

Editors and coordinators (Perm.EDIT) add, change and delete them. The producer must be one of
the workspace's organisations and the name is unique in the workspace (both checked by the
model's validation, so a form or the API shows the message on the field).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from stakeholders.models import Organisation, User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..models import DataSource

CHANGEABLE = ("name", "producer", "kind", "periodicity", "limitations", "url")


def _require_edit(actor: User, workspace: Workspace) -> None:
    if Perm.EDIT not in workspace_perms(actor, workspace):
        raise PermissionDenied


def _save(source: DataSource, *, actor: User) -> None:
    source.full_clean()
    source._history_user = actor  # type: ignore[attr-defined]
    source.save()


@transaction.atomic
def data_source_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    kind: str,
    producer: Organisation | None = None,
    periodicity: str = "",
    limitations: str = "",
    url: str = "",
) -> DataSource:
    _require_edit(actor, workspace)
    source = DataSource(
        workspace=workspace,
        name=(name or "").strip(),
        kind=kind,
        producer=producer,
        periodicity=periodicity or "",
        limitations=(limitations or "").strip(),
        url=url or "",
    )
    _save(source, actor=actor)
    return source


@transaction.atomic
def data_source_update(*, actor: User, source: DataSource, **changes: Any) -> DataSource:
    """Change the fields named in `changes` (any of `CHANGEABLE`)."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    _require_edit(actor, source.workspace)
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(source, name, value)
    _save(source, actor=actor)
    return source


@transaction.atomic
def data_source_delete(*, actor: User, source: DataSource) -> None:
    """Delete a source; the observations that cited it keep their values without a source."""
    _require_edit(actor, source.workspace)
    source._history_user = actor  # type: ignore[attr-defined]
    source.delete()
