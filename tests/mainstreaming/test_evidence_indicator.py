"""Indicators as evidence of a situation-analysis section (the indicators app's evidence kind)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Indicator, Unit
from mainstreaming.models import Evidence
from mainstreaming.services.cycles import evidence_create

from .cycles_factories import open_cycle


def _section(world):
    return open_cycle(world).sections.order_by("position").first()


def _custom(workspace, code="OWN-1"):
    return Indicator.objects.create(
        workspace=workspace, code=code, name="Own indicator", unit=Unit.objects.get(code="number")
    )


def test_a_catalogue_indicator_becomes_evidence_titled_after_it(world) -> None:
    indicator = Indicator.objects.get(framework__code="starter", code="TRA-01")
    evidence = evidence_create(
        actor=world["editor"], section=_section(world), indicator=indicator, title=""
    )
    assert (evidence.kind, evidence.indicator, evidence.url, evidence.file.name) == (
        "indicator",
        indicator,
        "",
        "",
    )
    assert evidence.title == "TRA-01 Personal remittances received, share of GDP"


def test_the_workspace_own_indicator_is_accepted_another_workspace_one_refused(world) -> None:
    section = _section(world)
    own = evidence_create(
        actor=world["editor"], section=section, indicator=_custom(world.workspace), title="Ours"
    )
    assert own.title == "Ours"
    with pytest.raises(ValidationError) as caught:
        evidence_create(
            actor=world["editor"], section=section, indicator=_custom(world.other), title=""
        )
    assert "one of this workspace's own" in str(caught.value)
    assert Evidence.objects.count() == 1


def test_an_indicator_and_a_link_together_are_refused(world) -> None:
    indicator = Indicator.objects.get(framework__code="starter", code="TRA-01")
    with pytest.raises(ValidationError, match="one of the three"):
        evidence_create(
            actor=world["editor"],
            section=_section(world),
            indicator=indicator,
            url="https://example.org/",
            title="Both",
        )
    assert not Evidence.objects.exists()


def test_the_form_adds_an_indicator_and_the_section_links_to_its_data(client, world) -> None:
    section = _section(world)
    indicator = Indicator.objects.get(framework__code="starter", code="TRA-01")
    client.force_login(world["editor"])
    url = reverse("mainstreaming:evidence_create", args=[world.workspace.slug, section.pk])
    response = client.post(url, {"title": "", "indicator": indicator.pk})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.indicator == indicator
    page = client.get(section.get_absolute_url()).content.decode()
    data_url = reverse("indicators:indicator_data", args=[world.workspace.slug, indicator.pk])
    assert f'href="{data_url}"' in page and "indicator data" in page


def test_the_form_refuses_a_foreign_custom_indicator_and_nothing_at_all(client, world) -> None:
    section = _section(world)
    foreign = _custom(world.other)
    client.force_login(world["editor"])
    url = reverse("mainstreaming:evidence_create", args=[world.workspace.slug, section.pk])
    response = client.post(url, {"title": "", "indicator": foreign.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"title": "Nothing"})
    assert "Choose a document to upload, give a web address or choose an indicator." in (
        response.content.decode()
    )
    assert not Evidence.objects.exists()


def test_the_api_adds_an_indicator_as_evidence(client, world) -> None:
    section = _section(world)
    indicator = Indicator.objects.get(framework__code="sdg", code="10.c.1")
    client.force_login(world["editor"])
    url = reverse(
        "evidence-list", kwargs={"workspace_slug": world.workspace.slug, "section_pk": section.pk}
    )
    response = client.post(url, {"indicator": indicator.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "indicator"
    assert response.json()["indicator"] == indicator.pk
    response = client.post(
        url, {"indicator": _custom(world.other).pk}, content_type="application/json"
    )
    assert response.status_code == 400
