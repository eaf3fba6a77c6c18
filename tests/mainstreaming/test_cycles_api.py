"""API of cycles, sign-off, sections (ETag / If-Match) and evidence."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from mainstreaming.models import Cycle, Evidence, SituationSection, StageSignoff
from mainstreaming.services.cycles import evidence_create
from stakeholders.review import review_edit
from tests.querycount import assert_pinned_queries

from .cycles_factories import EXE, PDF, approve_all, open_cycle, sample, upload

pytestmark = pytest.mark.django_db

APPROVED = "Approved narrative about diaspora."
DRAFT = "DRAFT narrative not for observers."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"workspace_slug": "national", **kwargs})


def _json(client, method: str, url: str, data=None, **headers):
    return client.generic(
        method,
        url,
        json.dumps(data) if data is not None else "",
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **headers,
    )


@pytest.fixture
def cycle(world) -> Cycle:
    return open_cycle(world)


@pytest.fixture
def section(world, cycle) -> SituationSection:
    section = cycle.sections.order_by("position").first()
    review_edit(actor=world["editor"], item=section, expected_lock_version=1, narrative=APPROVED)
    approve_all(world, [section])
    section.refresh_from_db()
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative=DRAFT,
    )
    section.refresh_from_db()
    return section


def test_cycle_create_list_patch(client, world) -> None:
    client.force_login(world["editor"])
    response = _json(
        client, "POST", api("cycle-list"), {"title": "PND", "start_year": 2025, "end_year": 2029}
    )
    assert response.status_code == 201, response.content
    cycle_id = response.json()["id"]
    assert response.json()["current_stage"] == "situation_analysis"
    assert Cycle.objects.get(pk=cycle_id).sections.count() == 8
    response = _json(
        client, "POST", api("cycle-list"), {"title": "Bad", "start_year": 2029, "end_year": 2025}
    )
    assert response.status_code == 400 and "end_year" in response.json()
    response = _json(client, "PATCH", api("cycle-detail", pk=cycle_id), {"title": "PND 2"})
    assert response.status_code == 200 and response.json()["title"] == "PND 2"
    client.force_login(world["observer"])
    assert [c["title"] for c in _json(client, "GET", api("cycle-list")).json()["results"]] == [
        "PND 2"
    ]
    assert (
        _json(client, "PATCH", api("cycle-detail", pk=cycle_id), {"title": "X"}).status_code == 403
    )


def test_cycle_signoff_400_lists_missing_then_200(client, world, cycle) -> None:
    client.force_login(world["coordinator"])
    target = api("cycle-signoff", pk=cycle.pk)
    response = _json(client, "POST", target, {"stage": "situation_analysis"})
    assert response.status_code == 400
    assert "8 sections not approved" in response.json()["non_field_errors"][0]
    approve_all(world, cycle.sections.all())
    response = _json(client, "POST", target, {"stage": "situation_analysis", "note": "OK"})
    assert response.status_code == 200, response.content
    assert response.json()["cycle_stage"] == "priorities"
    assert StageSignoff.objects.get().note == "OK"
    client.force_login(world["editor"])
    assert _json(client, "POST", target, {"stage": "priorities"}).status_code == 403


def test_section_read_shows_observers_the_approved_snapshot(client, world, section) -> None:
    client.force_login(world["observer"])
    data = _json(client, "GET", api("section-detail", pk=section.pk)).json()
    assert data["narrative"] == APPROVED and data["review_state"] == "approved"
    listing = _json(client, "GET", api("section-list", cycle_pk=section.cycle_id)).json()
    assert [s["narrative"] for s in listing["results"]] == [APPROVED]  # drafts are invisible
    assert DRAFT not in json.dumps(listing)
    client.force_login(world["editor"])
    data = _json(client, "GET", api("section-detail", pk=section.pk)).json()
    assert data["narrative"] == DRAFT and data["review_state"] == "draft"


def test_section_patch_needs_if_match(client, world, cycle) -> None:
    section = cycle.sections.first()
    client.force_login(world["editor"])
    target = api("section-detail", pk=section.pk)
    response = _json(client, "GET", target)
    etag = response["ETag"]
    assert _json(client, "PATCH", target, {"narrative": "x"}).status_code == 428
    response = _json(client, "PATCH", target, {"narrative": "Mine"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["narrative"] == "Mine"
    stale = _json(client, "PATCH", target, {"narrative": "Stale"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    section.refresh_from_db()
    assert section.narrative == "Mine"


def test_section_create_move_delete(client, world, cycle, section) -> None:
    client.force_login(world["editor"])
    response = _json(
        client,
        "POST",
        api("section-list", cycle_pk=cycle.pk),
        {"title": "Climate", "narrative": "Floods"},
    )
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    assert response.json()["position"] == 8
    response = _json(client, "POST", api("section-move", pk=new_id), {"position": 0})
    assert response.status_code == 200 and response.json()["position"] == 0
    assert _json(client, "DELETE", api("section-detail", pk=new_id)).status_code == 204
    # Approved once: only a coordinator deletes it.
    assert _json(client, "DELETE", api("section-detail", pk=section.pk)).status_code == 403
    client.force_login(world["coordinator"])
    assert _json(client, "DELETE", api("section-detail", pk=section.pk)).status_code == 204
    assert not SituationSection.objects.filter(pk__in=[new_id, section.pk]).exists()


def test_evidence_upload_link_and_refusals(client, world, section) -> None:
    client.force_login(world["editor"])
    target = api("evidence-list", section_pk=section.pk)
    response = client.post(target, {"title": "Survey", "file": upload("survey.pdf", PDF)})
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    assert response.json()["download_url"].endswith("/download/")
    response = client.post(target, {"title": "Setup", "file": upload("report.pdf", EXE)})
    assert response.status_code == 400 and "file" in response.json()
    response = _json(client, "POST", target, {"title": "IOM", "url": "https://iom.int/p"})
    assert response.status_code == 201 and response.json()["download_url"] is None
    assert _json(client, "POST", target, {"title": "Nothing"}).status_code == 400
    assert Evidence.objects.count() == 2


def test_evidence_visibility_and_download(client, world, cycle) -> None:
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
    new = evidence_create(actor=world["editor"], section=section, title="New", file=sample("pdf"))
    client.force_login(world["observer"])
    listing = _json(client, "GET", api("evidence-list", section_pk=section.pk)).json()
    assert [e["title"] for e in listing["results"]] == ["Old"]
    response = client.get(api("evidence-download", pk=old.pk))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert client.get(api("evidence-download", pk=new.pk)).status_code == 404
    assert _json(client, "GET", api("evidence-detail", pk=new.pk)).status_code == 404
    client.force_login(world["editor"])
    assert client.get(api("evidence-download", pk=new.pk)).status_code == 200
    assert _json(client, "DELETE", api("evidence-detail", pk=new.pk)).status_code == 204
    client.force_login(world["outsider"])
    assert client.get(api("evidence-download", pk=old.pk)).status_code == 404


# Query counts ----------------------------------------------------------------------------------


def test_cycle_list_endpoint_queries(client, world) -> None:
    client.force_login(world["coordinator"])
    rows = lambda n: [open_cycle(world, title=f"C{i}") for i in range(n)]  # noqa: E731
    assert_pinned_queries(client, api("cycle-list"), rows=rows, expected=6)


def test_section_list_endpoint_queries(client, world, cycle) -> None:
    from tests.factories import SituationSectionFactory

    client.force_login(world["coordinator"])
    rows = lambda n: [  # noqa: E731
        SituationSectionFactory(cycle=cycle, actor=world["editor"]) for _ in range(n)
    ]
    assert_pinned_queries(client, api("section-list", cycle_pk=cycle.pk), rows=rows, expected=8)


def test_evidence_list_endpoint_queries(client, world, cycle) -> None:
    section = cycle.sections.first()
    client.force_login(world["coordinator"])
    rows = lambda n: [  # noqa: E731
        evidence_create(
            actor=world["editor"], section=section, title="L", url="https://example.org/x"
        )
        for _ in range(n)
    ]
    assert_pinned_queries(
        client, api("evidence-list", section_pk=section.pk), rows=rows, expected=8
    )
