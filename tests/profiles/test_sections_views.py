"""Section pages: live tables for draft readers, the frozen snapshot for everyone else, edits
that reopen an approved section, sources and gaps, recommendations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import DataGap
from profiles.models import Recommendation
from stakeholders.review import ReviewEvent
from tests.indicators.observation_factories import approve as approve_observations
from tests.indicators.observation_factories import approved, enter, make_source, starter
from tests.querycount import assert_pinned_queries

from .section_factories import add_table, approve_section, make_edition, make_section

pytestmark = pytest.mark.django_db


def _url(name, section_or_pk, slug="national"):
    pk = getattr(section_or_pk, "pk", section_or_pk)
    return reverse(f"profiles:{name}", kwargs={"slug": slug, "pk": pk})


@pytest.fixture
def section(world):
    approved(
        world["editor"],
        world["reviewer"],
        world.workspace,
        code="ECO-02",
        period="2021",
        value="12.5",
    )
    section = make_section(make_edition(world), actor=world["editor"])
    add_table(section, world["editor"])
    return section


def test_section_page_live_for_editors_and_hidden_for_observers_until_approved(
    client, world, section
):
    client.force_login(world["editor"])
    page = client.get(_url("section_detail", section)).content.decode()
    assert "12.5" in page and "About <strong>emigration</strong>" in page
    assert "Guidance for this section" in page
    client.force_login(world["observer"])
    assert client.get(_url("section_detail", section)).status_code == 404


def test_section_page_shows_frozen_values_to_observers_after_a_correction(client, world, section):
    approve_section(world, section)
    changed = enter(world["editor"], world.workspace, code="ECO-02", period="2021", value="99")
    approve_observations(world["editor"], world["reviewer"], changed)
    for role in ("observer", "editor"):
        client.force_login(world[role])
        page = client.get(_url("section_detail", section)).content.decode()
        assert "12.5" in page, role
        assert ">99<" not in page, role
        assert "Guidance for this section" not in page or role == "editor"


def test_chart_kind_renders_svg_and_table(client, world, section):
    approved(
        world["editor"],
        world["reviewer"],
        world.workspace,
        code="ECO-02",
        period="2020",
        value="7.25",
        sex="F",
    )
    add_table(section, world["editor"], kind="chart", axis="sex")
    client.force_login(world["editor"])
    page = client.get(_url("section_detail", section)).content.decode()
    assert "<svg" in page
    assert "Female" in page and "Total" in page and "7.25" in page


def test_editing_the_narrative_reopens_and_keeps_the_snapshot(client, world, section):
    approve_section(world, section)
    client.force_login(world["editor"])
    response = client.post(
        _url("section_update", section),
        {
            "title": "Emigration",
            "narrative": "New draft sentence.",
            "lock_version": section.lock_version,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.review_state == "draft" and section.version == 2
    client.force_login(world["observer"])
    page = client.get(_url("section_detail", section)).content.decode()
    assert "About <strong>emigration</strong>" in page
    assert "New draft sentence." not in page


def test_stale_narrative_save_is_a_conflict(client, world, section):
    client.force_login(world["editor"])
    stale = section.lock_version
    client.post(
        _url("section_update", section),
        {"title": "Emigration", "narrative": "First.", "lock_version": stale},
    )
    response = client.post(
        _url("section_update", section),
        {"title": "Emigration", "narrative": "Second.", "lock_version": stale},
    )
    assert response.status_code == 409
    section.refresh_from_db()
    assert section.narrative == "First."


def test_table_add_remove_reopens_an_approved_section(client, world, section):
    approve_section(world, section)
    client.force_login(world["editor"])
    response = client.post(
        _url("section_table_create", section),
        {"indicator": starter("ECO-03").pk, "axis": "", "kind": "table"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.review_state == "draft" and section.version == 2
    assert ReviewEvent.objects.filter(object_id=section.pk, action="reopen").count() == 1
    table = section.tables.get(indicator__code="ECO-03")
    assert (table.first_year, table.last_year) == (2019, 2022)
    response = client.post(_url("section_table_delete", table))
    assert response.status_code == 302
    assert not section.tables.filter(pk=table.pk).exists()
    assert section.tables.count() == 1


def test_table_axis_must_be_allowed(client, world, section):
    client.force_login(world["editor"])
    # ECO-02 is not broken down by partner country.
    response = client.post(
        _url("section_table_create", section),
        {"indicator": starter("ECO-02").pk, "axis": "partner_country", "kind": "table"},
    )
    assert response.status_code == 200
    assert "not disaggregated that way" in response.content.decode()
    assert section.tables.count() == 1


def test_submitted_section_refuses_table_changes(client, world, section):
    from stakeholders.review import review_submit

    review_submit(actor=world["editor"], items=section)
    client.force_login(world["coordinator"])
    response = client.post(
        _url("section_table_create", section),
        {"indicator": starter("ECO-03").pk, "axis": "", "kind": "table"},
    )
    assert response.status_code == 200
    assert "waiting for review" in response.content.decode()
    assert section.tables.count() == 1


def test_sources_and_gaps(client, world, section):
    source = make_source(world["editor"], world.workspace)
    client.force_login(world["editor"])
    response = client.post(
        _url("section_gap_create", section),
        {"indicator": starter("ECO-02").pk, "year": "2020", "reason": "not_collected"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gap = DataGap.objects.get(workspace=world.workspace, indicator__code="ECO-02")
    response = client.post(
        _url("section_sources", section), {"sources": [source.pk], "gaps": [gap.pk]}
    )
    assert response.status_code == 302
    assert list(section.sources.all()) == [source]
    assert list(section.gaps.all()) == [gap]
    page = client.get(_url("section_detail", section)).content.decode()
    assert "Labour force survey" in page
    assert reverse("indicators:data_gap_list", kwargs={"slug": "national"}) in page


def test_recommendations_add_edit_move_delete(client, world):
    section = make_section(
        make_edition(world),
        actor=world["editor"],
        code="D.3",
        part="D",
        title="On mainstreaming",
        has_recommendations=True,
    )
    client.force_login(world["editor"])
    for text in ("Create a diaspora desk.", "Publish remittance data yearly."):
        response = client.post(
            _url("recommendation_create", section), {"text": text, "target": "mainstreaming"}
        )
        assert response.status_code == 302
    first, second = Recommendation.objects.filter(section=section)
    assert [first.position, second.position] == [0, 1]
    client.post(_url("recommendation_move", second), {"direction": "up"})
    assert list(section.recommendations.values_list("text", flat=True)) == [
        "Publish remittance data yearly.",
        "Create a diaspora desk.",
    ]
    client.post(
        _url("recommendation_update", first),
        {"text": "Open a diaspora desk.", "target": "governance"},
    )
    first.refresh_from_db()
    assert (first.text, first.target) == ("Open a diaspora desk.", "governance")
    assert client.get(_url("recommendation_delete", first)).status_code == 200
    client.post(_url("recommendation_delete", first))
    assert list(section.recommendations.values_list("text", flat=True)) == [
        "Publish remittance data yearly."
    ]
    page = client.get(_url("section_detail", section)).content.decode()
    assert "Turn into a priority" in page


def test_recommendations_refused_in_a_section_without_them(client, world, section):
    client.force_login(world["editor"])
    assert client.get(_url("recommendation_create", section)).status_code == 404
    response = client.post(
        _url("recommendation_create", section), {"text": "x", "target": "statistics"}
    )
    assert response.status_code == 200
    assert not Recommendation.objects.exists()


def test_section_page_query_count_pinned(client, world):
    section = make_section(make_edition(world), actor=world["editor"])
    codes = ["ECO-02", "ECO-03", "ECO-04"]

    def rows(count):
        for index in range(count):
            add_table(
                section,
                world["editor"],
                code=codes[index % 3],
                kind="chart" if index % 2 else "table",
            )

    client.force_login(world["editor"])
    assert_pinned_queries(client, _url("section_detail", section), rows=rows, expected=QUERIES)


QUERIES = 11
