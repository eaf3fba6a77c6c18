"""The catalogue API: frameworks, dimensions, catalogue indicators with filters, and a
workspace's own indicators (read by members, written by editors and coordinators)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.models import Dimension, Framework, Indicator, Observation

from .catalogue_factories import make_custom_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_user(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


def test_frameworks_with_counts(api, world):
    data = as_user(api, world["observer"]).get(reverse("framework-list")).json()
    by_code = {row["code"]: row for row in data["results"]}
    assert by_code["starter"]["indicator_count"] == 48
    assert by_code["starter"]["dimension_count"] == 8
    assert by_code["sdg"]["indicator_count"] == 6
    assert by_code["sdg"]["dimension_count"] == 0
    starter = Framework.objects.get(code="starter")
    detail = api.get(reverse("framework-detail", args=[starter.pk])).json()
    assert detail["version"] == "2025"
    assert "not** the Observatory" in detail["provenance"]


def test_anonymous_is_refused(api, world):
    assert api.get(reverse("indicator-list")).status_code == 403


def test_dimensions_filtered_by_framework(api, world):
    as_user(api, world["observer"])
    data = api.get(reverse("dimension-list"), {"framework": "starter"}).json()
    assert data["count"] == 8
    assert data["results"][0]["code"] == "ECO"
    starter = Framework.objects.get(code="starter")
    assert api.get(reverse("dimension-list"), {"framework": starter.pk}).json()["count"] == 8
    assert api.get(reverse("dimension-list"), {"framework": "sdg"}).json()["count"] == 0


def test_indicator_list_filters(api, world):
    make_custom_indicator(world["editor"], world.workspace, code="LOC-01")
    as_user(api, world["observer"])
    url = reverse("indicator-list")
    assert api.get(url, {"page_size": 200}).json()["count"] == 54  # 48 + 6; never custom ones
    assert api.get(url, {"framework": "sdg"}).json()["count"] == 6
    health = Dimension.objects.get(framework__code="starter", code="HEA")
    rows = api.get(url, {"dimension": health.pk}).json()["results"]
    assert sorted(row["code"] for row in rows) == [f"HEA-0{n}" for n in range(1, 7)]
    rows = api.get(url, {"code": "eco-02"}).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["unit"] == {
        "code": "percent",
        "name": "percent",
        "minimum": "0.000000",
        "maximum": "100.000000",
    }
    assert row["disaggregations"] == ["sex", "age", "urbanisation", "migratory_status"]
    assert row["direction"] == "lower_is_better"
    assert row["workspace"] is None
    assert {r["code"] for r in api.get(url, {"search": "doctors"}).json()["results"]} == {
        "HEA-01",
        "HEA-02",
    }
    assert api.get(url, {"dimension": "x"}).status_code == 400


def test_indicator_detail_has_titles(api, world):
    as_user(api, world["observer"])
    indicator = Indicator.objects.get(framework__code="sdg", code="10.7.2")
    data = api.get(reverse("indicator-detail", args=[indicator.pk])).json()
    assert data["titles"] == {"2020 comprehensive review": indicator.name}
    assert data["value_type"] == "ordinal"
    assert len(data["categories"]) == 4
    custom = make_custom_indicator(world["editor"], world.workspace)
    assert api.get(reverse("indicator-detail", args=[custom.pk])).status_code == 404


def _list(slug: str = "national") -> str:
    return reverse("custom-indicator-list", kwargs={"workspace_slug": slug})


def _detail(pk: int, slug: str = "national") -> str:
    return reverse("custom-indicator-detail", kwargs={"workspace_slug": slug, "pk": pk})


def _payload(**overrides):
    data = {
        "code": "LOC-01",
        "name": "Local measure",
        "dimension": Dimension.objects.get(framework__code="starter", code="ECO").pk,
        "unit_code": "percent",
        "disaggregations": ["migratory_status", "sex"],
        "source_org": "NSO",
    }
    data.update(overrides)
    return data


def test_editor_creates_patches_and_deletes_custom_indicator(api, world):
    as_user(api, world["editor"])
    response = api.post(_list(), _payload(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["workspace"] == "national"
    assert data["unit"]["code"] == "percent"
    assert data["disaggregations"] == ["sex", "migratory_status"]  # in the axes' order
    indicator = Indicator.objects.get(pk=data["id"])
    assert indicator.history.get().history_user == world["editor"]
    response = api.patch(_detail(indicator.pk), {"name": "Renamed"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Renamed"
    assert api.delete(_detail(indicator.pk)).status_code == 204
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_custom_indicator_validation_errors(api, world):
    as_user(api, world["editor"])
    response = api.post(_list(), _payload(code="ECO-01"), format="json")
    assert response.status_code == 400
    assert "catalogue already has" in response.json()["code"][0]
    response = api.post(_list(), _payload(unit_code="furlongs"), format="json")
    assert response.status_code == 400 and "unit_code" in response.json()
    sdg_dimension = Dimension.objects.create(
        framework=Framework.objects.get(code="sdg"), code="S", name="sdg"
    )
    response = api.post(_list(), _payload(dimension=sdg_dimension.pk), format="json")
    assert response.status_code == 400 and "dimension" in response.json()
    response = api.post(
        _list(),
        _payload(value_type="ordinal", categories=["Low"], unit_code="ordinal"),
        format="json",
    )
    assert response.status_code == 400 and "categories" in response.json()
    assert not Indicator.objects.filter(workspace=world.workspace).exists()


def test_custom_indicators_by_role_and_workspace(api, world):
    own = make_custom_indicator(world["editor"], world.workspace, code="LOC-01")
    make_custom_indicator(world["outsider"], world.other, code="ELS-01")
    as_user(api, world["observer"])
    rows = api.get(_list()).json()["results"]
    assert [row["code"] for row in rows] == ["LOC-01"]
    assert api.post(_list(), _payload(code="LOC-02"), format="json").status_code == 403
    assert api.patch(_detail(own.pk), {"name": "x"}, format="json").status_code == 403
    assert api.delete(_detail(own.pk)).status_code == 403
    as_user(api, world["outsider"])
    assert api.get(_list()).status_code == 404
    assert api.get(_detail(own.pk)).status_code == 404
    as_user(api, world["coordinator"])
    assert api.get(_detail(own.pk, slug="elsewhere")).status_code == 404


def test_delete_refused_while_values_exist(api, world):
    indicator = make_custom_indicator(world["editor"], world.workspace)
    Observation.objects.create(
        workspace=world.workspace, indicator=indicator, period="2024", value=Decimal(3)
    )
    response = as_user(api, world["coordinator"]).delete(_detail(indicator.pk))
    assert response.status_code == 400
    assert "cannot be deleted" in response.json()["non_field_errors"][0]
    assert Indicator.objects.filter(pk=indicator.pk).exists()
