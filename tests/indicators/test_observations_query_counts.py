"""Observation and data-source lists, grids and endpoints: the same, pinned number of queries
at 2 and at 20 rows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from stakeholders.choices import Role
from tests.factories import MembershipFactory, WorkspaceFactory
from tests.querycount import assert_pinned_queries

from .observation_factories import approve, enter, make_source, starter

pytestmark = pytest.mark.django_db

PERIODS = (f"{year}-{month:02d}" for year in itertools.count(1990) for month in range(1, 13))
SOURCES = (f"Source {n}" for n in itertools.count())


@pytest.fixture
def setup(client):
    workspace = WorkspaceFactory(slug="qc", name="Query-count workspace")
    me = MembershipFactory(workspace=workspace, role=Role.COORDINATOR).user
    reviewer = MembershipFactory(workspace=workspace, role=Role.REVIEWER).user
    client.force_login(me)
    return workspace, me, reviewer


def _values(workspace, me, reviewer, code="ECO-02"):
    source = make_source(me, workspace, name="Census")

    def add(n: int) -> None:
        made = [
            enter(me, workspace, code=code, period=next(PERIODS), source=source) for _ in range(n)
        ]
        approve(me, reviewer, *made[: n // 2])

    return add


def _year_values(workspace, me, reviewer):
    """Totals for the dimension grid: one indicator of the dimension per added row."""
    indicator = starter("ECO-02")
    codes = list(
        type(indicator)
        .objects.filter(dimension=indicator.dimension, framework=indicator.framework)
        .values_list("code", flat=True)
    )
    from indicators.views.observations import recent_years

    cells = itertools.cycle(itertools.product(codes, recent_years()))

    def add(n: int) -> None:
        for _ in range(n):
            code, year = next(cells)
            enter(me, workspace, code=code, period=str(year))

    return add


def _sources(workspace, me):
    return lambda n: [make_source(me, workspace, name=next(SOURCES)) for _ in range(n)]


def test_observation_list_page_queries(client, setup):
    workspace, me, reviewer = setup
    url = reverse("indicators:observation_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_values(workspace, me, reviewer), expected=7)


def test_observation_list_page_queries_for_an_observer(client, setup):
    workspace, me, reviewer = setup
    client.force_login(MembershipFactory(workspace=workspace, role=Role.OBSERVER).user)
    url = reverse("indicators:observation_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_values(workspace, me, reviewer), expected=7)


def test_indicator_grid_queries(client, setup):
    workspace, me, reviewer = setup
    url = reverse(
        "indicators:indicator_grid",
        kwargs={"slug": workspace.slug, "indicator_pk": starter("ECO-02").pk},
    )
    assert_pinned_queries(client, url, rows=_values(workspace, me, reviewer), expected=8)


def test_dimension_grid_queries(client, setup):
    workspace, me, reviewer = setup
    url = reverse(
        "indicators:dimension_grid",
        kwargs={"slug": workspace.slug, "dimension_pk": starter("ECO-02").dimension_id},
    )
    assert_pinned_queries(client, url, rows=_year_values(workspace, me, reviewer), expected=8)


def test_data_source_list_page_queries(client, setup):
    workspace, me, _reviewer = setup
    url = reverse("indicators:data_source_list", kwargs={"slug": workspace.slug})
    assert_pinned_queries(client, url, rows=_sources(workspace, me), expected=6)


def test_observation_list_endpoint_queries(client, setup):
    workspace, me, reviewer = setup
    url = f"/api/workspaces/{workspace.slug}/observations/"
    assert_pinned_queries(client, url, rows=_values(workspace, me, reviewer), expected=6)


def test_data_source_list_endpoint_queries(client, setup):
    workspace, me, _reviewer = setup
    url = f"/api/workspaces/{workspace.slug}/data-sources/"
    assert_pinned_queries(client, url, rows=_sources(workspace, me), expected=6)
