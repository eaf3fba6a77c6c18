"""The migration-profile part of the illustrative demo (called by `manage.py load_demo`).

In the first national workspace: a **published first edition** (light preset, 2015–2019, every
section approved with a short illustrative narrative, its tables frozen from the indicators
demo's approved values) and a **second edition in progress** cloned from it (2020–2024), with a
few sections edited and one submitted. Safe to run again: nothing is created twice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from stakeholders.coordination_models import Platform
from stakeholders.models import User, Workspace
from stakeholders.review import ReviewState, review_approve, review_edit, review_submit

from .models import Edition, ProfileTemplate
from .services.editions import edition_clone, edition_publish, edition_start

WORKSPACE = "demo-senegal"
FIRST_TITLE = "Extended Migration Profile 2015–2019 (illustrative demo)"
SECOND_TITLE = "Extended Migration Profile 2020–2024 (illustrative demo, in preparation)"
LABEL = "*Illustrative demo text: invented to show how the portal works; do not quote it.*"

FIRST_NARRATIVES = {
    "Key data": "Headline figures of the reference period, taken from the statistical annex.",
    "Migration trends": "Emigration rose over the period while return migration stayed "
    "modest; internal migration towards the capital continued.",
    "Impact of migration": "Remittances remained an important source of household income, "
    "and labour-market indicators improved slightly.",
    "Migration governance": "A national migration policy was drafted and discussed with the "
    "technical working group.",
    "Findings and recommendations": "The profile recommends a regular update of migration "
    "statistics and a stronger role for the diaspora in development planning.",
    "Statistical annex": "The tables below bring together the indicators quoted in the profile.",
}
SECOND_EDITS = {
    "Migration trends": "Emigration kept rising over 2020–2024, with a dip during the "
    "pandemic years; return migration increased after 2021.",
    "Impact of migration": "Remittances proved resilient during the pandemic.",
}
SUBMITTED = "Migration trends"


def _user(username: str) -> User | None:
    return get_user_model().objects.filter(username=username).first()


def _text(body: str) -> str:
    return f"{body}\n\n{LABEL}"


@transaction.atomic
def load() -> dict[str, int]:
    """Create the two demo editions unless they exist; return the number of demo editions."""
    workspace = Workspace.objects.filter(slug=WORKSPACE).first()
    coordinator, editor, reviewer = _user("coordinator"), _user("editor"), _user("reviewer")
    if workspace is None or coordinator is None or editor is None or reviewer is None:
        return {"editions": 0}
    first = Edition.objects.filter(workspace=workspace, title=FIRST_TITLE).first()
    if first is None:
        first = _first_edition(workspace, coordinator, editor, reviewer)
    if not Edition.objects.filter(workspace=workspace, title=SECOND_TITLE).exists():
        _second_edition(first, editor)
    return {
        "editions": Edition.objects.filter(
            workspace=workspace, title__in=[FIRST_TITLE, SECOND_TITLE]
        ).count()
    }


def _first_edition(
    workspace: Workspace, coordinator: User, editor: User, reviewer: User
) -> Edition:
    working_group = Platform.objects.filter(workspace=workspace).order_by("pk").first()
    edition = edition_start(
        actor=editor,
        workspace=workspace,
        template=ProfileTemplate.objects.get(workspace__isnull=True, code="emp-light"),
        title=FIRST_TITLE,
        reference_start_year=2015,
        reference_end_year=2019,
        working_group=working_group,
    )
    sections = list(edition.sections.order_by("position", "pk"))
    for section in sections:
        review_edit(
            actor=editor,
            item=section,
            expected_lock_version=section.lock_version,
            narrative=_text(FIRST_NARRATIVES.get(section.title, "")),
        )
    review_submit(actor=editor, items=sections)
    review_approve(actor=reviewer, items=sections)
    edition.refresh_from_db()
    return edition_publish(actor=coordinator, edition=edition)


def _second_edition(first: Edition, editor: User) -> Edition:
    second = edition_clone(actor=editor, edition=first, title=SECOND_TITLE)
    for section in second.sections.filter(title__in=list(SECOND_EDITS)):
        review_edit(
            actor=editor,
            item=section,
            expected_lock_version=section.lock_version,
            narrative=_text(SECOND_EDITS[section.title]),
        )
        if section.title == SUBMITTED and section.review_state == ReviewState.DRAFT:
            review_submit(actor=editor, items=[section])
    return second
