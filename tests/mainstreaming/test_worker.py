"""Tasks on a real Celery worker (not eager): the embedded filesystem broker or Redis in CI."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from mainstreaming.services.cycles import cycle_create, cycle_update
from stakeholders.choices import Role
from stakeholders.models import Membership
from stakeholders.services import invitation_create
from tests.conftest import services_required
from tests.worker import CeleryWorkerProcess


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_invitation_create_real_worker_emails_the_link(
    world, celery_worker_process: CeleryWorkerProcess
) -> None:
    coordinator = world["coordinator"]
    organisation = Membership.objects.get(user=coordinator, workspace=world.workspace).organisation

    invitation, token = invitation_create(
        actor=coordinator,
        workspace=world.workspace,
        email="new.member@example.org",
        role=Role.EDITOR,
        organisation=organisation,
        language="en",
    )

    [message] = celery_worker_process.wait_for_mail(timeout=60)
    assert message.to == ["new.member@example.org"]
    assert f"/invitations/{token}/" in message.body
    assert invitation.workspace.name in message.subject + message.body
    # The worker sent it, not this process: the worker logged the task and our outbox is empty.
    broker = "redis://" if settings.REDIS_URL else "filesystem://"
    assert f"Connected to {broker}" in celery_worker_process.log()
    assert "invitation_send_task" in celery_worker_process.log()
    assert "succeeded" in celery_worker_process.log()
    assert mail.outbox == []


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_summary_refresh_real_worker_fills_the_shared_cache(
    world, client, settings, celery_worker_factory
) -> None:
    """Refresh ahead across processes: the worker renders the observer's home into the cache
    this process reads (Redis), after a write committed here."""
    if not settings.REDIS_URL:
        if services_required():
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("refresh ahead needs a cache shared with the worker (REDIS_URL)")
    settings.SUMMARY_REFRESH = True
    settings.SUMMARY_CACHE_SECONDS = 300
    cache.clear()  # no reader or waiting refresh left by an earlier test on a reused id
    worker = celery_worker_factory(SUMMARY_REFRESH="1")
    cycle = cycle_create(
        actor=world["editor"], workspace=world.workspace, title="Cycle 2025–2029",
        start_year=2025, end_year=2029,
    )  # fmt: skip
    home = reverse("mainstreaming:workspace_home", kwargs={"slug": world.workspace.slug})
    client.force_login(world["observer"])
    assert client.get(home).context["summary_cached"] is False  # the observer is remembered

    cycle_update(actor=world["editor"], cycle=cycle, title="Renamed by the editor")

    deadline = time.monotonic() + 60
    while not any(
        "summary_refresh_task[" in line and "succeeded" in line
        for line in worker.log().splitlines()
    ):
        if time.monotonic() > deadline:
            pytest.fail(f"No refresh after 60 s:\n{worker.log()}")
        time.sleep(0.2)
    response = client.get(home)
    assert response.context["summary_cached"] is True  # rendered by the worker
    assert "Renamed by the editor" in response.content.decode()
