"""Stakeholder map pages: filters, who writes, who reads the notes, and the forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.choices import OrganisationKind, ProcessRole
from stakeholders.coordination_models import StakeholderProfile
from tests.querycount import assert_pinned_queries

from .mapping_factories import make_organisation, make_profile

pytestmark = pytest.mark.django_db


def _url(name, world, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"slug": world.workspace.slug, **kwargs})


@pytest.fixture
def mapped(world):
    editor = world["editor"]
    ws = world.workspace
    return {
        "ministry": make_profile(
            editor,
            ws,
            name="Labour Ministry",
            acronym="MLE",
            interest=5,
            influence=5,
            role=ProcessRole.LEAD,
            notes="Talk to the **permanent secretary**.",
        ),
        "diaspora": make_profile(
            editor,
            ws,
            name="Diaspora Union",
            acronym="DU",
            kind=OrganisationKind.DIASPORA,
            interest=5,
            influence=2,
            role=ProcessRole.CONSULTED,
            notes="<script>alert(1)</script>Monthly call.",
        ),
        "un": make_profile(
            editor,
            ws,
            name="UN Team",
            acronym="UNCT",
            kind=OrganisationKind.UN_AGENCY,
            interest=3,
            influence=3,
            role=ProcessRole.DATA_PROVIDER,
        ),
    }


def test_map_shows_grid_and_table(client, world, mapped):
    client.force_login(world["observer"])
    html = client.get(_url("stakeholder_profile_list", world)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="stakeholder-map"' in html
    for name in ("Labour Ministry (MLE)", "Diaspora Union (DU)", "UN Team (UNCT)"):
        assert name in html


def test_map_filter_by_kind_group(client, world, mapped):
    client.force_login(world["editor"])
    html = client.get(_url("stakeholder_profile_list", world), {"group": "diaspora"}).content
    html = html.decode()
    assert "Diaspora Union (DU)" in html
    assert "Labour Ministry" not in html and "UN Team" not in html
    html = client.get(_url("stakeholder_profile_list", world), {"group": "government"}).content
    html = html.decode()
    assert "Labour Ministry (MLE)" in html and "Diaspora Union" not in html


def test_map_filter_by_role(client, world, mapped):
    client.force_login(world["editor"])
    html = client.get(_url("stakeholder_profile_list", world), {"role": "data_provider"})
    html = html.content.decode()
    assert "UN Team (UNCT)" in html and "Labour Ministry" not in html


def test_notes_for_participants_not_observers_and_sanitised(client, world, mapped):
    client.force_login(world["contributor"])
    html = client.get(_url("stakeholder_profile_list", world)).content.decode()
    assert "<strong>permanent secretary</strong>" in html
    assert "Monthly call." in html and "<script>alert(1)</script>" not in html
    client.force_login(world["observer"])
    html = client.get(_url("stakeholder_profile_list", world)).content.decode()
    assert "Labour Ministry (MLE)" in html  # positive control: the row is there
    assert "permanent secretary" not in html


def test_only_editors_see_edit_links(client, world, mapped):
    client.force_login(world["editor"])
    html = client.get(_url("stakeholder_profile_list", world)).content.decode()
    assert _url("stakeholder_profile_create", world) in html
    client.force_login(world["reviewer"])
    html = client.get(_url("stakeholder_profile_list", world)).content.decode()
    assert "Labour Ministry (MLE)" in html
    assert _url("stakeholder_profile_create", world) not in html


def test_create_profile_lists_only_unprofiled_organisations(client, world, mapped):
    free = make_organisation(world.workspace, name="Free Chamber")
    client.force_login(world["editor"])
    html = client.get(_url("stakeholder_profile_create", world)).content.decode()
    assert "Free Chamber" in html and "Labour Ministry" not in html
    response = client.post(
        _url("stakeholder_profile_create", world),
        {"organisation": free.pk, "interest": "2", "influence": "4", "role": "implementer"},
    )
    assert response.status_code == 302
    profile = StakeholderProfile.objects.get(organisation=free)
    assert (profile.interest, profile.influence, profile.role) == (2, 4, "implementer")
    assert profile.history.latest().history_user == world["editor"]


def test_create_profile_errors(client, world):
    client.force_login(world["editor"])
    response = client.post(_url("stakeholder_profile_create", world), {"interest": "7"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose the organisation to place on the map." in html
    assert StakeholderProfile.objects.count() == 0


def test_reviewer_cannot_create(client, world):
    org = make_organisation(world.workspace)
    client.force_login(world["reviewer"])
    response = client.post(
        _url("stakeholder_profile_create", world),
        {"organisation": org.pk, "interest": "2", "influence": "4", "role": "implementer"},
    )
    assert response.status_code == 403
    assert StakeholderProfile.objects.count() == 0


def test_update_and_delete_profile(client, world, mapped):
    profile = mapped["un"]
    client.force_login(world["editor"])
    response = client.post(
        _url("stakeholder_profile_update", world, pk=profile.pk),
        {"interest": "1", "influence": "5", "role": "informed", "notes": "x"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.interest, profile.influence, profile.role) == (1, 5, "informed")
    html = client.get(_url("stakeholder_profile_delete", world, pk=profile.pk)).content.decode()
    assert "Remove UN Team (UNCT) from the stakeholder map?" in html
    assert StakeholderProfile.objects.filter(pk=profile.pk).exists()
    client.post(_url("stakeholder_profile_delete", world, pk=profile.pk))
    assert not StakeholderProfile.objects.filter(pk=profile.pk).exists()
    assert profile.organisation.__class__.objects.filter(pk=profile.organisation_id).exists()


def test_map_page_queries_pinned(client, world):
    client.force_login(world["editor"])

    def add(n):
        for _ in range(n):
            make_profile(world["editor"], world.workspace)

    assert_pinned_queries(
        client, _url("stakeholder_profile_list", world), rows=add, expected=QUERIES_MAP
    )


QUERIES_MAP = 5
