"""Reads of the good-practice exchange: a workspace's practices and the cross-workspace library.

Who reads what (DESIGN §1, §3):

- The **library** (`practice_library`) holds published practices only, for every signed-in
  user, whatever their workspaces. Draft, proposed and withdrawn practices never appear in it.
- In a **workspace**, everyone with access reads its published practices; those who see drafts
  (coordinator, editor, reviewer) read every practice of it; the author of a practice reads it in
  every state while they still have access. A national coordinator reading a local workspace
  only holds access there, so they read its published practices only.

What each person may *do* to a practice is `practice_actions`, the one place the lifecycle's
rules live (views, API, templates and services all ask it):

- create: `Perm.COMMENT` (coordinator, editor, reviewer, contributor — contributors propose good
  practices; observers and national readers do not);
- edit, propose, delete: the author (while they hold `Perm.COMMENT`) or anyone with `Perm.EDIT`,
  while the practice is a draft (edit also while proposed; delete only a draft);
- publish, return to draft (with a reason), withdraw: `Perm.PUBLISH` (the coordinator). The
  seed asks for the coordinator's approval, not four eyes: a coordinator may publish a practice
  they wrote themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from .choices import PracticeStatus
from .coordination_models import Practice
from .models import Workspace
from .permissions import Perm, workspaces_with

if TYPE_CHECKING:
    from .models import User

PRACTICE_ACTIONS = ("propose", "publish", "return", "withdraw")

# Transitions: action → (states it starts from, state it leads to).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "propose": ((PracticeStatus.DRAFT,), PracticeStatus.PROPOSED),
    "publish": ((PracticeStatus.PROPOSED,), PracticeStatus.PUBLISHED),
    "return": ((PracticeStatus.PROPOSED, PracticeStatus.WITHDRAWN), PracticeStatus.DRAFT),
    "withdraw": ((PracticeStatus.PUBLISHED,), PracticeStatus.WITHDRAWN),
}

SEARCH_FIELDS = ("title", "summary", "what_worked", "what_did_not")


def _is_author(user: Any, practice: Practice) -> bool:
    return bool(getattr(user, "is_authenticated", False) and practice.created_by_id == user.pk)


def practice_is_readable_with(
    *, user: User | AnonymousUser, perms: frozenset[Perm], practice: Practice
) -> bool:
    """May someone holding `perms` on the practice's workspace read it there?"""
    if Perm.ACCESS not in perms:
        return False
    if practice.status == PracticeStatus.PUBLISHED or Perm.VIEW_DRAFTS in perms:
        return True
    return _is_author(user, practice)


def practice_actions(
    *, user: User | AnonymousUser, perms: frozenset[Perm], practice: Practice
) -> frozenset[str]:
    """What `user` (holding `perms` on its workspace) may do to `practice` in its state.

    Names: "edit", "delete" and the transitions of `PRACTICE_ACTIONS`.
    """
    if not practice_is_readable_with(user=user, perms=perms, practice=practice):
        return frozenset()
    actions: set[str] = set()
    owns = Perm.EDIT in perms or (Perm.COMMENT in perms and _is_author(user, practice))
    status = practice.status
    if owns and status in (PracticeStatus.DRAFT, PracticeStatus.PROPOSED):
        actions.add("edit")
    if owns and status == PracticeStatus.DRAFT:
        actions |= {"propose", "delete"}
    if Perm.PUBLISH in perms:
        for action in ("publish", "return", "withdraw"):
            if status in TRANSITIONS[action][0]:
                actions.add(action)
    return frozenset(actions)


def practice_list(
    *, user: User | AnonymousUser, workspace: Workspace, perms: frozenset[Perm]
) -> QuerySet[Practice]:
    """The practices of `workspace` that `user` may read there (`perms` as `workspace_perms`
    computed them for this workspace)."""
    queryset = Practice.objects.filter(workspace=workspace).select_related(
        "workspace", "contact_organisation", "created_by"
    )
    if Perm.ACCESS not in perms:
        return queryset.none()
    if Perm.VIEW_DRAFTS in perms:
        return queryset
    readable = Q(status=PracticeStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        readable |= Q(created_by_id=user.pk)
    return queryset.filter(readable)


def practice_library(
    *,
    user: User | AnonymousUser,
    q: str = "",
    area: str = "",
    country: str = "",
    level: str = "",
) -> QuerySet[Practice]:
    """Published practices of every workspace, searched and filtered, for a signed-in user.

    `links_to_workspace` says whether the reader may open the publishing workspace (its members,
    and a national coordinator for its local workspaces): only then is the link shown.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Practice.objects.none()
    queryset = Practice.objects.filter(status=PracticeStatus.PUBLISHED)
    for word in q.split():
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    if area:
        queryset = queryset.filter(area=area)
    if country:
        queryset = queryset.filter(workspace__country=country)
    if level:
        queryset = queryset.filter(workspace__level=level)
    readable = workspaces_with(user, Perm.ACCESS).values("pk")
    return queryset.select_related("workspace", "contact_organisation").annotate(
        links_to_workspace=Case(
            When(workspace__in=readable, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def practice_library_countries() -> list[str]:
    """Countries (ISO alpha-3) of the workspaces that have published a practice."""
    return sorted(
        set(
            Practice.objects.filter(status=PracticeStatus.PUBLISHED).values_list(
                "workspace__country", flat=True
            )
        )
    )


def practice_return_reason(*, practice: Practice) -> str:
    """The reason given the last time the practice was returned to draft ("" if none)."""
    if practice.status != PracticeStatus.DRAFT:
        return ""
    record = (
        practice.history.filter(status=PracticeStatus.DRAFT)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .order_by("-history_date", "-history_id")
        .first()
    )
    return str(record.history_change_reason) if record is not None else ""
