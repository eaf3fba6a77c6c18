"""Shared helpers for profile tests: editions started through the services.

`start_edition(actor, workspace)` gives an edition of the light preset with its sections (and
their suggested tables over the reference period); `approve_sections` approves them (submitter
and reviewer must differ); `publish` approves every section and publishes the edition.
"""

from __future__ import annotations

from typing import Any

from profiles.models import Edition, ProfileTemplate, Section
from profiles.services.editions import edition_publish, edition_start
from stakeholders.review import review_approve, review_edit, review_submit


def preset(code: str = "emp-light") -> ProfileTemplate:
    return ProfileTemplate.objects.get(workspace__isnull=True, code=code)


def start_edition(
    actor: Any,
    workspace: Any,
    template_code: str = "emp-light",
    *,
    template: ProfileTemplate | None = None,
    title: str = "Migration profile 2015–2019",
    start: int = 2015,
    end: int = 2019,
    **kwargs: Any,
) -> Edition:
    """An edition started from a preset (or `template`) by `actor` (who needs EDIT)."""
    return edition_start(
        actor=actor,
        workspace=workspace,
        template=template or preset(template_code),
        title=title,
        reference_start_year=start,
        reference_end_year=end,
        **kwargs,
    )


def sections(edition: Edition) -> list[Section]:
    return list(edition.sections.order_by("position", "pk"))


def section(edition: Edition, title: str) -> Section:
    return edition.sections.get(title=title)


def write(actor: Any, section: Section, narrative: str, **changes: Any) -> Section:
    """Edit a section's narrative through the review service."""
    section.refresh_from_db()
    return review_edit(
        actor=actor,
        item=section,
        expected_lock_version=section.lock_version,
        narrative=narrative,
        **changes,
    )


def approve_sections(submitter: Any, reviewer: Any, *items: Section) -> None:
    review_submit(actor=submitter, items=list(items))
    review_approve(actor=reviewer, items=list(items))
    for item in items:
        item.refresh_from_db()


def publish(edition: Edition, *, submitter: Any, reviewer: Any, coordinator: Any) -> Edition:
    """Approve every section still unapproved and publish the edition."""
    waiting = [item for item in sections(edition) if item.review_state != "approved"]
    if waiting:
        approve_sections(submitter, reviewer, *waiting)
    edition.refresh_from_db()
    return edition_publish(actor=coordinator, edition=edition)
