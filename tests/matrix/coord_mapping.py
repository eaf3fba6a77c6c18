"""Permission-matrix rows of coordination (mapping): the stakeholder map, capacity needs and
the national workspace's page of its local workspaces.

In "national" the editor maps an organisation ("m_profile") and records a capacity need
("m_need"); the city coordinator does the same in "city". Statuses are written by hand from
DESIGN §3: everyone with access reads the map and the needs; editors and coordinators write;
in the city workspace the national coordinator only reads (403 on writes); the national
workspace's page of local workspaces is for its members (the city coordinator, not a member,
gets 404), and a local workspace has no such page.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from stakeholders.mapping_services import capacity_need_create, stakeholder_profile_create
from stakeholders.services import organisation_create

from . import C, N, Row, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
PROFILE = "interest=2&influence=3&role=informed"
NEED = "area=data&description=Training&priority=high"
ROWS: list[Row] = [
    # Pages: stakeholder map.
    row("stakeholders:stakeholder_profile_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:stakeholder_profile_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row(
        "stakeholders:stakeholder_profile_create", "GET", "302 200 200 403 403 403 404 404", slug=N
    ),
    row(
        "stakeholders:stakeholder_profile_create",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        data="interest=9",
    ),
    row(
        "stakeholders:stakeholder_profile_create", "GET", "302 403 404 404 404 404 200 404", slug=C
    ),
    row(
        "stakeholders:stakeholder_profile_update",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_profile",
    ),
    row(
        "stakeholders:stakeholder_profile_update",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_profile",
        data=PROFILE,
    ),
    row(
        "stakeholders:stakeholder_profile_update",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="m_city_profile",
        data=PROFILE,
    ),
    row(
        "stakeholders:stakeholder_profile_update",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="m_city_profile",
    ),
    row(
        "stakeholders:stakeholder_profile_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_profile",
    ),
    row(
        "stakeholders:stakeholder_profile_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_profile",
    ),
    # Pages: capacity needs.
    row("stakeholders:capacity_need_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:capacity_need_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("stakeholders:capacity_summary", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:capacity_summary", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("stakeholders:capacity_need_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row(
        "stakeholders:capacity_need_create",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        data=NEED,
    ),
    row("stakeholders:capacity_need_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "stakeholders:capacity_need_update",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_need",
    ),
    row(
        "stakeholders:capacity_need_update",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_need",
        data=NEED,
    ),
    row(
        "stakeholders:capacity_need_update",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="m_city_need",
    ),
    row(
        "stakeholders:capacity_need_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_need",
    ),
    row(
        "stakeholders:capacity_need_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_need",
    ),
    row(
        "stakeholders:capacity_need_met",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_need",
    ),
    row(
        "stakeholders:capacity_need_met",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="m_city_need",
    ),
    # Vertical coordination.
    row("mainstreaming:local_workspaces", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("mainstreaming:local_workspaces", "GET", "302 404 404 404 404 404 404 404", slug=C),
    # API.
    row("stakeholder-profile-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("stakeholder-profile-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "stakeholder-profile-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row(
        "stakeholder-profile-list",
        "POST",
        "403 403 404 404 404 404 400 404",
        workspace_slug=C,
        data="{}",
    ),
    row(
        "stakeholder-profile-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="m_profile",
    ),
    row(
        "stakeholder-profile-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="m_city_profile",
    ),
    row(
        "stakeholder-profile-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="m_profile",
        data='{"interest": 4}',
    ),
    row(
        "stakeholder-profile-detail",
        "PUT",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        pk="m_profile",
        data="{}",
    ),
    row(
        "stakeholder-profile-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="m_profile",
    ),
    row("capacity-need-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row(
        "capacity-need-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("capacity-need-summary", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("capacity-need-summary", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "capacity-need-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="m_need",
    ),
    row(
        "capacity-need-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="m_need",
        data='{"met": true}',
    ),
    row(
        "capacity-need-detail",
        "PATCH",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        pk="m_city_need",
        data='{"met": true}',
    ),
    row(
        "capacity-need-detail",
        "PUT",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        pk="m_need",
        data="{}",
    ),
    row(
        "capacity-need-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="m_need",
    ),
]


def _routed(name: str, **kwargs: str) -> bool:
    try:
        reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True


# The API of the local workspaces is included by mainstreaming/api_urls.py (the lead wires
# `mainstreaming.views.vertical.api_urlpatterns`); its rows apply once it is routed.
if _routed("local-workspace-list", workspace_slug="x"):
    ROWS += [
        row("local-workspace-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
        row("local-workspace-list", "GET", "403 404 404 404 404 404 404 404", workspace_slug=C),
    ]


def targets(world: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, workspace, actor in (
        ("m", world.workspace, world["editor"]),
        ("m_city", world.city, world["citycoordinator"]),
    ):
        mapped = organisation_create(
            actor=None, workspace=workspace, name=f"Mapped {key}", kind="cso", country="SEN"
        )
        profile = stakeholder_profile_create(
            actor=actor,
            workspace=workspace,
            organisation=mapped,
            interest=3,
            influence=3,
            role="consulted",
        )
        need = capacity_need_create(
            actor=actor,
            workspace=workspace,
            organisation=mapped,
            area="data",
            description="Survey training",
            priority="high",
        )
        found[f"{key}_profile"] = str(profile.pk)
        found[f"{key}_need"] = str(need.pk)
    return found
