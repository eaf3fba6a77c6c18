"""Every URL of the site and the API × every role, with hand-written expected statuses.

Columns (in this order): anonymous, coordinator, editor, reviewer, contributor, observer of the
national workspace "national"; citycoordinator (coordinator of its local workspace "city");
outsider (coordinator of "elsewhere", never linked to the others).

The expected statuses are written by hand from DESIGN.md §3, never computed from `can()`.
`test_every_url_pattern_has_a_row` fails when a URL pattern has neither a row nor a reason to be
left out, so no view ships untested.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.choices import Role
from stakeholders.models import Membership
from stakeholders.services import invitation_create

from .conftest import World, build_world
from .matrix import AREAS, COLUMNS, C, N, Row, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
MATRIX = [
    # Accounts and public pages.
    row("login", "GET", "200 200 200 200 200 200 200 200"),
    row("logout", "POST", "302 302 302 302 302 302 302 302"),
    row("password_reset", "GET", "200 200 200 200 200 200 200 200"),
    row("password_reset_done", "GET", "200 200 200 200 200 200 200 200"),
    row("password_reset_complete", "GET", "200 200 200 200 200 200 200 200"),
    row("password_change", "GET", "302 200 200 200 200 200 200 200"),
    row("password_change_done", "GET", "302 200 200 200 200 200 200 200"),
    row("account", "GET", "302 200 200 200 200 200 200 200"),
    row("set_language", "POST", "302 302 302 302 302 302 302 302", data="language=fr"),
    row("stakeholders:invitation_accept", "GET", "200 200 200 200 200 200 200 200", token="token"),
    # Pages of the national workspace.
    row("mainstreaming:workspace_list", "GET", "302 200 200 200 200 200 200 200"),
    row("mainstreaming:workspace_home", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:workspace_update", "GET", "302 200 403 403 403 403 404 404", slug=N),
    row("stakeholders:workspace_update", "POST", "302 200 403 403 403 403 404 404", slug=N),
    row("stakeholders:membership_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:invitation_create", "GET", "302 200 403 403 403 403 404 404", slug=N),
    row("stakeholders:invitation_create", "POST", "302 200 403 403 403 403 404 404", slug=N),
    row(
        "stakeholders:membership_update",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="membership",
    ),
    row(
        "stakeholders:membership_update",
        "POST",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="membership",
    ),
    row(
        "stakeholders:membership_delete",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="membership",
    ),
    row(
        "stakeholders:membership_delete",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="membership",
    ),
    row(
        "stakeholders:invitation_revoke",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="invitation",
    ),
    row(
        "stakeholders:invitation_revoke",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="invitation",
    ),
    row("stakeholders:organisation_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:organisation_create", "GET", "302 200 403 403 403 403 404 404", slug=N),
    row("stakeholders:organisation_create", "POST", "302 200 403 403 403 403 404 404", slug=N),
    row(
        "stakeholders:organisation_detail",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="organisation",
    ),
    row(
        "stakeholders:organisation_update",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="organisation",
    ),
    row(
        "stakeholders:organisation_update",
        "POST",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="organisation",
    ),
    row("stakeholders:activity", "GET", "302 200 403 403 403 403 404 404", slug=N),
    # The local workspace: its coordinator may do everything; the national coordinator only
    # reads (DESIGN §3 exception); the national workspace's other members see nothing.
    row("mainstreaming:workspace_home", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("stakeholders:membership_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("stakeholders:organisation_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row(
        "stakeholders:organisation_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="city_organisation",
    ),
    row("stakeholders:workspace_update", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row("stakeholders:invitation_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row("stakeholders:organisation_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "stakeholders:organisation_update",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="city_organisation",
    ),
    row(
        "stakeholders:membership_update",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="city_membership",
    ),
    row(
        "stakeholders:membership_delete",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="city_membership",
    ),
    row("stakeholders:activity", "GET", "302 403 404 404 404 404 200 404", slug=C),
    # Another workspace's object under this workspace's address is not found.
    row(
        "stakeholders:organisation_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        pk="foreign_organisation",
    ),
    row(
        "stakeholders:membership_update",
        "GET",
        "302 404 403 403 403 403 404 404",
        slug=N,
        pk="foreign_membership",
    ),
    # API.
    row("api-root", "GET", "403 200 200 200 200 200 200 200"),
    row("api-token", "POST", "400 400 400 400 400 400 400 400"),
    row("workspace-list", "GET", "403 200 200 200 200 200 200 200"),
    row("workspace-detail", "GET", "403 200 200 200 200 200 404 404", slug=N),
    row(
        "workspace-detail",
        "PATCH",
        "403 200 403 403 403 403 404 404",
        slug=N,
        data='{"description": "Updated"}',
    ),
    row("workspace-detail", "GET", "403 200 404 404 404 404 200 404", slug=C),
    row(
        "workspace-detail",
        "PATCH",
        "403 403 404 404 404 404 200 404",
        slug=C,
        data='{"description": "Updated"}',
    ),
    row("organisation-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row(
        "organisation-list", "POST", "403 400 403 403 403 403 404 404", workspace_slug=N, data="{}"
    ),
    row(
        "organisation-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="organisation",
    ),
    row(
        "organisation-detail",
        "PATCH",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="organisation",
        data='{"website": "https://example.org"}',
    ),
    row(
        "organisation-detail",
        "PUT",
        "403 400 403 403 403 403 404 404",
        workspace_slug=N,
        pk="organisation",
        data="{}",
    ),
    row(
        "organisation-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="foreign_organisation",
    ),
    row("organisation-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row("membership-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row(
        "membership-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="membership",
    ),
    row(
        "membership-detail",
        "PATCH",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="membership",
        data='{"focal_point": true}',
    ),
    row(
        "membership-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="membership",
    ),
    row(
        "membership-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="foreign_membership",
    ),
    row("invitation-list", "GET", "403 200 403 403 403 403 404 404", workspace_slug=N),
    row("invitation-list", "POST", "403 400 403 403 403 403 404 404", workspace_slug=N, data="{}"),
    row(
        "invitation-detail",
        "GET",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="invitation",
    ),
    row(
        "invitation-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="invitation",
    ),
    row("invitation-list", "GET", "403 403 404 404 404 404 200 404", workspace_slug=C),
]

_AREA_MODULES = [importlib.import_module(f"tests.matrix.{area}") for area in AREAS]
for _module in _AREA_MODULES:
    MATRIX.extend(_module.ROWS)

# URL patterns deliberately without a row, each with its reason.
EXCLUDED = {
    "password_reset_confirm": "needs a one-time token: tests/stakeholders/test_accounts.py",
    "schema": "the OpenAPI document is public by design and holds no workspace data",
    "swagger-ui": "static API documentation page, public by design, holds no workspace data",
}
EXCLUDED_NAMESPACES = {"admin": "Django admin: staff only, guarded by Django's own admin checks"}
EXCLUDED_PREFIXES = {
    "static/": "static files",
    "media/": "no media is ever routed; files are served by access-checked views",
}


def _cases() -> list[tuple[Row, str]]:
    return [(r, role) for r in MATRIX for role in COLUMNS]


@pytest.fixture(scope="module")
def _matrix_data(django_db_setup, django_db_blocker) -> Iterator[tuple[World, dict[str, str]]]:
    """The world and its targets, built once for the whole matrix.

    Built inside a transaction that is rolled back when the module ends; each case runs in its
    own savepoint (pytest-django's `db`), so a POST in one case never leaks into the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world, _targets(world)
        transaction.set_rollback(True)


@pytest.fixture
def world(_matrix_data, db) -> World:
    return _matrix_data[0]


@pytest.fixture
def targets(_matrix_data, db) -> dict[str, str]:
    return _matrix_data[1]


def _targets(world: World) -> dict[str, str]:
    national, city = world.workspace, world.city
    _invitation, token = invitation_create(
        actor=world["coordinator"],
        workspace=national,
        email="invitee@example.org",
        role=Role.EDITOR,
        organisation=national.organisations.first(),
    )
    found = {
        "membership": str(Membership.objects.get(user=world["observer"], workspace=national).pk),
        "city_membership": str(
            Membership.objects.get(user=world["citycoordinator"], workspace=city).pk
        ),
        "foreign_membership": str(
            Membership.objects.get(user=world["outsider"], workspace=world.other).pk
        ),
        "organisation": str(national.organisations.first().pk),
        "city_organisation": str(city.organisations.first().pk),
        "foreign_organisation": str(world.other.organisations.first().pk),
        "invitation": str(_invitation.pk),
        "token": token,
    }
    for module in _AREA_MODULES:
        found.update(module.targets(world))
    return found


@pytest.mark.parametrize(
    ("case", "role"),
    _cases(),
    ids=[f"{r.method} {r.name} {dict(r.kwargs)} {role}" for r, role in _cases()],
)
def test_permission_matrix(client, world, targets, case: Row, role: str):
    kwargs = {key: targets.get(value, value) for key, value in case.kwargs}
    url = reverse(case.name, kwargs=kwargs)
    if role != "anonymous":
        client.force_login(world[role])
    is_api = url.startswith("/api/")
    if is_api:
        response = client.generic(
            case.method,
            url,
            case.data or "",
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
    elif case.method == "POST":
        from urllib.parse import parse_qsl

        response = client.post(url, dict(parse_qsl(case.data)))
    else:
        response = client.generic(case.method, url)
    expected = case.statuses()[role]
    assert response.status_code == expected, (
        f"{case.method} {url} as {role}: expected {expected}, got {response.status_code}"
    )
    if expected == 302 and role == "anonymous" and case.method == "GET":
        assert response["Location"].startswith("/accounts/login/")


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            full = f"{namespace}:{name}" if namespace and name else name
            yield prefix + str(pattern.pattern), namespace, full


def test_every_url_pattern_has_a_row():
    covered = {r.name for r in MATRIX}
    missing = []
    for route, namespace, name in _patterns(get_resolver()):
        if namespace in EXCLUDED_NAMESPACES:
            continue
        if any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
            continue
        if name in EXCLUDED:
            continue
        if name is None or name not in covered:
            missing.append(f"{route} (name={name})")
    assert not missing, "URL patterns without a permission-matrix row:\n" + "\n".join(missing)


def test_matrix_rows_are_well_formed():
    for case in MATRIX:
        case.statuses()
        if case.data.startswith("{"):
            json.loads(case.data)
    assert len(MATRIX) > 60
