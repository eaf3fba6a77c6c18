"""The profile feeds the plan: a migration-profile recommendation becomes a draft priority."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from profiles.models import Recommendation
from stakeholders.models import User
from stakeholders.permissions import Perm, can

from ..models import Cycle, EntryPointConcern, Priority
from .planning import priority_create


def recommendation_priority_existing(recommendation: Recommendation) -> Priority | None:
    """The priority a recommendation already became, if any (the oldest)."""
    return (
        Priority.objects.filter(recommendation=recommendation)
        .select_related("workspace", "cycle")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def recommendation_to_priority(
    *,
    actor: User,
    recommendation: Recommendation,
    cycle: Cycle,
    concern: EntryPointConcern,
    gender_considerations: str,
    rights_considerations: str,
    title: str = "",
) -> tuple[Priority, bool]:
    """Make a draft priority of `cycle` from `recommendation` (one action, idempotent): returns
    the priority and whether it was created now. A second call returns the existing priority."""
    if not can(actor, Perm.EDIT, recommendation.workspace):
        raise PermissionDenied
    if cycle.workspace_id != recommendation.workspace_id:
        raise ValidationError({"cycle": _("Choose a planning cycle of this workspace.")})
    # Serialise concurrent clicks on the same recommendation.
    Recommendation.objects.select_for_update().filter(pk=recommendation.pk).first()
    existing = recommendation_priority_existing(recommendation)
    if existing is not None:
        return existing, False
    text = recommendation.text.strip()
    section = recommendation.section
    rationale = _(
        "From the recommendation of the migration profile “%(edition)s”, section %(section)s "
        "(%(target)s):"
    ) % {
        "edition": section.edition.title,
        "section": str(section),
        "target": recommendation.get_target_display(),
    }
    priority = priority_create(
        actor=actor,
        cycle=cycle,
        concern=concern,
        title=(title or "").strip() or text[:250],
        rationale=f"{rationale}\n\n> {text}",
        gender_considerations=gender_considerations,
        rights_considerations=rights_considerations,
        recommendation=recommendation,
    )
    return priority, True
