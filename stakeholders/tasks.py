"""Thin Celery tasks: ids in, fetch, one service call, safe to run twice."""

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .cache import refresh_summaries, schedule_daily_refresh
from .choices import InvitationStatus
from .models import Invitation


@shared_task(
    bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def invitation_send_task(self: Task, invitation_id: int, token: str, language: str) -> None:
    """E-mail the invitation link. Nothing is sent for an invitation no longer pending."""
    from .services import invitation_url

    invitation = (
        Invitation.objects.select_related("workspace", "organisation", "invited_by")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return
    with translation.override(language):
        context = {"invitation": invitation, "url": invitation_url(token)}
        subject = render_to_string("stakeholders/email/invitation_subject.txt", context).strip()
        body = render_to_string("stakeholders/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@shared_task(
    bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def review_notify_task(self: Task, event_ids: list[int]) -> None:
    """E-mail the people concerned by a batch of review events, once each (idempotent)."""
    from .review import review_notify

    review_notify(event_ids=event_ids)


@shared_task(ignore_result=True)
def summary_refresh_task(workspace_id: int) -> int:
    """Render the workspace's cached summaries again for its recent readers (refresh ahead,
    `stakeholders.cache`). Safe to run twice: an entry already there is left alone."""
    return refresh_summaries(workspace_id)


@shared_task(ignore_result=True)
def summary_refresh_daily_task() -> int:
    """Celery beat, just after midnight: a refresh for every workspace with recent readers."""
    return schedule_daily_refresh()
