"""The report documents: what each kind prints, for whom (DESIGN §6), read back from the PDF."""

from __future__ import annotations

import re

import pytest

from mainstreaming.choices import ReportKind, RightsLevel
from mainstreaming.reports import cycle_progress, fact_sheet, profile_edition, report_perms
from profiles.services.editions import edition_publish  # noqa: F401 - the factories use it
from stakeholders.permissions import workspace_perms
from tests.indicators.observation_factories import starter
from tests.profiles.edition_factories import (
    approve_sections,
    publish,
    sections,
    start_edition,
    write,
)
from tests.reports.document_factories import (
    APPROVED_SENTENCE,
    DRAFT_SENTENCE,
    cycle_with_content,
    make_report,
    observations_by_sex,
    pdf_text,
    render_pdf,
)

pytestmark = pytest.mark.django_db


def test_cycle_progress_observer_pdf_has_approved_content_only(world, tmp_path):
    made = cycle_with_content(world)
    observations_by_sex(world)
    report = make_report(
        world.workspace, world["observer"], ReportKind.CYCLE_PROGRESS, {"cycle": made["cycle"].pk}
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert "National workspace" in text
    assert "Key performance indicators" in text
    assert "Returnees employed percent 10 (2024) 40 (2027) 37.5 (2026)" in text
    assert "Funded XOF 250000" in text
    assert APPROVED_SENTENCE in text
    assert DRAFT_SENTENCE not in text
    assert "99 (2027)" not in text  # the draft update
    # A small disaggregated count is suppressed; the other sex and the total stay.
    assert "Total <5 120 123" in text
    assert "Page 2 of" in text


def test_cycle_progress_drafts_report_has_the_draft(world, tmp_path):
    made = cycle_with_content(world)
    observations_by_sex(world)
    report = make_report(
        world.workspace,
        world["coordinator"],
        ReportKind.CYCLE_PROGRESS,
        {"cycle": made["cycle"].pk},
        rights_level=RightsLevel.DRAFTS,
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert DRAFT_SENTENCE in text
    assert APPROVED_SENTENCE not in text
    assert "99 (2027)" in text
    # Readers of drafts are not shown suppressed counts.
    assert "Total 3 120 123" in text
    assert "Total <5" not in text


def test_cycle_progress_coordinator_approved_level_has_no_draft(world, tmp_path):
    made = cycle_with_content(world)
    report = make_report(
        world.workspace,
        world["coordinator"],
        ReportKind.CYCLE_PROGRESS,
        {"cycle": made["cycle"].pk},
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert APPROVED_SENTENCE in text
    assert DRAFT_SENTENCE not in text


def test_cycle_progress_in_french(world, tmp_path):
    made = cycle_with_content(world)
    report = make_report(
        world.workspace,
        world["observer"],
        ReportKind.CYCLE_PROGRESS,
        {"cycle": made["cycle"].pk},
        language="fr",
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert "En bonne voie".upper() in text.upper()
    assert "Priorités" in text
    assert "On track" not in text


def test_user_markdown_never_fetches_from_outside(world, tmp_path):
    made = cycle_with_content(world)
    priority = made["priority"]
    priority.refresh_from_db()
    priority.approved_snapshot["rationale"] = (
        "Kept words. ![logo](https://example.org/logo.png) "
        '<img src="https://example.org/pixel.png"> <link rel="stylesheet" href="https://x.test/a.css">'
    )
    priority.save()
    report = make_report(
        world.workspace, world["observer"], ReportKind.CYCLE_PROGRESS, {"cycle": made["cycle"].pk}
    )
    fetched: list[str] = []
    text = pdf_text(render_pdf(report, tmp_path, fetched))
    assert "Kept words." in text
    assert not [url for url in fetched if re.match(r"https?:", url)], fetched


def test_cycle_progress_parameters(world):
    made = cycle_with_content(world)
    perms = workspace_perms(world["observer"], world.workspace)
    assert (
        cycle_progress.validate_parameters(world.workspace, {"cycle": made["cycle"].pk}, perms)
        == ""
    )
    assert cycle_progress.validate_parameters(world.workspace, {"cycle": 999999}, perms)
    assert cycle_progress.validate_parameters(world.workspace, {"cycle": "x"}, perms)
    assert cycle_progress.validate_parameters(world.workspace, {}, perms)
    # Another workspace's cycle is unknown here.
    assert cycle_progress.validate_parameters(world.city, {"cycle": made["cycle"].pk}, perms)


# Indicator fact sheet --------------------------------------------------------------------------


def test_fact_sheet_values_chart_and_provenance(world, tmp_path):
    observations_by_sex(world)
    indicator = starter("SOC-02")
    report = make_report(
        world.workspace,
        world["observer"],
        ReportKind.INDICATOR_FACT_SHEET,
        {"indicator": indicator.pk, "axis": "sex"},
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert "National workspace" in text
    assert "Net migration" in text
    assert "Definition and provenance" in text
    assert "SM.POP.NETM" in text  # the source reference
    assert "Total 123" in text
    assert "Sex: Male 120" in text
    assert "Sex: Female <5" in text


def test_fact_sheet_parameters(world):
    perms = workspace_perms(world["observer"], world.workspace)
    indicator = starter("SOC-02")
    ok = fact_sheet.validate_parameters(world.workspace, {"indicator": indicator.pk}, perms)
    assert ok == ""
    axis_ok = {"indicator": indicator.pk, "axis": "sex"}
    assert fact_sheet.validate_parameters(world.workspace, axis_ok, perms) == ""
    wrong_axis = {"indicator": indicator.pk, "axis": "urbanisation"}
    assert fact_sheet.validate_parameters(world.workspace, wrong_axis, perms)
    assert fact_sheet.validate_parameters(world.workspace, {"indicator": 0}, perms)
    assert fact_sheet.validate_parameters(world.workspace, {"indicator": 10**8}, perms)


# Profile edition -------------------------------------------------------------------------------

EDITION_APPROVED = "The approved profile says emigration slowed."
EDITION_DRAFT = "The draft profile says something not yet checked."


def _published_edition(world):
    edition = start_edition(world["editor"], world.workspace)
    first = sections(edition)[0]
    write(world["editor"], first, EDITION_APPROVED)
    approve_sections(world["editor"], world["reviewer"], first)
    publish(
        edition,
        submitter=world["editor"],
        reviewer=world["reviewer"],
        coordinator=world["coordinator"],
    )
    write(world["editor"], first, EDITION_DRAFT)
    return edition, first


def test_profile_edition_observer_pdf(world, tmp_path):
    edition, first = _published_edition(world)
    report = make_report(
        world.workspace, world["observer"], ReportKind.PROFILE_EDITION, {"edition": edition.pk}
    )
    path = render_pdf(report, tmp_path)
    text = pdf_text(path)
    assert edition.title in text
    assert "Contents" in text and "Sources" in text
    assert first.title in text
    assert EDITION_APPROVED in text
    assert EDITION_DRAFT not in text
    # The table of contents carries page numbers: the first section's entry ends with one.
    toc = pdf_text(path, "-f", "2", "-l", "2")
    assert re.search(re.escape(first.title) + r" ?\.{5,} ?\d+", toc), toc


def test_profile_edition_drafts_report_has_the_draft(world, tmp_path):
    edition, _first = _published_edition(world)
    report = make_report(
        world.workspace,
        world["editor"],
        ReportKind.PROFILE_EDITION,
        {"edition": edition.pk},
        rights_level=RightsLevel.DRAFTS,
    )
    text = pdf_text(render_pdf(report, tmp_path))
    assert EDITION_DRAFT in text
    assert EDITION_APPROVED not in text


def test_profile_edition_parameters(world):
    draft_edition = start_edition(world["editor"], world.workspace, title="Unpublished")
    observer = workspace_perms(world["observer"], world.workspace)
    editor = workspace_perms(world["editor"], world.workspace)
    params = {"edition": draft_edition.pk}
    assert profile_edition.validate_parameters(world.workspace, params, editor) == ""
    assert "published" in profile_edition.validate_parameters(world.workspace, params, observer)
    # An approved-level report of an editor is capped like an observer's.
    report = make_report(world.workspace, world["editor"], ReportKind.PROFILE_EDITION, params)
    assert profile_edition.validate_parameters(world.workspace, params, report_perms(report))
