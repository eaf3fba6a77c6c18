"""Test data and helpers for the report documents: a cycle with approved and draft content,
observations by sex, a published edition, and rendering a report to PDF text."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.utils import translation

from mainstreaming.choices import RightsLevel
from mainstreaming.models import Report
from mainstreaming.reports import build_html
from stakeholders.review import review_edit
from tests.indicators.observation_factories import approve as approve_observations
from tests.indicators.observation_factories import enter
from tests.mainstreaming.monitoring_factories import approve, make_kpi, plan
from tests.mainstreaming.monitoring_factories import report as progress

APPROVED_SENTENCE = "Approved rationale: returnees are the first concern."
DRAFT_SENTENCE = "Draft rationale: nobody outside the team reads this yet."


class ExternalFetch(AssertionError):
    pass


def local_only_fetcher(fetched: list[str]) -> Any:
    """A url_fetcher that records every URL and refuses anything but the project's files."""
    static = Path(settings.BASE_DIR, "static").resolve().as_uri()

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        fetched.append(url)
        if url.startswith(static) or url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ExternalFetch(url)

    return fetch


def render_pdf(report: Report, tmp_path: Path, fetched: list[str] | None = None) -> Path:
    """The report's HTML (built in its language) rendered to a PDF file."""
    with translation.override(report.language):
        html = build_html(report)
    fetched = [] if fetched is None else fetched
    path = tmp_path / f"report-{report.pk}-{report.rights_level}-{report.language}.pdf"
    weasyprint.HTML(
        string=html,
        base_url=Path(settings.BASE_DIR, "static").resolve().as_uri() + "/",
        url_fetcher=local_only_fetcher(fetched),
    ).write_pdf(path)
    return path


def pdf_text(path: Path, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return " ".join(result.stdout.split())  # one line: words wrap across lines in a PDF


def make_report(workspace: Any, user: Any, kind: str, parameters: dict[str, Any], **kwargs: Any):
    level = kwargs.pop("rights_level", RightsLevel.APPROVED)
    return Report.objects.create(
        workspace=workspace,
        kind=kind,
        parameters=parameters,
        parameters_key=str(sorted(parameters.items())),
        rights_level=level,
        requested_by=user,
        **kwargs,
    )


def cycle_with_content(world: Any) -> dict[str, Any]:
    """A cycle whose priority was approved with APPROVED_SENTENCE then reopened with
    DRAFT_SENTENCE; an approved KPI (baseline 10, target 40 in 2027) with an approved update of
    37.5 in 2026 and a draft update of 99 in 2027; a budget of 250000 XOF, funded."""
    coordinator, editor, reviewer = world["coordinator"], world["editor"], world["reviewer"]
    made = plan(coordinator, world.workspace)
    priority, objective, action = made["priority"], made["objective"], made["action"]
    priority.rationale = APPROVED_SENTENCE
    priority.save()
    action.budget_amount = Decimal(250000)
    action.budget_currency = "XOF"
    action.funding_status = "funded"
    action.save()
    kpi = make_kpi(editor, made["cycle"], objective=objective, name="Returnees employed")
    approve(editor, reviewer, priority, objective, action, kpi)
    update = progress(editor, kpi, "2026", "37.5")
    approve(editor, reviewer, update)
    progress(editor, kpi, "2027", "99")
    priority.refresh_from_db()
    review_edit(
        actor=editor,
        item=priority,
        expected_lock_version=priority.lock_version,
        rationale=DRAFT_SENTENCE,
    )
    return made | {"kpi": kpi}


def observations_by_sex(world: Any, code: str = "SOC-02") -> None:
    """Approved 2022 values of a count indicator: F 3 (small), M 120, total 123."""
    editor, reviewer = world["editor"], world["reviewer"]
    items = [
        enter(editor, world.workspace, code=code, period="2022", value="3", sex="F"),
        enter(editor, world.workspace, code=code, period="2022", value="120", sex="M"),
        enter(editor, world.workspace, code=code, period="2022", value="123"),
    ]
    approve_observations(editor, reviewer, *items)
