"""Good practices for tests, made through the services (so history and rules apply)."""

from __future__ import annotations

from typing import Any

from stakeholders.choices import PracticeArea, PracticeStatus
from stakeholders.coordination_models import Practice
from stakeholders.models import User, Workspace
from stakeholders.practices_services import practice_create, practice_transition


def make_practice(
    author: User,
    workspace: Workspace,
    *,
    status: str = PracticeStatus.DRAFT,
    publisher: User | None = None,
    title: str = "Diaspora investment desk",
    **fields: Any,
) -> Practice:
    """A practice by `author` in `status`; `publisher` (a coordinator) publishes or withdraws."""
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("area", PracticeArea.DIASPORA)
    fields.setdefault("what_worked", "A **one-stop** desk.")
    fields.setdefault("what_did_not", "Slow *payments*.")
    practice = practice_create(actor=author, workspace=workspace, title=title, **fields)
    if status == PracticeStatus.DRAFT:
        return practice
    practice = practice_transition(actor=author, practice=practice, action="propose")
    if status == PracticeStatus.PROPOSED:
        return practice
    assert publisher is not None, "publishing needs a coordinator"
    practice = practice_transition(actor=publisher, practice=practice, action="publish")
    if status == PracticeStatus.WITHDRAWN:
        practice = practice_transition(actor=publisher, practice=practice, action="withdraw")
    return practice
