"""Receivers that bump `Workspace.content_version` whenever something in a workspace changes.

They only invalidate caches (`stakeholders.cache`); no domain logic lives here. Writes that send
no signal (`bulk_create`, `bulk_update`, `QuerySet.update`) call `touch_workspace` themselves.

Connected by `StakeholdersConfig.ready()`:
- every model with a foreign key to `Workspace` (history rows excepted: they are written with
  the row they record): save and delete bump that workspace; its many-to-many fields too;
- `Workspace`: a full save increments its own version in its UPDATE (so that saving a workspace
  loaded before a bump cannot set the version back) and bumps its parent and its local
  workspaces (each home names the other);
- memberships, per-object permissions and group membership: they change who sees what, in the
  workspace and in its parent's and local workspaces' pages, so those are bumped too;
- a user's own row: their name appears on the pages of the workspaces they are a member of.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import F, ForeignKey, Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalChanges

from .cache import touch_workspaces
from .models import Membership, User, Workspace

# Models whose changes alter access: their workspace's family is bumped, not just the workspace.
ACCESS_MODELS = ("stakeholders.Membership", "stakeholders.WorkspaceGroupObjectPermission",
                 "stakeholders.WorkspaceUserObjectPermission")  # fmt: skip


def workspace_family(workspace_ids: Iterable[int | None]) -> set[int]:
    """The workspaces, their parents and their local workspaces (one query)."""
    ids = {pk for pk in workspace_ids if pk is not None}
    if not ids:
        return set()
    family = set(ids)
    for pk, parent_id in Workspace.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).values_list(
        "pk", "parent_id"
    ):
        family.add(pk)
        if parent_id is not None:
            family.add(parent_id)
    return family


def _workspace_fields(model: type[Model]) -> list[str]:
    """Attribute names of the model's foreign keys to Workspace (`workspace_id`, …)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey) and field.related_model is Workspace
    ]


def _ids_of(instance: Model, attnames: list[str]) -> set[int]:
    return {value for name in attnames if (value := getattr(instance, name, None)) is not None}


def _make_item_receiver(model: type[Model]) -> Any:
    attnames = _workspace_fields(model)
    family = model._meta.label in ACCESS_MODELS

    def receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        ids = _ids_of(instance, attnames)
        touch_workspaces(workspace_family(ids) if family else ids, using=instance._state.db)

    return receiver


def _make_m2m_receiver(model: type[Model], field_name: str) -> Any:
    """For the many-to-many field `field_name` of `model` (which has a workspace): bump the
    workspaces of the rows of `model` on either side of the change."""
    attnames = _workspace_fields(model)

    def receiver(
        sender: Any, instance: Model, action: str, reverse: bool, pk_set: set[Any] | None, **_: Any
    ) -> None:
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if not reverse:
            ids = _ids_of(instance, attnames)
        else:
            rows = model._default_manager.all()
            if action == "pre_clear":
                rows = rows.filter(**{field_name: instance.pk})
            else:
                rows = rows.filter(pk__in=pk_set or ())
            ids = {pk for name in attnames for pk in rows.values_list(name, flat=True)}
        touch_workspaces(ids, using=instance._state.db)

    return receiver


def workspace_pre_save(sender: Any, instance: Workspace, update_fields: Any, **_: Any) -> None:
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is None or "content_version" in update_fields:
        instance.content_version = F("content_version") + 1


def workspace_post_save(sender: Any, instance: Workspace, update_fields: Any, **_: Any) -> None:
    others = workspace_family([instance.pk]) - {instance.pk}
    if update_fields is not None and "content_version" not in update_fields:
        others.add(instance.pk)  # its UPDATE did not bump it
    touch_workspaces(others, using=instance._state.db)


def workspace_post_delete(sender: Any, instance: Workspace, **_: Any) -> None:
    touch_workspaces([instance.parent_id], using=instance._state.db)


def user_post_save(
    sender: Any, instance: User, created: bool, update_fields: Any, **_: Any
) -> None:
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    ids = Membership.objects.filter(user=instance).values_list("workspace_id", flat=True)
    touch_workspaces(list(ids), using=instance._state.db)


def _workspaces_of_groups(group_ids: Iterable[Any]) -> set[int]:
    from .models import WorkspaceGroupObjectPermission

    return set(
        WorkspaceGroupObjectPermission.objects.filter(group_id__in=list(group_ids)).values_list(
            "content_object_id", flat=True
        )
    )


def user_groups_changed(
    sender: Any, instance: Model, action: str, reverse: bool, pk_set: set[Any] | None, **_: Any
) -> None:
    """Role groups are per workspace: joining or leaving one changes who sees what there."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Group):  # group.user_set.add(...): the change is in this group
        groups: Iterable[Any] = [instance.pk]
    elif action == "pre_clear":
        groups = list(cast(User, instance).groups.values_list("pk", flat=True))
    else:
        groups = pk_set or ()
    touch_workspaces(workspace_family(_workspaces_of_groups(groups)), using=instance._state.db)


def connect() -> None:
    """Connect the receivers (idempotent: every receiver has a dispatch uid)."""
    for model in apps.get_models():
        if model is Workspace or issubclass(model, HistoricalChanges):
            continue
        if not _workspace_fields(model):
            continue
        label = model._meta.label
        item_receiver = _make_item_receiver(model)
        post_save.connect(item_receiver, sender=model, weak=False, dispatch_uid=f"ws-save-{label}")
        post_delete.connect(
            item_receiver, sender=model, weak=False, dispatch_uid=f"ws-delete-{label}"
        )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _make_m2m_receiver(model, field.name),
                sender=through,
                weak=False,
                dispatch_uid=f"ws-m2m-{label}-{field.name}",
            )
    pre_save.connect(workspace_pre_save, sender=Workspace, dispatch_uid="ws-pre-save")
    post_save.connect(workspace_post_save, sender=Workspace, dispatch_uid="ws-post-save")
    post_delete.connect(workspace_post_delete, sender=Workspace, dispatch_uid="ws-post-delete")
    post_save.connect(user_post_save, sender=User, dispatch_uid="ws-user-save")
    m2m_changed.connect(
        user_groups_changed, sender=User.groups.through, dispatch_uid="ws-user-groups"
    )
