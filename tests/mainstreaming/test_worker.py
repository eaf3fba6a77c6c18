"""Tasks on a real Celery worker (not eager): the embedded filesystem broker or Redis in CI."""

import pytest
from django.conf import settings
from django.core import mail

from stakeholders.choices import Role
from stakeholders.models import Membership
from stakeholders.services import invitation_create
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
