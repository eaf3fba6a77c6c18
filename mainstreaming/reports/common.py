"""Helpers shared by the report kinds: the document's common context, parameter reading,
the reading rule on reviewable rows, numbers, and small-cell suppression in PDFs.

The print stylesheet is put inside the document (`<style>`): it is a project file read from the
static files, so WeasyPrint has nothing to fetch for it, whichever `url_fetcher` it runs with.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.charts import format_number
from indicators.suppression import suppressed
from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..models import Report

PRINT_CSS = "css/reports-print.css"


class ReportParameterError(ValueError):
    """The parameters of a report do not name something its requester may read."""


def sees_drafts(perms: frozenset[Perm]) -> bool:
    return Perm.VIEW_DRAFTS in perms


def readable_with[Q_: QuerySet[Any]](queryset: Q_, perms: frozenset[Perm], prefix: str = "") -> Q_:
    """Reviewable rows (through `prefix`, e.g. "objective__") that a reader holding `perms` on
    their one workspace may read: every row with drafts, else rows approved at least once.

    Reports are rendered with capped permissions (`report_perms`), so this reads the permissions
    and never the requester's own reading rights (a coordinator's "approved" report has none of
    the drafts a coordinator reads on the pages)."""
    if Perm.ACCESS not in perms:
        return queryset.none()
    if sees_drafts(perms):
        return queryset
    return queryset.filter(Q(**{f"{prefix}approved_version__isnull": False}))


def int_parameter(parameters: Any, name: str) -> int | None:
    """A positive integer parameter (an id), or None when missing or malformed."""
    if not isinstance(parameters, dict):
        return None
    value = parameters.get(name)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value) or None
    return None


def number(value: Any) -> str:
    """A value as the active locale writes it, with only the decimals it needs ("—" if none)."""
    if value is None or value == "":
        return "—"
    return format_number(float(Decimal(str(value))))


def money(amount: Decimal) -> str:
    return format_number(float(amount), 2 if amount != amount.to_integral() else 0)


def shown_count(
    value: Any,
    *,
    unit_code: str,
    is_total: bool,
    workspace: Workspace,
    perms: frozenset[Perm],
) -> str:
    """A value as a report prints it: a disaggregated count under the workspace's threshold is
    printed "<N" for readers without drafts (DESIGN: small-cell suppression; totals stay).

    This is the single call site of the suppression rule in reports."""
    if value is None or value == "":
        return "—"
    decimal = Decimal(str(value))
    hidden = suppressed(
        decimal,
        unit_code=unit_code,
        is_total=is_total,
        threshold=workspace.suppression_threshold,
        applies=not sees_drafts(perms),
    )
    return hidden if hidden is not None else number(decimal)


@cache
def _print_css(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def print_css() -> SafeString:
    """The print stylesheet's text (a project file; see the module docstring)."""
    found = finders.find(PRINT_CSS)
    path = found if isinstance(found, str) else str(Path(settings.BASE_DIR) / "static" / PRINT_CSS)
    css = _print_css(path) if not settings.DEBUG else Path(path).read_text(encoding="utf-8")
    return mark_safe(css.replace("</", "<\\/"))  # noqa: S308 - our own stylesheet, not user text


def _css_string(text: str) -> str:
    return '"' + re.sub(r'[\\"\n<>]', lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def page_rule(*, title: str, workspace: str) -> SafeString:
    """The document's running header (title, workspace) and footer with the translated
    "Page N of M" (CSS counters); every text is escaped as a CSS string."""
    words = _("Page %(page)s of %(pages)s") % {"page": "\x00P", "pages": "\x00N"}
    tokens = []
    for piece in re.split(r"(\x00P|\x00N)", words):
        if piece == "\x00P":
            tokens.append("counter(page)")
        elif piece == "\x00N":
            tokens.append("counter(pages)")
        elif piece:
            tokens.append(_css_string(piece))
    rule = (
        f"@page {{ @top-left {{ content: {_css_string(title)}; }} "
        f"@top-right {{ content: {_css_string(workspace)}; }} "
        f"@bottom-right {{ content: {' '.join(tokens)}; }} }}"
    )
    return mark_safe(rule)  # noqa: S308 - every piece of text is escaped as a CSS string


def document_context(report: Report, perms: frozenset[Perm], **extra: Any) -> dict[str, Any]:
    """What every report document shows: workspace, title, date, rights level, stylesheet."""
    workspace = report.workspace
    return {
        "report": report,
        "workspace": workspace,
        "language": report.language,
        "generated_at": timezone.localtime(),
        "sees_drafts": sees_drafts(perms),
        "illustrative": workspace.slug.startswith("demo-"),
        "print_css": print_css(),
        "page_rule": page_rule(
            title=str(extra.get("running_title") or extra.get("title") or report.title),
            workspace=workspace.name,
        ),
        **extra,
    }


def render_document(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, context)
