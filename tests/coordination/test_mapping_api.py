"""API of stakeholder mapping and capacity needs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.coordination_models import CapacityNeed, StakeholderProfile
from tests.querycount import assert_pinned_queries

from .mapping_factories import make_need, make_organisation, make_profile

pytestmark = pytest.mark.django_db


def _url(name, world, workspace=None, **kwargs):
    slug = (workspace or world.workspace).slug
    return reverse(name, kwargs={"workspace_slug": slug, **kwargs})


def test_profile_crud_and_notes(client, world):
    org = make_organisation(world.workspace, name="Diaspora Forum", kind="diaspora")
    client.force_login(world["editor"])
    response = client.post(
        _url("stakeholder-profile-list", world),
        {
            "organisation": org.pk,
            "interest": 4,
            "influence": 2,
            "role": "consulted",
            "notes": "Call in May",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind_group"], data["notes"]) == ("diaspora", "Call in May")
    detail = _url("stakeholder-profile-detail", world, pk=data["id"])
    assert client.patch(detail, {"interest": 6}, content_type="application/json").status_code == 400
    assert (
        client.patch(detail, {"interest": 5}, content_type="application/json").json()["interest"]
        == 5
    )
    client.force_login(world["observer"])
    observed = client.get(detail).json()
    assert observed["interest"] == 5 and observed["notes"] is None
    assert (
        client.get(_url("stakeholder-profile-list", world), {"group": "government"}).json()["count"]
        == 0
    )
    assert (
        client.get(_url("stakeholder-profile-list", world), {"group": "diaspora"}).json()["count"]
        == 1
    )
    client.force_login(world["editor"])
    assert client.delete(detail).status_code == 204
    assert not StakeholderProfile.objects.exists()


def test_profile_refuses_foreign_organisation(client, world):
    foreign = world.other.organisations.first()
    client.force_login(world["editor"])
    response = client.post(
        _url("stakeholder-profile-list", world),
        {"organisation": foreign.pk, "interest": 4, "influence": 2, "role": "consulted"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "organisation" in response.json()


def test_need_crud_and_summary(client, world):
    org = make_organisation(world.workspace, name="Stats")
    client.force_login(world["editor"])
    response = client.post(
        _url("capacity-need-list", world),
        {"organisation": org.pk, "area": "data", "description": "GIS", "priority": "high"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    client.patch(
        _url("capacity-need-detail", world, pk=pk), {"met": True}, content_type="application/json"
    )
    assert CapacityNeed.objects.get(pk=pk).met is True
    make_need(world["editor"], world.workspace, organisation=org, area="policy", priority="low")
    summary = client.get(_url("capacity-need-summary", world)).json()
    assert (summary["total"], summary["open"], summary["met"]) == (2, 1, 1)
    by_area = {row["area"]: row for row in summary["areas"]}
    assert by_area["data"]["by_priority"] == {"high": 1, "medium": 0, "low": 0}
    assert client.get(_url("capacity-need-list", world), {"met": "false"}).json()["count"] == 1


def test_profile_list_queries_pinned(client, world):
    client.force_login(world["editor"])

    def add(n):
        for _ in range(n):
            make_profile(world["editor"], world.workspace)

    assert_pinned_queries(client, _url("stakeholder-profile-list", world), rows=add, expected=6)


def test_need_list_queries_pinned(client, world):
    client.force_login(world["editor"])

    def add(n):
        for _ in range(n):
            make_need(world["editor"], world.workspace)

    assert_pinned_queries(client, _url("capacity-need-list", world), rows=add, expected=6)
