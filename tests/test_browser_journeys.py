"""Browser journeys in Playwright on the system Chromium, against a live server and a real
Celery worker (DESIGN §9: few, whole personas). axe-core checks every page visited."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from stakeholders.choices import InvitationStatus, Role
from stakeholders.models import Invitation, Membership

from .factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
]

SERIOUS = {"serious", "critical"}


def assert_accessible(page: Page, axe: Axe) -> None:
    results = axe.run(page)
    violations = results.response["violations"]
    serious = [v for v in violations if v.get("impact") in SERIOUS]
    assert results.response["testEngine"]["name"] == "axe-core"  # axe really ran
    assert not serious, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']}" for v in serious
    )


@pytest.fixture
def axe() -> Axe:
    return Axe()


def test_coordinator_invites_a_member_who_joins_in_french(
    page: Page, live_server, world, celery_worker_factory, axe
):
    worker = celery_worker_factory(SITE_URL=live_server.url)

    # The coordinator signs in.
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, axe)
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=world.workspace.name)).to_be_visible()
    assert_accessible(page, axe)

    # … opens the workspace and its members, and invites someone.
    page.get_by_role("link", name=world.workspace.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.workspace.name)
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/w/{world.workspace.slug}/members/")
    assert_accessible(page, axe)
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone to this workspace")
    page.get_by_role("button", name="Send invitation").click()  # empty: errors, nothing sent
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_label("Role").select_option(Role.REVIEWER.value)
    page.get_by_label("Organisation").select_option(index=1)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("newcomer@example.org").first).to_be_visible()

    # The real worker e-mails the link.
    [mail] = worker.wait_for_mail(timeout=60)
    assert mail.to == ["newcomer@example.org"]
    match = re.search(r"(http://\S+/invitations/[\w-]+/)", mail.body)
    assert match, mail.body
    link = match.group(1)
    assert link.startswith(live_server.url)

    # The invitee follows it in a browser of their own and sets a password.
    invitee = page.context.browser.new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text(world.workspace.name)
    assert_accessible(invitee, axe)
    invitee.get_by_label("Username").fill("newcomer")
    invitee.get_by_label("First name").fill("Nadia")
    invitee.get_by_label("Last name").fill("Newcomer")
    invitee.get_by_label("Password", exact=True).fill("a-long-and-new-passphrase")
    invitee.get_by_label("Confirm password").fill("a-long-and-new-passphrase")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text(world.workspace.name)
    expect(invitee.get_by_text("About this workspace")).to_be_visible()

    # … switches to French and sees the workspace in French.
    invitee.get_by_label("Language").select_option("fr")
    invitee.get_by_role("button", name="Change language").click()
    expect(invitee.get_by_text("À propos de cet espace de travail")).to_be_visible()
    expect(invitee.get_by_text("About this workspace")).to_have_count(0)
    expect(invitee.locator("html")).to_have_attribute("lang", "fr")
    expect(invitee.get_by_role("heading", level=1)).to_have_text(world.workspace.name)
    assert_accessible(invitee, axe)

    membership = Membership.objects.get(user__username="newcomer", workspace=world.workspace)
    assert membership.role == Role.REVIEWER
    assert Invitation.objects.get(email="newcomer@example.org").status == InvitationStatus.ACCEPTED


def test_axe_check_catches_a_serious_violation(page: Page, axe):
    """The accessibility check above is not vacuous: a page with a nameless button fails it."""
    page.set_content("<html lang='en'><title>t</title><main><button></button></main></html>")
    with pytest.raises(AssertionError, match="button-name"):
        assert_accessible(page, axe)


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


@pytest.mark.django_db(transaction=True)
def test_section_goes_through_review_and_observer_sees_only_approved_text(
    page: Page, live_server, world, axe
):
    """Editor drafts and submits, reviewer returns with a reason, editor revises and resubmits,
    reviewer approves; the observer sees the approved text only, also once a new draft exists."""
    from mainstreaming.services import cycle_create

    cycle = cycle_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        title="Journey cycle",
        start_year=2026,
        end_year=2030,
    )
    section = cycle.sections.order_by("position").first()
    section_url = f"{live_server.url}/w/{world.workspace.slug}/situation/{section.pk}/"
    first_draft = "Remittances pay for schooling in origin communities."
    revised = "Remittances pay for schooling, per the 2023 household survey."
    next_draft = "A later draft sentence nobody has approved."
    browser = page.context.browser

    # An observer cannot see a section that was never approved.
    observer = browser.new_context().new_page()
    _sign_in(observer, live_server.url, "observer")
    response = observer.goto(section_url)
    assert response is not None and response.status == 404

    # The editor finds the section from the cycle, writes a first draft and submits it.
    _sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/w/{world.workspace.slug}/cycles/{cycle.pk}/situation/")
    assert_accessible(page, axe)
    page.get_by_role("link", name=section.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(section.title)
    page.get_by_role("link", name="Edit this section").click()
    assert_accessible(page, axe)
    page.get_by_label("Narrative").fill(first_draft)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(first_draft)).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Submit for review").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()

    # The reviewer returns it; a return without a reason is refused with an error summary.
    reviewer = browser.new_context().new_page()
    _sign_in(reviewer, live_server.url, "reviewer")
    reviewer.goto(section_url)
    expect(reviewer.get_by_text(first_draft)).to_be_visible()
    assert_accessible(reviewer, axe)
    reviewer.get_by_role("link", name="Return with a reason").click()
    reviewer.get_by_role("button", name="Return with a reason").click()
    expect(reviewer.locator(".error-summary")).to_be_visible()
    assert_accessible(reviewer, axe)
    reviewer.get_by_label("Reason for returning it").fill("Cite the 2023 household survey.")
    reviewer.get_by_role("button", name="Return with a reason").click()
    expect(reviewer.get_by_text("Returned to its editors with your reason.")).to_be_visible()

    # The editor sees the reason, revises and resubmits.
    page.goto(section_url)
    expect(page.get_by_text("Cite the 2023 household survey.")).to_be_visible()
    page.get_by_role("link", name="Edit this section").click()
    page.get_by_label("Narrative").fill(revised)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    # Nobody approves their own submission: the editor is offered no approval.
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)

    # The reviewer approves.
    reviewer.goto(section_url)
    expect(reviewer.get_by_text(revised)).to_be_visible()
    reviewer.get_by_role("link", name="Approve").click()
    reviewer.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_text("Approved.")).to_be_visible()

    # The editor opens a next version; the observer still reads the approved text only.
    page.goto(section_url)
    page.get_by_role("link", name="Edit this section").click()
    page.get_by_label("Narrative").fill(next_draft)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(next_draft)).to_be_visible()

    observer.goto(section_url)
    expect(observer.get_by_text(revised)).to_be_visible()
    expect(observer.get_by_text(next_draft)).to_have_count(0)
    expect(observer.get_by_text(first_draft)).to_have_count(0)
    expect(observer.get_by_role("link", name="Edit this section")).to_have_count(0)
    assert_accessible(observer, axe)
