"""Observation pages and API: what readers see, the grids, batch review of a selection."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from indicators.models import Observation

from .observation_factories import approved, enter, make_source, starter

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(world):
    """An approved value 41.5 whose correction 77.25 is a draft, plus a never-approved 63.75."""
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(editor, reviewer, world.workspace, period="2020", value="41.5")
    enter(editor, world.workspace, period="2020", value="77.25")
    enter(editor, world.workspace, period="2021", value="63.75")
    return observation


def _pages(world, observation):
    slug = world.workspace.slug
    indicator = observation.indicator
    return [
        reverse("indicators:observation_list", kwargs={"slug": slug}),
        reverse("indicators:observation_detail", kwargs={"slug": slug, "pk": observation.pk}),
        reverse("indicators:indicator_grid", kwargs={"slug": slug, "indicator_pk": indicator.pk})
        + "?period=2020&period=2021",
        reverse(
            "indicators:dimension_grid",
            kwargs={"slug": slug, "dimension_pk": indicator.dimension_id},
        ),
    ]


@pytest.mark.parametrize("role", ["observer", "contributor"])
def test_readers_of_approved_content_never_see_draft_values(client, world, corrected, role):
    client.force_login(world[role])
    list_page, detail, indicator_grid, _dimension_grid = _pages(world, corrected)
    for url in (list_page, detail, indicator_grid):
        html = client.get(url).content.decode()
        assert "41.5" in html, url  # the approved value is there (positive control)
        assert "77.25" not in html, url
        assert "63.75" not in html, url
    data = client.get(f"/api/workspaces/{world.workspace.slug}/observations/").json()
    assert [row["value"] for row in data["results"]] == ["41.5"]
    assert data["results"][0]["review_state"] == "approved"
    one = client.get(f"/api/workspaces/{world.workspace.slug}/observations/{corrected.pk}/")
    assert one.json()["value"] == "41.5"


def test_editors_see_the_draft_values(client, world, corrected):
    client.force_login(world["editor"])
    list_page, _detail, indicator_grid, _dimension_grid = _pages(world, corrected)
    for url in (list_page, indicator_grid):
        html = client.get(url).content.decode()
        assert "77.25" in html and "63.75" in html, url
    data = client.get(f"/api/workspaces/{world.workspace.slug}/observations/").json()
    assert sorted(row["value"] for row in data["results"]) == ["63.75", "77.25"]


def test_dimension_grid_shows_only_approved_values_to_observers(client, world):
    editor, reviewer = world["editor"], world["reviewer"]
    from indicators.views.observations import recent_years

    year = str(recent_years()[-1])
    approved(editor, reviewer, world.workspace, period=year, value="41.5")
    enter(editor, world.workspace, period=year, value="77.25")
    client.force_login(world["observer"])
    url = _pages(world, Observation.objects.get())[3]
    html = client.get(url).content.decode()
    assert "41.5" in html and "77.25" not in html


def _grid_url(world, code="ECO-02", query=""):
    indicator = starter(code)
    url = reverse(
        "indicators:indicator_grid",
        kwargs={"slug": world.workspace.slug, "indicator_pk": indicator.pk},
    )
    return url + query


def test_htmx_cell_save_returns_the_cell(client, world):
    client.force_login(world["editor"])
    url = _grid_url(world, query="?axis=sex")
    response = client.post(
        url,
        {"cell": "2022:F", "v:2022:F": "12.5", "l:2022:F": "", "quality": "final"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<td") and "<html" not in html
    assert 'value="12.5"' in html and "Draft" in html and "Saved." in html
    observation = Observation.objects.get()
    assert (observation.period, observation.sex, observation.value) == (
        "2022",
        "F",
        Decimal("12.5"),
    )
    assert observation.quality == "final"


def test_htmx_cell_save_shows_the_error_in_the_cell(client, world):
    client.force_login(world["editor"])
    response = client.post(
        _grid_url(world), {"cell": "2022:_T", "v:2022:_T": "101"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html and "above 100" in html
    assert 'value="101"' in html  # the user's input stays
    assert not Observation.objects.exists()


def test_whole_grid_post_without_javascript_saves_every_changed_cell(client, world):
    client.force_login(world["editor"])
    source = make_source(world["editor"], world.workspace)
    url = _grid_url(world, query="?axis=sex")
    response = client.post(
        url, {"v:2022:F": "10", "v:2022:M": "11", "v:2021:_T": "", "source": str(source.pk)}
    )
    assert response.status_code == 302
    assert sorted(Observation.objects.values_list("sex", "value", "source")) == [
        ("F", Decimal("10"), source.pk),
        ("M", Decimal("11"), source.pk),
    ]
    # An error in one cell: the page comes back with the message, status 400.
    response = client.post(url, {"v:2022:F": "10", "v:2023:M": "-5"})
    assert response.status_code == 400
    assert "below 0" in response.content.decode()


def test_grid_cell_shows_state_and_source(client, world):
    editor, reviewer = world["editor"], world["reviewer"]
    source = make_source(editor, world.workspace, name="Census 2020")
    approved(editor, reviewer, world.workspace, period="2020", value="5", source=source)
    client.force_login(world["observer"])
    html = client.get(_grid_url(world)).content.decode()
    assert "Approved" in html and "Census 2020" in html
    assert 'name="v:2020:_T"' not in html  # observers get no inputs
    client.force_login(editor)
    assert 'name="v:2020:_T"' in client.get(_grid_url(world)).content.decode()


def test_batch_review_of_a_filtered_selection_sends_one_email_per_person(
    client, world, django_capture_on_commit_callbacks
):
    editor, reviewer = world["editor"], world["reviewer"]
    for year in range(2010, 2016):
        enter(editor, world.workspace, period=str(year), value=str(year - 2000))
    other = enter(editor, world.workspace, code="ECO-03", period="2015", value="4")
    url = reverse("indicators:observation_batch_review", kwargs={"slug": world.workspace.slug})
    query = "?indicator=ECO-02"
    client.force_login(editor)
    page = client.get(url + query).content.decode()
    assert "6 draft or returned values can be submitted" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query, {"action": "submit", "count": "6"})
    assert response.status_code == 302
    assert Observation.objects.filter(review_state="submitted").count() == 6
    other.refresh_from_db()
    assert other.review_state == "draft"  # outside the filter
    # One message per reviewer/coordinator for the whole batch, none to the submitter.
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["coordinator@example.org", "reviewer@example.org"]

    client.force_login(reviewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query, {"action": "approve", "count": "6"})
    assert response.status_code == 302
    assert Observation.objects.filter(review_state="approved").count() == 6
    assert sorted(message.to[0] for message in mail.outbox) == ["editor@example.org"]


def test_batch_return_needs_a_reason_and_a_stale_count_is_refused(client, world):
    editor, reviewer = world["editor"], world["reviewer"]
    observation = enter(editor, world.workspace)
    from stakeholders.review import review_submit

    review_submit(actor=editor, items=[observation])
    url = reverse("indicators:observation_batch_review", kwargs={"slug": world.workspace.slug})
    client.force_login(reviewer)
    response = client.post(url, {"action": "return", "reason": "", "count": "1"})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(url, {"action": "approve", "count": "5"})
    assert response.status_code == 400 and "selection changed" in response.content.decode()
    observation.refresh_from_db()
    assert observation.review_state == "submitted"
    response = client.post(url, {"action": "return", "reason": "Wrong year.", "count": "1"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.review_state == "returned"


def test_api_create_is_an_upsert_and_filters_work(client, world):
    client.force_login(world["editor"])
    base = f"/api/workspaces/{world.workspace.slug}/observations/"
    row = {"indicator": "ECO-02", "period": "2022", "sex": "F", "value": "12.5"}
    first = client.post(base, row, content_type="application/json")
    assert first.status_code == 201, first.json()
    again = client.post(base, {**row, "value": "13"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = client.post(base, {**row, "value": "101"}, content_type="application/json")
    assert bad.status_code == 400 and "above 100" in json.dumps(bad.json())
    client.post(base, {**row, "period": "2010", "sex": "M"}, content_type="application/json")
    assert client.get(base + "?period_from=2020").json()["count"] == 1
    assert client.get(base + "?sex=M").json()["count"] == 1
    assert client.get(base + "?indicator=ECO-02").json()["count"] == 2
    assert client.get(base + "?indicator=ECO-03").json()["count"] == 0
    assert client.get(base + "?review_state=submitted").json()["count"] == 0


def test_api_patch_needs_if_match_and_reopens_an_approved_value(client, world):
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(editor, reviewer, world.workspace, value="20")
    client.force_login(editor)
    url = f"/api/workspaces/{world.workspace.slug}/observations/{observation.pk}/"
    etag = client.get(url)["ETag"]
    body = json.dumps({"value": "21"})
    assert client.patch(url, body, content_type="application/json").status_code == 428
    response = client.patch(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["value"] == "21"
    assert response.json()["review_state"] == "draft"
    stale = client.patch(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    client.force_login(world["observer"])
    assert client.get(url).json()["value"] == "20"


def test_api_batch_review_by_filter(client, world):
    editor = world["editor"]
    for year in (2018, 2019):
        enter(editor, world.workspace, period=str(year))
    enter(editor, world.workspace, code="ECO-03", period="2019")
    client.force_login(editor)
    url = f"/api/workspaces/{world.workspace.slug}/observations/review/?indicator=ECO-02"
    response = client.post(url, {"action": "submit"}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"action": "submit", "count": 2}
    assert Observation.objects.filter(review_state="submitted").count() == 2
    client.force_login(world["reviewer"])
    response = client.post(url, {"action": "approve"}, content_type="application/json")
    assert response.json()["count"] == 2
    assert Observation.objects.filter(review_state="approved").count() == 2
