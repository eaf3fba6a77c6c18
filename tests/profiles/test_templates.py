"""Profile templates: presets are data, a workspace copies one and customises its sections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from profiles.models import ProfileTemplate, TemplateSection
from profiles.services.templates import (
    template_customise,
    template_section_add,
    template_section_delete,
    template_section_move,
    template_section_update,
)
from tests.querycount import assert_pinned_queries

from .edition_factories import preset, sections, start_edition

pytestmark = pytest.mark.django_db


def titles(template: ProfileTemplate) -> list[str]:
    return list(template.sections.order_by("position", "pk").values_list("title", flat=True))


def test_presets_follow_the_template_lineage(db) -> None:
    full = preset("emp-full")
    codes = list(full.sections.order_by("position").values_list("code", flat=True))
    assert codes[3:9] == ["A.1", "A.2", "A.3", "A.4", "A.5", "A.6"]
    assert codes[-5:] == ["D.1", "D.2", "D.3", "D.4", ""]
    assert titles(preset("emp-light")) == [
        "Key data",
        "Migration trends",
        "Impact of migration",
        "Migration governance",
        "Findings and recommendations",
        "Statistical annex",
    ]


def test_template_customise_copies_and_sections_change(world) -> None:
    editor = world["editor"]
    template = template_customise(
        actor=editor, workspace=world.workspace, preset=preset(), name="Our profile"
    )
    assert (template.workspace, template.based_on, template.name) == (
        world.workspace,
        preset(),
        "Our profile",
    )
    assert titles(template) == titles(preset())
    trends = template.sections.get(title="Migration trends")
    template_section_update(actor=editor, section=trends, title="Migration trends and flows")
    template_section_move(actor=editor, section=trends, up=True)
    governance = template.sections.get(title="Migration governance")
    template_section_delete(actor=editor, section=governance)
    template_section_add(
        actor=editor,
        template=template,
        part="C",
        code="C.9",
        title="Diaspora engagement",
        suggested_indicators=["TRA-01"],
    )
    assert titles(template) == [
        "Migration trends and flows",
        "Key data",
        "Impact of migration",
        "Findings and recommendations",
        "Statistical annex",
        "Diaspora engagement",
    ]
    # The preset is untouched (positive control: the copy did change).
    assert titles(preset())[0] == "Key data"
    edition = start_edition(editor, world.workspace, template=template)
    assert sections(edition)[0].title == "Migration trends and flows"
    last = sections(edition)[-1]
    assert [t.indicator.code for t in last.tables.all()] == ["TRA-01"]


def test_template_section_rejects_unknown_indicator_codes(world) -> None:
    template = template_customise(actor=world["editor"], workspace=world.workspace, preset=preset())
    with pytest.raises(ValidationError):
        template_section_add(
            actor=world["editor"],
            template=template,
            part="A",
            title="X",
            suggested_indicators=["NOPE"],
        )


def test_presets_cannot_be_changed_and_reviewers_cannot_customise(world) -> None:
    section = preset().sections.first()
    with pytest.raises(PermissionDenied):
        template_section_update(actor=world["coordinator"], section=section, title="Changed")
    with pytest.raises(PermissionDenied):
        template_customise(actor=world["reviewer"], workspace=world.workspace, preset=preset())
    assert not ProfileTemplate.objects.filter(workspace__isnull=False).exists()


def test_template_pages_move_and_delete_with_confirmation(client, world) -> None:
    client.force_login(world["editor"])
    slug = world.workspace.slug
    response = client.post(
        reverse("profiles:template_customise", args=[slug, preset().pk]), {"name": "Ours"}
    )
    template = ProfileTemplate.objects.get(workspace=world.workspace)
    assert response.status_code == 302
    detail = client.get(reverse("profiles:template_detail", args=[slug, template.pk]))
    body = detail.content.decode()
    assert "Move down" in body and "SOC-01" in body and "annex" in body
    second = template.sections.get(title="Migration trends")
    client.post(
        reverse("profiles:template_section_move", args=[slug, second.pk]), {"direction": "up"}
    )
    assert titles(template)[:2] == ["Migration trends", "Key data"]
    confirm = client.get(reverse("profiles:template_section_delete", args=[slug, second.pk]))
    assert confirm.status_code == 200 and "Remove" in confirm.content.decode()
    assert TemplateSection.objects.filter(pk=second.pk).exists()
    client.post(reverse("profiles:template_section_delete", args=[slug, second.pk]))
    assert not TemplateSection.objects.filter(pk=second.pk).exists()


def test_template_section_form_edits_suggested_indicators(client, world) -> None:
    from indicators.models import Indicator

    template = template_customise(actor=world["editor"], workspace=world.workspace, preset=preset())
    section = template.sections.get(title="Migration governance")
    client.force_login(world["editor"])
    gov = Indicator.objects.get(framework__code="starter", code="GOV-02")
    url = reverse("profiles:template_section_update", args=[world.workspace.slug, section.pk])
    response = client.post(
        url, {"code": "C", "part": "C", "title": "Governance", "suggested_indicators": [gov.pk]}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.title, section.suggested_indicators) == ("Governance", ["GOV-02"])


def test_api_presets_and_workspace_templates(client, world) -> None:
    client.force_login(world["observer"])
    presets = client.get(reverse("profile-preset-list")).json()["results"]
    assert sorted(p["code"] for p in presets) == ["emp-full", "emp-light"]
    client.force_login(world["editor"])
    url = reverse("profile-template-list", kwargs={"workspace_slug": "national"})
    created = client.post(
        url, {"based_on": preset().pk, "name": "Via API"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "Via API" and len(created.json()["sections"]) == 6
    listed = client.get(url).json()["results"]
    assert [t["name"] for t in listed] == ["Via API"]


def test_api_workspace_template_list_queries(client, world) -> None:
    client.force_login(world["coordinator"])

    def rows(n: int) -> None:
        for _ in range(n):
            template_customise(actor=world["editor"], workspace=world.workspace, preset=preset())

    url = reverse("profile-template-list", kwargs={"workspace_slug": "national"})
    assert_pinned_queries(client, url, rows=rows, expected=7)
