"""Pages of cycles, sign-off, situation sections and evidence."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mainstreaming.models import Cycle, Evidence, SituationSection, StageSignoff
from mainstreaming.services.cycles import evidence_create
from stakeholders.review import review_edit, review_share
from tests.querycount import assert_pinned_queries

from .cycles_factories import EXE, PDF, approve_all, open_cycle, sample, upload

pytestmark = pytest.mark.django_db

APPROVED = "Remittances reached 10 percent of GDP."
DRAFT = "SECRET DRAFT: remittances fell sharply."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name: str, *args) -> str:
    return reverse(f"mainstreaming:{name}", args=["national", *args])


@pytest.fixture
def cycle(world) -> Cycle:
    return open_cycle(world)


@pytest.fixture
def section(world, cycle) -> SituationSection:
    """The first section: approved with APPROVED, then edited into a new draft with DRAFT."""
    section = cycle.sections.order_by("position").first()
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        title="Remittances",
        narrative=APPROVED,
    )
    approve_all(world, [section])
    section.refresh_from_db()
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        title="Remittances (revised)",
        narrative=DRAFT,
    )
    section.refresh_from_db()
    return section


def _text(response) -> str:
    return response.content.decode()


# Cycles ----------------------------------------------------------------------------------------


def test_cycle_list_empty_states(client, world) -> None:
    client.force_login(world["editor"])
    page = _text(client.get(url("cycle_list")))
    assert "No planning cycle yet — open the first one" in page
    assert url("cycle_create") in page
    client.force_login(world["observer"])
    page = _text(client.get(url("cycle_list")))
    assert "No planning cycle has been opened" in page
    assert url("cycle_create") not in page


def test_cycle_create_and_update_pages(client, world) -> None:
    client.force_login(world["editor"])
    response = client.post(
        url("cycle_create"), {"title": "PND", "start_year": "2026", "end_year": "2025"}
    )
    assert response.status_code == 200
    assert "The last year cannot be before the first year." in _text(response)
    assert 'class="error-summary"' in _text(response)
    assert not Cycle.objects.exists()
    response = client.post(
        url("cycle_create"),
        {"title": "PND", "start_year": "2025", "end_year": "2029", "plan": "Plan Sénégal"},
    )
    cycle = Cycle.objects.get()
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert cycle.sections.count() == 8
    response = client.post(
        url("cycle_update", cycle.pk), {"title": "PND 2", "start_year": "2025", "end_year": "2030"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.title, cycle.end_year) == ("PND 2", 2030)


def test_cycle_detail_shows_the_four_stages_and_links(client, world, cycle) -> None:
    approve_all(world, cycle.sections.order_by("position")[:2])
    client.force_login(world["coordinator"])
    page = _text(client.get(cycle.get_absolute_url()))
    for label in ("Situation analysis", "Priorities", "Action plan", "Monitoring and evaluation"):
        assert label in page
    assert "Current stage" in page and "Not started" in page
    assert url("section_list", cycle.pk) in page
    assert "6 sections not approved" in page
    assert url("stage_signoff", cycle.pk, "situation_analysis") in page
    for name in ("priority_list", "action_plan", "logframe", "timeline", "monitoring_dashboard"):
        assert url(name, cycle.pk) in page, name


def test_cycle_detail_hides_draft_titles_and_counts_from_observers(client, world, cycle) -> None:
    approve_all(world, cycle.sections.order_by("position")[:2])
    client.force_login(world["observer"])
    page = _text(client.get(cycle.get_absolute_url()))
    assert "2 approved items" in page  # positive control: the stage is shown
    assert "Capacity needs" not in page  # a draft title
    assert "not approved" not in page
    assert url("stage_signoff", cycle.pk, "situation_analysis") not in page


def test_stage_signoff_page_disables_the_button_until_ready(client, world, cycle) -> None:
    client.force_login(world["coordinator"])
    signoff_url = url("stage_signoff", cycle.pk, "situation_analysis")
    page = _text(client.get(signoff_url))
    assert "8 sections not approved" in page
    assert re.search(r"<button[^>]*disabled", page)
    response = client.post(signoff_url, {"note": ""})
    assert response.status_code == 400
    assert "8 sections not approved" in _text(response)
    assert not StageSignoff.objects.exists()
    approve_all(world, cycle.sections.all())
    page = _text(client.get(signoff_url))
    assert not re.search(r"<button[^>]*disabled", page)
    response = client.post(signoff_url, {"note": "Agreed by the working group"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.current_stage == "priorities"
    assert client.get(url("stage_signoff", cycle.pk, "nonsense")).status_code == 404


# Sections --------------------------------------------------------------------------------------


def test_section_pages_show_observers_the_approved_text_only(client, world, section) -> None:
    client.force_login(world["observer"])
    page = _text(client.get(section.get_absolute_url()))
    assert APPROVED in page and "Remittances" in page
    assert DRAFT not in page and "(revised)" not in page
    listing = _text(client.get(url("section_list", section.cycle_id)))
    assert ">Remittances<" in listing
    assert "(revised)" not in listing
    assert "Capacity needs" not in listing  # never approved: invisible
    # Positive control: the editor sees the draft.
    client.force_login(world["editor"])
    page = _text(client.get(section.get_absolute_url()))
    assert DRAFT in page
    assert "Capacity needs" in _text(client.get(url("section_list", section.cycle_id)))


def test_section_shared_draft_is_read_by_contributors_not_observers(client, world, cycle) -> None:
    draft = cycle.sections.order_by("position").first()
    review_edit(
        actor=world["editor"], item=draft, expected_lock_version=1, narrative="Shared text."
    )
    review_share(actor=world["editor"], items=draft, shared=True)
    client.force_login(world["contributor"])
    assert "Shared text." in _text(client.get(draft.get_absolute_url()))
    client.force_login(world["observer"])
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_section_create_update_and_conflict(client, world, cycle) -> None:
    client.force_login(world["editor"])
    response = client.post(url("section_create", cycle.pk), {"title": "", "narrative": "x"})
    assert response.status_code == 200 and "Enter the section&#x27;s title." in _text(response)
    response = client.post(
        url("section_create", cycle.pk), {"title": "Climate", "narrative": "Floods."}
    )
    added = SituationSection.objects.get(title="Climate")
    assert response.status_code == 302 and added.position == 8
    edit = url("section_update", added.pk)
    form = _text(client.get(edit))
    assert 'name="lock_version"' in form
    response = client.post(edit, {"title": "Climate", "narrative": "Mine", "lock_version": "1"})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.narrative == "Mine"
    stale = client.post(edit, {"title": "Climate", "narrative": "Stale", "lock_version": "1"})
    assert stale.status_code == 409
    assert "Stale" in _text(stale)  # the user's text is kept
    added.refresh_from_db()
    assert added.narrative == "Mine"


def test_section_move_buttons(client, world, cycle) -> None:
    client.force_login(world["editor"])
    sections = list(cycle.sections.order_by("position"))
    listing = _text(client.get(url("section_list", cycle.pk)))
    assert "Move up" in listing and "Move down" in listing
    response = client.post(url("section_move", sections[2].pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(cycle.sections.order_by("position"))[1] == sections[2]
    client.post(url("section_move", sections[2].pk), {"position": "8"})
    assert list(cycle.sections.order_by("position"))[-1] == sections[2]
    client.force_login(world["observer"])
    assert "Move up" not in _text(client.get(url("section_list", cycle.pk)))


def test_section_delete_confirmation_and_rules(client, world, section) -> None:
    client.force_login(world["editor"])
    response = client.get(url("section_delete", section.pk))
    assert response.status_code == 403
    assert "Only a coordinator can delete this section" in _text(response)
    assert client.post(url("section_delete", section.pk)).status_code == 403
    draft = section.cycle.sections.exclude(pk=section.pk).first()
    page = _text(client.get(url("section_delete", draft.pk)))
    assert "deleted for good" in page
    assert client.post(url("section_delete", draft.pk)).status_code == 302
    assert not SituationSection.objects.filter(pk=draft.pk).exists()
    client.force_login(world["coordinator"])
    assert client.post(url("section_delete", section.pk)).status_code == 302
    assert not SituationSection.objects.filter(pk=section.pk).exists()


# Evidence --------------------------------------------------------------------------------------


def test_evidence_upload_page_checks_the_content(client, world, section) -> None:
    client.force_login(world["editor"])
    target = url("evidence_create", section.pk)
    response = client.post(target, {"title": "Setup", "file": upload("report.pdf", EXE)})
    assert response.status_code == 200
    assert "not of an accepted type" in _text(response)
    assert 'class="error-summary"' in _text(response)
    assert not Evidence.objects.exists()
    response = client.post(target, {"title": "Neither"})
    assert "Choose a document to upload, give a web address or choose an indicator." in _text(
        response
    )
    response = client.post(target, {"title": "Survey", "file": upload("survey.pdf", PDF)})
    assert response.status_code == 302
    response = client.post(target, {"title": "IOM", "url": "https://iom.int/profile"})
    assert response.status_code == 302
    assert Evidence.objects.count() == 2


def test_evidence_download_checks_the_approved_version(client, world, cycle) -> None:
    section = cycle.sections.order_by("position").first()
    old = evidence_create(actor=world["editor"], section=section, title="Old", file=sample("pdf"))
    approve_all(world, [section])
    section.refresh_from_db()
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="v2",
    )
    new = evidence_create(actor=world["editor"], section=section, title="New", file=sample("png"))
    old_url, new_url = url("evidence_download", old.pk), url("evidence_download", new.pk)

    client.force_login(world["observer"])
    response = client.get(old_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert client.get(new_url).status_code == 404
    page = _text(client.get(section.get_absolute_url()))
    assert old_url in page and new_url not in page

    client.force_login(world["editor"])
    response = client.get(new_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert new_url in _text(client.get(section.get_absolute_url()))

    client.force_login(world["outsider"])
    assert client.get(old_url).status_code == 404


def test_evidence_delete_confirmation(client, world, cycle) -> None:
    section = cycle.sections.first()
    evidence = evidence_create(
        actor=world["editor"], section=section, title="IOM", url="https://iom.int"
    )
    client.force_login(world["editor"])
    assert "Remove “IOM” from the evidence?" in _text(
        client.get(url("evidence_delete", evidence.pk))
    )
    assert client.post(url("evidence_delete", evidence.pk)).status_code == 302
    assert not Evidence.objects.exists()


# Query counts ----------------------------------------------------------------------------------


def test_cycle_list_page_queries(client, world) -> None:
    client.force_login(world["coordinator"])
    rows = lambda n: [open_cycle(world, title=f"C{i}") for i in range(n)]  # noqa: E731
    assert_pinned_queries(client, url("cycle_list"), rows=rows, expected=6)


def test_section_list_page_queries(client, world, cycle) -> None:
    from tests.factories import SituationSectionFactory

    client.force_login(world["coordinator"])
    rows = lambda n: [  # noqa: E731
        SituationSectionFactory(cycle=cycle, actor=world["editor"]) for _ in range(n)
    ]
    assert_pinned_queries(client, url("section_list", cycle.pk), rows=rows, expected=6)


def test_cycle_detail_page_queries(client, world, cycle) -> None:
    from tests.factories import SituationSectionFactory

    client.force_login(world["coordinator"])
    rows = lambda n: [  # noqa: E731
        SituationSectionFactory(cycle=cycle, actor=world["editor"]) for _ in range(n)
    ]
    assert_pinned_queries(client, cycle.get_absolute_url(), rows=rows, expected=8)


def test_section_detail_evidence_list_queries(client, world, cycle) -> None:
    section = cycle.sections.first()
    client.force_login(world["coordinator"])
    rows = lambda n: [  # noqa: E731
        evidence_create(
            actor=world["editor"], section=section, title="L", url="https://example.org/x"
        )
        for _ in range(n)
    ]
    assert_pinned_queries(client, section.get_absolute_url(), rows=rows, expected=7)
