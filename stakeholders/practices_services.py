"""Writes of the good-practice exchange: create, edit, the lifecycle and deletion of a practice.

Keyword-only, one transaction each, `full_clean()` before saving, the actor (and the reason of
a return or a withdrawal) recorded in the practice's history. Who may do what is decided by
`practices_selectors.practice_actions`; every service asks it again, so an API call or a stale
page cannot do more than the rules allow.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import PracticeStatus
from .coordination_models import Practice
from .models import User, Workspace
from .permissions import Perm, workspace_perms
from .practices_selectors import TRANSITIONS, practice_actions

PRACTICE_FIELDS = (
    "title",
    "summary",
    "area",
    "what_worked",
    "what_did_not",
    "contact_organisation",
)


def _save(practice: Practice, *, actor: User | None, reason: str = "") -> None:
    practice.full_clean()
    practice._history_user = actor  # type: ignore[attr-defined]
    if reason:
        practice._change_reason = reason  # type: ignore[attr-defined]
    practice.save()


def _locked(practice: Practice) -> Practice:
    """The practice re-read under a row lock, so two transitions cannot both pass."""
    return Practice.objects.select_for_update().select_related("workspace").get(pk=practice.pk)


def _role_allows(actor: User, perms: frozenset[Perm], practice: Practice, action: str) -> bool:
    """Could `actor` do `action` to `practice` at all, whatever its state?"""
    if action in ("publish", "return", "withdraw"):
        return Perm.PUBLISH in perms
    return Perm.EDIT in perms or (Perm.COMMENT in perms and practice.created_by_id == actor.pk)


def _require_action(actor: User, practice: Practice, action: str) -> None:
    """403 for someone who may never do this; a validation error for the wrong state."""
    perms = workspace_perms(actor, practice.workspace)
    if Perm.ACCESS not in perms or not _role_allows(actor, perms, practice, action):
        raise PermissionDenied
    if action not in practice_actions(user=actor, perms=perms, practice=practice):
        raise ValidationError(
            _("This cannot be done to a practice that is %(status)s.")
            % {"status": practice.get_status_display().lower()},
            code="wrong_state",
        )


@transaction.atomic
def practice_create(*, actor: User, workspace: Workspace, **fields: Any) -> Practice:
    """A new draft practice, written by `actor` (who needs `Perm.COMMENT` in the workspace)."""
    if Perm.COMMENT not in workspace_perms(actor, workspace):
        raise PermissionDenied
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    practice = Practice(
        workspace=workspace, status=PracticeStatus.DRAFT, created_by=actor, **fields
    )
    _save(practice, actor=actor)
    return practice


@transaction.atomic
def practice_update(*, actor: User, practice: Practice, **fields: Any) -> Practice:
    """Change the content of a draft or proposed practice (its author, or an editor)."""
    practice = _locked(practice)
    _require_action(actor, practice, "edit")
    for name, value in fields.items():
        if name not in PRACTICE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(practice, name, value)
    _save(practice, actor=actor)
    return practice


@transaction.atomic
def practice_transition(
    *, actor: User, practice: Practice, action: str, reason: str = ""
) -> Practice:
    """Propose, publish, return (reason required) or withdraw a practice."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action}")
    practice = _locked(practice)
    _require_action(actor, practice, action)
    reason = reason.strip()
    if action == "return" and not reason:
        raise ValidationError(
            {"reason": _("Say why the practice goes back to draft.")}, code="reason_required"
        )
    practice.status = TRANSITIONS[action][1]
    if action == "publish":
        practice.published_at = timezone.now()
        practice.published_by = actor
    elif action == "return":
        practice.published_at = None
        practice.published_by = None
    _save(practice, actor=actor, reason=reason)
    return practice


@transaction.atomic
def practice_delete(*, actor: User, practice: Practice) -> None:
    """Delete a draft practice (its author, or an editor); proposed or published ones stay."""
    practice = _locked(practice)
    _require_action(actor, practice, "delete")
    practice._history_user = actor  # type: ignore[attr-defined]
    practice.delete()
