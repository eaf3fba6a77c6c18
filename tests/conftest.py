"""Shared fixtures: one national workspace with a user per role, its city workspace, and an
outsider who coordinates a workspace never linked to the first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings
from django.utils import translation

from mainstreaming.celery import app as celery_app
from stakeholders.choices import Role
from stakeholders.models import User, Workspace

from .factories import LocalWorkspaceFactory, MembershipFactory, WorkspaceFactory

ROLES = [role.value for role in Role]


@dataclass
class World:
    workspace: Workspace
    city: Workspace
    other: Workspace
    users: dict[str, User]

    def __getitem__(self, name: str) -> User:
        return self.users[name]


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """A request in French leaves French active in the thread: every test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded files (evidence documents) go to a temporary folder, never to var/media.

    Session-wide, so that fixtures of wider scope (the permission matrix's world) use it too.
    """
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> object:
    """Unit tests run tasks eagerly; tests marked `real_worker` talk to a real worker."""
    if "real_worker" in request.keywords:
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The shared set-up; call it directly only where a fixture of wider scope needs it."""
    workspace = WorkspaceFactory(slug="national", name="National workspace", country="SEN")
    city = LocalWorkspaceFactory(
        slug="city", name="City workspace", parent=workspace, locality="Dakar"
    )
    other = WorkspaceFactory(slug="elsewhere", name="Unlinked workspace", country="PHL")
    users: dict[str, User] = {}
    for role in ROLES:
        users[role] = MembershipFactory(workspace=workspace, role=role, user__username=role).user
    users["citycoordinator"] = MembershipFactory(
        workspace=city, role=Role.COORDINATOR, user__username="citycoordinator"
    ).user
    users["outsider"] = MembershipFactory(
        workspace=other, role=Role.COORDINATOR, user__username="outsider"
    ).user
    return World(workspace=workspace, city=city, other=other, users=users)


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


# A real Celery worker for `real_worker` tests (tests/worker.py).
from .worker import celery_worker_factory, celery_worker_process  # noqa: E402, F401


@pytest.fixture(scope="session")
def browser_type_launch_args() -> Iterator[dict[str, object]]:
    """pytest-playwright: Debian's Chromium, never a downloaded browser (ENVIRONMENT.md).

    Once Playwright's sync API has started, its event loop runs in the main thread until the
    session ends, so every later database access (test set-up and flushes included) must be
    allowed explicitly. The setting is scoped to the sessions that launch a browser.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield {
            "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            "args": [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        }


@pytest.fixture(autouse=True)
def _data_of_the_migrations(request: pytest.FixtureRequest) -> None:
    """Put back what the data migrations load (indicator catalogue, profile presets, default
    concerns) for transactional tests: a transactional test before them flushed the tables.

    Django's serialized rollback would do it, but it clashes with the content types that the
    flush re-creates, so the loaders of the migrations are called again instead.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps as registry

    from indicators.catalogue import load_starter_catalogue
    from profiles.presets import load_presets

    if not registry.get_model("indicators", "Framework").objects.exists():
        load_starter_catalogue(importlib.import_module("indicators.models"))
    load_presets(
        registry.get_model("profiles", "ProfileTemplate"),
        registry.get_model("profiles", "TemplateSection"),
    )
    concerns = importlib.import_module("mainstreaming.migrations.0003_default_concerns")
    concerns.add_defaults(registry, None)
