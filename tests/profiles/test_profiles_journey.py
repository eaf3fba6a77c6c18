"""The migration-profiles journey in a browser (issue 6): an editor starts an edition from the
light preset, writes a section with a live indicator table and submits it; the reviewer approves
it; the coordinator publishes the edition; the observer reads it — and could not reach it before.

Playwright on the system Chromium against a live server; axe-core checks every page visited.
The approved indicator value and the approval of the edition's other sections are put in place
through the services (marked below), so that the browser drives one section end to end.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from indicators.models import Observation
from profiles.models import Edition
from stakeholders.review import ReviewState
from tests.factories import PASSWORD
from tests.indicators.observation_factories import approve as approve_observations
from tests.indicators.observation_factories import approved, enter, starter
from tests.test_browser_journeys import assert_accessible

from .edition_factories import approve_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "ECO-02"  # Poverty headcount at the international poverty line (percent)
NAME = "Poverty headcount at the international poverty line"
YEAR = "2021"
VALUE = "38.2"  # approved before the edition starts: the live, then frozen, value
LATER_VALUE = "41.7"  # approved after the section was approved: must not reach the reader
TITLE = "Extended Migration Profile of Senegal 2018–2022"
SECTION = "Migration trends"
NARRATIVE = "Poverty among households with migrant members fell over the period."


@pytest.fixture
def axe() -> Axe:
    return Axe()


def sign_in(page: Page, base_url: str, username: str, axe: Axe) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))
    ).to_be_visible()
    assert_accessible(page, axe)


def open_profiles(page: Page, base_url: str, workspace, axe: Axe) -> None:
    """From the workspace's home page, its Migration profiles section."""
    page.goto(f"{base_url}/w/{workspace.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(workspace.name)
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Migration profiles"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Migration profiles")
    assert_accessible(page, axe)


def table_of(page: Page, code: str):
    return page.locator("table").filter(has=page.locator("caption", has_text=code))


def total_cell(table, column: int):
    """The totals row's cell of the `column`th year of the table (0-based; 2018 is 0)."""
    return table.locator("tbody tr").first.locator("td").nth(column)


def test_editor_writes_a_section_reviewer_approves_coordinator_publishes_observer_reads(
    page: Page, live_server, world, axe
):
    base = live_server.url
    workspace = world.workspace
    editor, reviewer = world["editor"], world["reviewer"]
    browser = page.context.browser
    assert browser is not None

    # Set-up through the services: an approved value of the indicator the editor will quote.
    observation = approved(editor, reviewer, workspace, code=CODE, period=YEAR, value=VALUE)
    assert starter(CODE).name == NAME

    # --- The editor signs in, opens Migration profiles and starts an edition. ----------------
    sign_in(page, base, "editor", axe)
    open_profiles(page, base, workspace, axe)
    expect(page.get_by_text("No edition yet. Start one from a template.")).to_be_visible()
    page.get_by_role("link", name="Start an edition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an edition")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Start the edition").click()  # empty: errors, nothing saved
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, axe)
    assert not Edition.objects.exists()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Reference period from").fill("2018")
    page.get_by_label("Reference period to").fill("2022")
    page.get_by_label("Template").select_option(label="First migration profile (light)")
    page.get_by_role("button", name="Start the edition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("The edition is started with its draft sections.")).to_be_visible()
    assert_accessible(page, axe)
    edition = Edition.objects.get(workspace=workspace)
    assert edition.number == 1 and edition.template.code == "emp-light"
    assert (edition.reference_start_year, edition.reference_end_year) == (2018, 2022)
    # The light preset's six sections, all drafts.
    section_rows = page.get_by_role("region", name="Sections").locator("tbody tr")
    expect(section_rows).to_have_count(6)
    expect(page.get_by_text("0 of 6", exact=True)).to_be_visible()
    edition_url = page.url
    detail_path = f"/w/{workspace.slug}/profiles/{edition.pk}/"
    read_path = f"/w/{workspace.slug}/profiles/{edition.pk}/read/"
    assert edition_url.endswith(detail_path)

    # … opens the Migration trends section: its suggested tables are there, live.
    page.get_by_role("link", name=SECTION, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECTION)
    expect(page.get_by_text("Live values: today's approved values")).to_be_visible()
    expect(page.get_by_text("Nothing written yet — edit the text to write it.")).to_be_visible()
    assert_accessible(page, axe)
    section = edition.sections.get(title=SECTION)
    assert [t.indicator.code for t in section.tables.order_by("position")] == [
        "SOC-01",
        "TRA-06",
        "SOC-03",
        "SOC-05",
    ]
    expect(table_of(page, CODE)).to_have_count(0)
    section_url = page.url

    # … writes the narrative.
    page.get_by_role("link", name="Edit the text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit “{SECTION}”")
    assert_accessible(page, axe)
    page.get_by_label("Narrative").fill(f"{NARRATIVE}\n\nSee the **poverty** table below.")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(section_url)
    expect(page.locator(".section-narrative")).to_contain_text(NARRATIVE)
    expect(page.locator(".section-narrative strong")).to_have_text("poverty")

    # … adds a live table of the poverty headcount over the reference period.
    page.get_by_role("link", name="Add a table or chart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a table or chart")
    assert_accessible(page, axe)
    page.get_by_label("Indicator").select_option(str(starter(CODE).pk))
    page.get_by_label("Shown as").select_option("table")
    page.get_by_role("button", name="Add the table").click()
    expect(page).to_have_url(re.compile(re.escape(section_url) + "(#tables-heading)?$"))
    expect(page.get_by_text(f"The table “{CODE} 2018–2022” was added.")).to_be_visible()
    table = table_of(page, CODE)
    expect(table).to_have_count(1)
    expect(table.locator("thead th")).to_have_text(["Row", "2018", "2019", "2020", "2021", "2022"])
    expect(total_cell(table, 3)).to_have_text(VALUE)  # the live approved value
    expect(total_cell(table, 2)).to_have_text("—")  # no value: nothing invented
    assert_accessible(page, axe)

    # … and submits the section for review (confirmation page first).
    page.get_by_role("region", name="Review").get_by_role("link", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submit “A {SECTION}” for review?")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    expect(page).to_have_url(section_url)
    # Nobody approves their own submission: no Approve action for the editor.
    expect(
        page.get_by_role("region", name="Review").get_by_role("link", name="Approve", exact=True)
    ).to_have_count(0)
    assert_accessible(page, axe)
    section.refresh_from_db()
    assert section.review_state == ReviewState.SUBMITTED
    assert section.submitted_by == editor

    # Set-up through the services (not the subject of this journey): the edition's five other
    # sections are submitted by the editor and approved by the reviewer, so that publishing
    # waits only for the section written above.
    others = list(edition.sections.exclude(pk=section.pk))
    assert len(others) == 5
    approve_sections(editor, reviewer, *others)

    # --- Negative control: the observer cannot reach the draft edition. ------------------------
    observer = browser.new_context().new_page()
    sign_in(observer, base, "observer", axe)
    open_profiles(observer, base, workspace, axe)
    expect(observer.get_by_text("You see published editions only.")).to_be_visible()
    expect(observer.get_by_text("No edition has been published yet.")).to_be_visible()
    expect(observer.get_by_role("link", name=TITLE)).to_have_count(0)
    for path in (detail_path, read_path, f"/w/{workspace.slug}/profiles/sections/{section.pk}/"):
        response = observer.goto(f"{base}{path}")
        assert response is not None and response.status == 404, path
    expect(observer.get_by_text(NARRATIVE)).to_have_count(0)

    # --- The reviewer finds the section and approves it. ---------------------------------------
    reviewer_page = browser.new_context().new_page()
    sign_in(reviewer_page, base, "reviewer", axe)
    open_profiles(reviewer_page, base, workspace, axe)
    reviewer_page.get_by_role("link", name=TITLE).click()
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reviewer_page.get_by_text("5 of 6", exact=True)).to_be_visible()
    assert_accessible(reviewer_page, axe)
    reviewer_page.get_by_role("link", name=SECTION, exact=True).click()
    expect(reviewer_page.locator(".section-narrative")).to_contain_text(NARRATIVE)
    expect(total_cell(table_of(reviewer_page, CODE), 3)).to_have_text(VALUE)
    review = reviewer_page.get_by_role("region", name="Review")
    expect(review.get_by_text("Submitted by")).to_be_visible()
    assert_accessible(reviewer_page, axe)
    review.get_by_role("link", name="Approve", exact=True).click()
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text(f"Approve “A {SECTION}”?")
    assert_accessible(reviewer_page, axe)
    reviewer_page.get_by_role("button", name="Approve", exact=True).click()
    expect(reviewer_page.get_by_text("Approved.", exact=True)).to_be_visible()
    expect(
        reviewer_page.get_by_text("Values as they were when the section was approved.")
    ).to_be_visible()
    assert_accessible(reviewer_page, axe)
    section.refresh_from_db()
    assert section.review_state == ReviewState.APPROVED
    assert section.approved_by == reviewer
    frozen = {table["indicator"]: table for table in section.frozen_tables}
    assert frozen[CODE]["rows"][0]["values"] == {YEAR: VALUE}

    # Set-up through the services: the value is corrected and the correction approved after the
    # section was approved. Positive control: the new value really is the approved one now.
    approve_observations(
        editor, reviewer, enter(editor, workspace, code=CODE, period=YEAR, value=LATER_VALUE)
    )
    observation.refresh_from_db()
    assert Decimal(observation.approved_snapshot["value"]) == Decimal(LATER_VALUE)

    # --- The coordinator publishes the edition (confirmation page first). ----------------------
    coordinator_page = browser.new_context().new_page()
    sign_in(coordinator_page, base, "coordinator", axe)
    open_profiles(coordinator_page, base, workspace, axe)
    coordinator_page.get_by_role("link", name=TITLE).click()
    expect(coordinator_page.get_by_text("6 of 6", exact=True)).to_be_visible()
    assert_accessible(coordinator_page, axe)
    coordinator_page.get_by_role("link", name="Publish the edition").click()
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(f"Publish “{TITLE}”?")
    expect(coordinator_page.get_by_text("Sections not approved yet")).to_have_count(0)
    assert_accessible(coordinator_page, axe)
    coordinator_page.get_by_role("button", name="Publish the edition").click()
    expect(coordinator_page).to_have_url(edition_url)
    expect(coordinator_page.get_by_text("The edition is published.")).to_be_visible()
    expect(coordinator_page.get_by_role("link", name="Publish the edition")).to_have_count(0)
    assert_accessible(coordinator_page, axe)
    edition.refresh_from_db()
    assert edition.status == "published" and edition.published_at is not None

    # --- The observer now finds the edition and reads it, with the frozen value. ---------------
    open_profiles(observer, base, workspace, axe)
    expect(observer.get_by_text("No edition has been published yet.")).to_have_count(0)
    observer.get_by_role("link", name=TITLE).click()
    expect(observer.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(observer, axe)
    observer.get_by_role("link", name="Read the edition").click()
    expect(observer).to_have_url(f"{base}{read_path}")
    expect(observer.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(observer, axe)
    reading = observer.locator(f"#section-{section.pk}")
    expect(reading).to_have_count(1)
    expect(reading).to_contain_text(NARRATIVE)
    expect(reading.get_by_text("Draft", exact=True)).to_have_count(0)
    quoted = reading.locator("figure").filter(has_text=CODE)
    expect(quoted).to_have_count(1)
    expect(quoted.locator("thead th")).to_have_text(
        ["Indicator", "2018", "2019", "2020", "2021", "2022"]
    )
    expect(quoted.locator("tbody tr").first.locator("td").nth(3)).to_have_text(VALUE)
    expect(observer.get_by_text(LATER_VALUE)).to_have_count(0)  # the snapshot, not today's value
    assert Observation.objects.filter(pk=observation.pk, approved_version__isnull=False).exists()
