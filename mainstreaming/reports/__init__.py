"""Report kinds: each kind registers a builder that turns a `Report` into HTML (DESIGN §6).

A builder receives the report and the permissions it is rendered with (`report_perms`): the
rights of the person who requested it, capped at the report's rights level — an
"approved"-level report never sees a draft, whoever asked for it. Builders live in this
package, one module per kind, and register with `@register(ReportKind.X)`.
"""

from __future__ import annotations

from collections.abc import Callable

from stakeholders.permissions import Perm, workspace_perms

from ..choices import RightsLevel
from ..models import Report

# Permissions that let a reader see unapproved content.
DRAFT_PERMS = frozenset({Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.EDIT, Perm.REVIEW})

Builder = Callable[[Report, frozenset[Perm]], str]
BUILDERS: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorate(builder: Builder) -> Builder:
        BUILDERS[kind] = builder
        return builder

    return decorate


def report_perms(report: Report) -> frozenset[Perm]:
    """The permissions a report is rendered with (empty when the requester lost access)."""
    if report.requested_by is None:
        perms = frozenset({Perm.ACCESS})
    else:
        perms = workspace_perms(report.requested_by, report.workspace)
    if report.rights_level == RightsLevel.APPROVED:
        perms = perms - DRAFT_PERMS
    return perms


def rights_level_for(perms: frozenset[Perm]) -> str:
    """The highest rights level a reader holding `perms` may request or download."""
    return RightsLevel.DRAFTS if Perm.VIEW_DRAFTS in perms else RightsLevel.APPROVED


def build_html(report: Report) -> str:
    """The report's HTML, from the builder of its kind."""
    from . import kinds  # noqa: F401 - the builders register on import

    return BUILDERS[report.kind](report, report_perms(report))
