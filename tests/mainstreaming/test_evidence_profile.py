"""A published migration-profile edition as evidence of a situation-analysis section."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mainstreaming.models import Evidence
from mainstreaming.services.cycles import evidence_create
from tests.profiles.section_factories import make_edition

from .cycles_factories import open_cycle

pytestmark = pytest.mark.django_db


def _section(world):
    return open_cycle(world).sections.order_by("position").first()


def _published(world, workspace=None, number=1):
    edition = make_edition(world, workspace=workspace, number=number)
    edition.status = "published"
    edition.published_at = timezone.now()
    edition.save()
    return edition


def test_a_published_edition_becomes_evidence_titled_after_it(world):
    edition = _published(world)
    evidence = evidence_create(
        actor=world["editor"], section=_section(world), edition=edition, title=""
    )
    assert (evidence.kind, evidence.edition, evidence.indicator, evidence.url) == (
        "profile",
        edition,
        None,
        "",
    )
    assert evidence.title == "Migration profile, edition 1"


def test_a_draft_edition_or_another_workspace_edition_is_refused(world):
    section = _section(world)
    draft = make_edition(world, number=2)
    foreign = _published(world, workspace=world.other, number=1)
    for edition in (draft, foreign):
        with pytest.raises(ValidationError, match="published migration profile edition"):
            evidence_create(actor=world["editor"], section=section, edition=edition, title="")
    assert Evidence.objects.count() == 0
    # Positive control: the published one of this workspace is accepted.
    evidence_create(
        actor=world["editor"], section=section, edition=_published(world, number=3), title=""
    )
    assert Evidence.objects.count() == 1


def test_an_edition_with_a_link_is_refused(world):
    with pytest.raises(ValidationError, match="on its own"):
        evidence_create(
            actor=world["editor"],
            section=_section(world),
            edition=_published(world),
            url="https://example.org",
            title="x",
        )


def test_the_page_form_offers_published_editions_and_links_to_the_reading_view(client, world):
    section = _section(world)
    edition = _published(world)
    make_edition(world, number=2, title="Draft edition two")
    client.force_login(world["editor"])
    url = reverse("mainstreaming:evidence_create", kwargs={"slug": "national", "pk": section.pk})
    form = client.get(url).content.decode()
    assert "Migration profile, edition 1" in form
    assert "Draft edition two" not in form
    response = client.post(url, {"title": "", "edition": edition.pk})
    assert response.status_code == 302
    page = client.get(section.get_absolute_url()).content.decode()
    read = reverse("profiles:edition_read", kwargs={"slug": "national", "pk": edition.pk})
    assert read in page


def test_the_api_accepts_a_published_edition_and_refuses_a_draft(client, world):
    section = _section(world)
    edition = _published(world)
    draft = make_edition(world, number=2)
    client.force_login(world["editor"])
    url = reverse("evidence-list", kwargs={"workspace_slug": "national", "section_pk": section.pk})
    refused = client.post(url, {"edition": draft.pk}, content_type="application/json")
    assert refused.status_code == 400
    created = client.post(url, {"edition": edition.pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "profile"
    assert created.json()["edition"] == edition.pk
