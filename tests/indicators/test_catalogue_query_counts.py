"""List pages and list endpoints of the catalogue: the same, pinned number of queries at 2 and
at 20 rows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from indicators.models import Dimension, Framework, Indicator, Unit
from stakeholders.choices import Role
from tests.factories import MembershipFactory, WorkspaceFactory
from tests.querycount import assert_pinned_queries

from .catalogue_factories import make_custom_indicator

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


@pytest.fixture
def setup(client):
    workspace = WorkspaceFactory(slug="qc", name="Query-count workspace")
    me = MembershipFactory(workspace=workspace, role=Role.COORDINATOR).user
    client.force_login(me)
    return workspace, me


@pytest.fixture
def framework():
    """A framework of its own, so that the list of its indicators starts empty."""
    created = Framework.objects.create(code="qc-framework", name="Query-count framework")
    for position in (1, 2):
        Dimension.objects.create(
            framework=created, code=f"Q{position}", name=f"dimension {position}", position=position
        )
    return created


def _frameworks(n: int) -> None:
    for _ in range(n):
        number = next(_numbers)
        created = Framework.objects.create(code=f"fw-{number}", name=f"Framework {number}")
        Dimension.objects.create(framework=created, code="D1", name="one")


def _indicators(framework: Framework):
    unit = Unit.objects.get(code="percent")
    dimensions = list(framework.dimensions.all())

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            Indicator.objects.create(
                framework=framework,
                dimension=dimensions[number % 2],
                code=f"Q-{number}",
                name=f"Indicator {number}",
                unit=unit,
            )

    return add


def _custom(workspace, me):
    return lambda n: [make_custom_indicator(me, workspace) for _ in range(n)]


# Pages -----------------------------------------------------------------------------------------


def test_framework_list_page_queries(client, setup):
    assert_pinned_queries(
        client, reverse("indicators:framework_list"), rows=_frameworks, expected=3
    )


def test_framework_detail_page_queries(client, setup, framework):
    assert_pinned_queries(
        client,
        reverse("indicators:framework_detail", args=[framework.pk]),
        rows=_indicators(framework),
        expected=5,
    )


def test_workspace_indicators_page_queries(client, setup):
    workspace, me = setup
    assert_pinned_queries(
        client,
        reverse("indicators:workspace_indicators", args=[workspace.slug]),
        rows=_custom(workspace, me),
        expected=9,
    )


# API -------------------------------------------------------------------------------------------


def test_framework_list_endpoint_queries(client, setup):
    assert_pinned_queries(client, reverse("framework-list"), rows=_frameworks, expected=4)


def test_dimension_list_endpoint_queries(client, setup):
    assert_pinned_queries(client, reverse("dimension-list"), rows=_frameworks, expected=4)


def test_indicator_list_endpoint_queries(client, setup, framework):
    assert_pinned_queries(
        client,
        reverse("indicator-list") + f"?framework={framework.pk}",
        rows=_indicators(framework),
        expected=4,
    )


def test_custom_indicator_list_endpoint_queries(client, setup):
    workspace, me = setup
    assert_pinned_queries(
        client,
        reverse("custom-indicator-list", kwargs={"workspace_slug": workspace.slug}),
        rows=_custom(workspace, me),
        expected=6,
    )
