"""API of profile sections: list per edition, detail with frozen/live tables and ETag, PATCH with
If-Match, review through the generic endpoints, tables and recommendations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.indicators.observation_factories import approve as approve_observations
from tests.indicators.observation_factories import approved, enter, starter
from tests.querycount import assert_pinned_queries

from .section_factories import add_table, make_edition, make_section

pytestmark = pytest.mark.django_db

N = {"workspace_slug": "national"}


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


def _detail(section):
    return reverse("profile-section-detail", kwargs={**N, "pk": section.pk})


def test_review_through_generic_endpoints_freezes_tables(client, world, section):
    def transition(user, action):
        client.force_login(world[user])
        url = reverse(
            "review-transition",
            kwargs={**N, "kind": "profiles.section", "pk": section.pk, "action": action},
        )
        return client.post(url, {}, content_type="application/json")

    client.force_login(world["observer"])
    assert client.get(_detail(section)).status_code == 404
    assert transition("editor", "submit").status_code == 200
    assert transition("reviewer", "approve").status_code == 200
    changed = enter(world["editor"], world.workspace, code="ECO-02", period="2021", value="20")
    approve_observations(world["editor"], world["reviewer"], changed)
    client.force_login(world["observer"])
    data = client.get(_detail(section)).json()
    assert data["tables"][0]["rows"][0]["values"]["2021"] == "12.5"
    assert data["review_state"] == "approved"


def test_patch_needs_if_match_and_detects_stale(client, world, section):
    client.force_login(world["editor"])
    response = client.get(_detail(section))
    etag = response["ETag"]
    assert response.json()["tables"][0]["indicator"] == "ECO-02"
    assert (
        client.patch(
            _detail(section), {"narrative": "x"}, content_type="application/json"
        ).status_code
        == 428
    )
    ok = client.patch(
        _detail(section), {"narrative": "New."}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200, ok.content
    stale = client.patch(
        _detail(section), {"narrative": "Old."}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    section.refresh_from_db()
    assert section.narrative == "New."


def test_tables_and_recommendations(client, world, section):
    client.force_login(world["editor"])
    tables = reverse("profile-section-table-list", kwargs={**N, "section_pk": section.pk})
    created = client.post(
        tables,
        {"indicator": starter("ECO-03").pk, "kind": "chart"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["first_year"], created.json()["last_year"]) == (2019, 2022)
    assert client.get(tables).json()["count"] == 2
    detail = reverse(
        "profile-section-table-detail",
        kwargs={**N, "section_pk": section.pk, "pk": created.json()["id"]},
    )
    client.force_login(world["reviewer"])
    assert client.delete(detail).status_code == 403
    client.force_login(world["editor"])
    assert client.delete(detail).status_code == 204
    assert section.tables.count() == 1
    recs = reverse("profile-recommendation-list", kwargs={**N, "section_pk": section.pk})
    refused = client.post(
        recs, {"text": "x", "target": "statistics"}, content_type="application/json"
    )
    assert refused.status_code == 400
    section.has_recommendations = True
    section.save()
    ok = client.post(
        recs, {"text": "Count returnees.", "target": "statistics"}, content_type="application/json"
    )
    assert ok.status_code == 201, ok.content


def test_section_list_query_count_pinned(client, world):
    edition = make_edition(world)

    def rows(count):
        for index in range(count):
            make_section(edition, actor=world["editor"], code=f"A.{index}")

    client.force_login(world["editor"])
    url = reverse("profile-section-list", kwargs=N) + f"?edition={edition.pk}"
    assert_pinned_queries(client, url, rows=rows, expected=QUERIES)


QUERIES = 8
