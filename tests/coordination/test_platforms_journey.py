"""Browser journey (Playwright, system Chromium, live server; axe-core on every page): the
coordinator sets up a national working group, records a meeting with a decision and a follow-up
action owned by an organisation, and that organisation's editor signs in and marks it done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from stakeholders.coordination_models import FollowUp, Platform
from tests.factories import PASSWORD
from tests.test_browser_journeys import assert_accessible

from .platform_factories import organisation_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))
    ).to_be_visible()


def test_coordinator_records_a_meeting_and_the_owner_editor_closes_its_follow_up(
    page: Page, live_server, world, axe
):
    base = live_server.url
    slug = world.workspace.slug
    owner = organisation_of(world["editor"], world.workspace)
    chair = organisation_of(world["coordinator"], world.workspace)

    # The coordinator opens Coordination from the workspace menu and sets up the group.
    sign_in(page, base, "coordinator")
    page.goto(f"{base}/w/{slug}/")
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Coordination"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination platforms")
    assert_accessible(page, axe)
    page.get_by_role("link", name="Set up a platform").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a coordination platform")
    page.get_by_role("button", name="Save as a draft").click()  # empty: errors, nothing saved
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("Name").fill("National working group on migration and development")
    page.get_by_label("Kind").select_option("inter_ministerial")
    page.get_by_label("Chair").select_option(str(chair.pk))
    page.get_by_label("Mandate").fill("Coordinate the **mainstreaming** of migration.")
    page.get_by_label("Terms of reference").fill("- Meets every quarter")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "National working group on migration and development"
    )
    expect(page.locator(".prose strong")).to_have_text("mainstreaming")
    assert_accessible(page, axe)
    platform = Platform.objects.get(name="National working group on migration and development")

    # … gives the owner organisation a seat and records a meeting.
    page.get_by_role("link", name="Add a seat").click()
    page.get_by_label("Organisation").select_option(str(owner.pk))
    page.get_by_label("Focal point").check()
    page.get_by_role("button", name="Add seat").click()
    expect(page.locator("#seats")).to_contain_text(owner.name)
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a meeting")
    assert_accessible(page, axe)
    page.get_by_label("Title").fill("First ordinary meeting")
    page.get_by_label("Starts").fill("2026-05-14T10:00")
    page.get_by_label("Location").fill("Ministry of Planning")
    page.get_by_label(owner.name).check()
    page.get_by_label("Agenda").fill("1. Terms of reference")
    page.get_by_label("Minutes").fill("The group adopted its terms of reference.")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First ordinary meeting")
    assert_accessible(page, axe)

    # … with a decision and a follow-up action owned by the editor's organisation.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Decision").fill("The terms of reference are adopted.")
    page.get_by_role("button", name="Add decision").click()
    expect(page.locator("#decisions")).to_contain_text("The terms of reference are adopted.")
    page.get_by_role("link", name="Add a follow-up action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a follow-up action")
    assert_accessible(page, axe)
    page.get_by_label("Action").fill("Circulate the adopted terms of reference")
    page.get_by_label("Owner organisation").select_option(str(owner.pk))
    page.get_by_label("Due").fill("2026-06-30")
    page.get_by_label("Decision").select_option(index=1)
    page.get_by_role("button", name="Add follow-up action").click()
    expect(page.locator("#follow-ups")).to_contain_text("Circulate the adopted terms of reference")
    assert_accessible(page, axe)
    follow_up = FollowUp.objects.get(title="Circulate the adopted terms of reference")
    assert follow_up.owner == owner and follow_up.decision is not None
    assert follow_up.meeting.platform == platform

    # The owner organisation's editor signs in, finds it among the open follow-ups, closes it.
    editor = page.context.browser.new_context().new_page()
    sign_in(editor, base, "editor")
    editor.goto(f"{base}/w/{slug}/follow-ups/?owner={owner.pk}")
    expect(editor.get_by_role("heading", level=1)).to_have_text(f"Open follow-ups of {owner.name}")
    expect(
        editor.get_by_role("rowheader", name="Circulate the adopted terms of reference")
    ).to_be_visible()
    assert_accessible(editor, axe)
    editor.get_by_role(
        "link", name="Update status Circulate the adopted terms of reference"
    ).click()
    assert_accessible(editor, axe)
    editor.get_by_label("Done").check()
    editor.get_by_label("Note").fill("Sent to all members.")
    editor.get_by_role("button", name="Save status").click()
    expect(editor.get_by_text("is now done")).to_be_visible()
    expect(editor.locator("#follow-ups")).to_contain_text("Closed")
    assert_accessible(editor, axe)
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.closed_by == world["editor"]
    editor.goto(f"{base}/w/{slug}/follow-ups/")
    expect(
        editor.get_by_role("rowheader", name="Circulate the adopted terms of reference")
    ).to_have_count(0)
    expect(editor.get_by_text("No open follow-ups")).to_be_visible()
