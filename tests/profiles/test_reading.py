"""The printable reading of an edition: who reads which version, the table of contents, the
statistical annex and the sources, the JSON twin, and pinned query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from profiles.models import Section
from profiles.services.editions import edition_publish
from profiles.services.sections import section_sources_set
from stakeholders.review import review_approve, review_submit
from tests.indicators.observation_factories import approved, make_source
from tests.querycount import assert_pinned_queries

from .section_factories import add_table, make_edition, make_section

pytestmark = pytest.mark.django_db


def approve(world, *sections):
    review_submit(actor=world["editor"], items=list(sections))
    review_approve(actor=world["reviewer"], items=list(sections))
    for section in sections:
        section.refresh_from_db()


def build(world, *, publish=True):
    """An edition with an approved section A.4 (table ECO-02 over 2019–2022), an approved
    annex section, and, after publication, a new draft of A.4."""
    editor = world["editor"]
    approved(editor, world["reviewer"], world.workspace, code="ECO-02", period="2021", value="7.5")
    edition = make_edition(world)
    emigration = make_section(
        edition, actor=editor, narrative="Approved sentence about emigration.", position=1
    )
    add_table(emigration, editor, "ECO-02", first_year=2019, last_year=2022)
    annex = make_section(
        edition,
        actor=editor,
        code="",
        part="annex",
        title="Annex tables",
        narrative="Annex text.",
        position=2,
    )
    add_table(annex, editor, "ECO-02", first_year=2020, last_year=2021)
    source = make_source(editor, world.workspace, name="Household survey 2021")
    section_sources_set(actor=editor, section=emigration, sources=[source], gaps=[])
    emigration.refresh_from_db()
    approve(world, emigration, annex)
    if publish:
        edition.refresh_from_db()
        edition_publish(actor=world["coordinator"], edition=edition)
    # A new draft after approval: readers of the approved version must not see it.
    emigration.refresh_from_db()
    from stakeholders.review import review_edit

    review_edit(
        actor=editor,
        item=emigration,
        expected_lock_version=emigration.lock_version,
        narrative="Draft sentence not yet approved.",
    )
    edition.refresh_from_db()
    return edition, emigration, annex


def read(client, user, edition, query=""):
    client.force_login(user)
    url = reverse(
        "profiles:edition_read", kwargs={"slug": edition.workspace.slug, "pk": edition.pk}
    )
    return client.get(url + query)


def test_reading_observer_reads_published_approved_text_only(world, client):
    edition, _emigration, _annex = build(world)
    response = read(client, world["observer"], edition)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved sentence about emigration." in page  # positive control
    assert "Draft sentence not yet approved." not in page
    assert "7.5" in page  # the frozen value of the table
    assert "Household survey 2021" in page


def test_reading_editor_reads_the_draft_marked_or_the_approved_version(world, client):
    edition, _emigration, _annex = build(world)
    page = read(client, world["editor"], edition).content.decode()
    assert "Draft sentence not yet approved." in page
    assert "Approved sentence about emigration." not in page
    assert "reading-draft-tag" in page
    page = read(client, world["editor"], edition, "?approved=1").content.decode()
    assert "Approved sentence about emigration." in page
    assert "Draft sentence not yet approved." not in page


def test_reading_draft_edition_not_found_for_observer(world, client):
    edition, _emigration, _annex = build(world, publish=False)
    assert read(client, world["observer"], edition).status_code == 404
    assert read(client, world["contributor"], edition).status_code == 404
    assert read(client, world["editor"], edition).status_code == 200  # positive control
    assert read(client, world["outsider"], edition).status_code == 404


def test_reading_table_of_contents_anchors_and_annex(world, client):
    edition, emigration, _annex = build(world)
    page = read(client, world["observer"], edition).content.decode()
    links = re.findall(r'<a href="#([^"]+)"', page)
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert f"section-{emigration.pk}" in links
    assert "statistical-annex" in links
    assert "sources" in links
    assert "part-a" in links
    assert all(anchor in ids for anchor in links), [a for a in links if a not in ids]
    annex_part = page[page.index('id="statistical-annex"') :]
    assert "Annex tables" in annex_part
    assert "2020" in annex_part and "2021" in annex_part


def test_reading_api_matches_the_page(world, client):
    edition, emigration, annex = build(world)
    client.force_login(world["observer"])
    url = f"/api/workspaces/{world.workspace.slug}/editions/{edition.pk}/read/"
    body = client.get(url).json()
    assert body["number"] == edition.number
    assert [s["id"] for s in body["sections"]] == [emigration.pk]
    assert body["sections"][0]["narrative"] == "Approved sentence about emigration."
    assert body["sections"][0]["tables"][0]["rows"][0]["values"] == {"2021": "7.5"}
    assert [s["id"] for s in body["annex"]] == [annex.pk]
    assert [s["name"] for s in body["sources"]] == ["Household survey 2021"]
    client.force_login(world["editor"])
    assert client.get(url).json()["sections"][0]["narrative"] == "Draft sentence not yet approved."


def test_reading_query_counts(world, client):
    edition = make_edition(world)
    editor = world["editor"]

    def rows(count):
        start = edition.sections.count()
        for index in range(count):
            section = make_section(
                edition, actor=editor, code=f"A.{start + index}", position=start + index
            )
            add_table(section, editor, "ECO-02", first_year=2019, last_year=2020)

    client.force_login(editor)
    url = reverse("profiles:edition_read", kwargs={"slug": world.workspace.slug, "pk": edition.pk})
    assert_pinned_queries(client, url, rows=rows, expected=QUERIES_READ)
    assert Section.objects.filter(edition=edition).count() == 20


QUERIES_READ = 9
