"""Capacity needs: the summary's counts, mark met, filters, and who writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from stakeholders.choices import CapacityArea, NeedPriority
from stakeholders.coordination_models import CapacityNeed
from stakeholders.mapping_selectors import capacity_summary
from stakeholders.mapping_services import capacity_need_create, capacity_need_mark_met
from tests.querycount import assert_pinned_queries

from .mapping_factories import make_need, make_organisation

pytestmark = pytest.mark.django_db


def _url(name, world, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"slug": world.workspace.slug, **kwargs})


@pytest.fixture
def needs(world):
    editor, ws = world["editor"], world.workspace
    nso = make_organisation(ws, name="Statistics Office")
    city = make_organisation(ws, name="City Hall")
    made = [
        make_need(editor, ws, organisation=nso, area=CapacityArea.DATA, priority=NeedPriority.HIGH),
        make_need(editor, ws, organisation=nso, area=CapacityArea.DATA, priority=NeedPriority.HIGH),
        make_need(editor, ws, organisation=nso, area=CapacityArea.DATA, priority=NeedPriority.LOW),
        make_need(
            editor,
            ws,
            organisation=city,
            area=CapacityArea.POLICY,
            priority=NeedPriority.MEDIUM,
            description="Draft a local migration policy.",
        ),
    ]
    capacity_need_mark_met(actor=editor, need=made[2])
    return {"nso": nso, "city": city, "needs": made}


def test_summary_counts(world, needs):
    summary = capacity_summary(user=world["observer"], workspace=world.workspace)
    by_area = {row.area: row for row in summary.areas}
    assert by_area["data"].by_priority == {"high": 2, "medium": 0, "low": 1}
    assert (by_area["data"].open, by_area["data"].met) == (2, 1)
    assert by_area["policy"].by_priority == {"high": 0, "medium": 1, "low": 0}
    assert by_area["analysis"].total == 0
    assert (summary.total, summary.open, summary.met) == (4, 3, 1)
    assert summary.priority_totals == [2, 1, 1]
    orgs = {row.name: (row.open, row.met) for row in summary.organisations}
    assert orgs == {"Statistics Office": (2, 1), "City Hall": (1, 0)}


def test_summary_not_counting_other_workspaces(world, needs):
    make_need(world["outsider"], world.other, area=CapacityArea.ANALYSIS)
    summary = capacity_summary(user=world["coordinator"], workspace=world.workspace)
    assert summary.total == 4
    assert capacity_summary(user=world["outsider"], workspace=world.other).total == 1


def test_summary_page_shows_chart_and_table(client, world, needs):
    client.force_login(world["observer"])
    html = client.get(_url("capacity_summary", world)).content.decode()
    assert 'id="capacity-summary"' in html and "Bar chart of 3 series" in html
    assert "4 needs recorded: 3 open, 1 met." in html


def test_list_filters(client, world, needs):
    client.force_login(world["reviewer"])
    html = client.get(_url("capacity_need_list", world), {"area": "policy"}).content.decode()
    assert "Draft a local migration policy." in html and "survey sampling" not in html
    html = client.get(_url("capacity_need_list", world), {"status": "met"}).content.decode()
    assert "1 capacity need" in html and "Draft a local migration policy." not in html
    html = client.get(
        _url("capacity_need_list", world), {"organisation": needs["city"].pk}
    ).content.decode()
    assert "Draft a local migration policy." in html and "survey sampling" not in html
    html = client.get(_url("capacity_need_list", world), {"priority": "high"}).content.decode()
    assert "2 capacity needs" in html


def test_mark_met_and_reopen(client, world, needs):
    need = needs["needs"][0]
    client.force_login(world["editor"])
    assert client.post(_url("capacity_need_met", world, pk=need.pk)).status_code == 302
    need.refresh_from_db()
    assert need.met is True
    client.post(_url("capacity_need_met", world, pk=need.pk), {"met": "0"})
    need.refresh_from_db()
    assert need.met is False


def test_only_edit_writes(client, world, needs):
    need = needs["needs"][0]
    for role in ("reviewer", "contributor", "observer"):
        client.force_login(world[role])
        assert client.post(_url("capacity_need_met", world, pk=need.pk)).status_code == 403
    need.refresh_from_db()
    assert need.met is False
    with pytest.raises(PermissionDenied):
        capacity_need_create(
            actor=world["contributor"],
            workspace=world.workspace,
            organisation=needs["nso"],
            area="data",
            description="x",
            priority="low",
        )


def test_create_update_delete_through_pages(client, world, needs):
    client.force_login(world["editor"])
    response = client.post(
        _url("capacity_need_create", world),
        {
            "organisation": needs["city"].pk,
            "area": "coordination",
            "description": "A secretariat",
            "priority": "high",
            "planned_support": "",
            "supported_by": "",
        },
    )
    assert response.status_code == 302
    need = CapacityNeed.objects.get(description="A secretariat")
    assert need.history.latest().history_user == world["editor"]
    client.post(
        _url("capacity_need_update", world, pk=need.pk),
        {
            "organisation": needs["city"].pk,
            "area": "coordination",
            "description": "A secretariat",
            "priority": "low",
            "planned_support": "Two staff",
            "supported_by": needs["nso"].pk,
        },
    )
    need.refresh_from_db()
    assert (need.priority, need.supported_by) == ("low", needs["nso"])
    assert (
        "Delete the Coordination need of City Hall?"
        in client.get(_url("capacity_need_delete", world, pk=need.pk)).content.decode()
    )
    client.post(_url("capacity_need_delete", world, pk=need.pk))
    assert not CapacityNeed.objects.filter(pk=need.pk).exists()


def test_create_refuses_another_workspaces_organisation(client, world):
    foreign = world.other.organisations.first()
    client.force_login(world["editor"])
    response = client.post(
        _url("capacity_need_create", world),
        {"organisation": foreign.pk, "area": "data", "description": "x", "priority": "low"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert CapacityNeed.objects.count() == 0


def test_need_list_queries_pinned(client, world):
    client.force_login(world["editor"])

    def add(n):
        for _ in range(n):
            make_need(world["editor"], world.workspace)

    assert_pinned_queries(client, _url("capacity_need_list", world), rows=add, expected=7)
