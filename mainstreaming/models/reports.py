"""PDF reports rendered by background jobs, their downloads, and scheduled reports (DESIGN §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Workspace

from ..choices import (
    REPORT_IN_PROGRESS,
    ReportKind,
    ReportStatus,
    RightsLevel,
    ScheduleFrequency,
)


def report_upload_to(instance: Report, filename: str) -> str:
    return f"reports/{instance.workspace_id}/{filename}"


class Report(models.Model):
    """One request for a PDF report and the job that renders it.

    `parameters_key` is a digest of the kind's parameters: a request identical in kind,
    parameters and rights level to a queued or running report returns that report instead of
    starting another (a partial unique constraint makes that hold under concurrency too).
    """

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    parameters_key = models.CharField(_("parameters digest"), max_length=64)
    rights_level = models.CharField(_("rights level"), max_length=10, choices=RightsLevel.choices)
    language = models.CharField(_("language"), max_length=10, default="en")
    title = models.CharField(_("title"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    schedule = models.ForeignKey(
        "ReportSchedule",
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["workspace", "status"], name="report_ws_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rights_level__in=RightsLevel.values), name="report_rights_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.UniqueConstraint(
                fields=["workspace", "kind", "parameters_key", "rights_level", "language"],
                condition=Q(status__in=REPORT_IN_PROGRESS),
                name="report_one_in_progress_per_request",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:report_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )


class ReportDownload(models.Model):
    """Every download of a report's file (who and when)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    downloaded_at = models.DateTimeField(_("downloaded"), auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")

    def __str__(self) -> str:
        return f"{self.report} · {self.user}"


class ReportSchedule(models.Model):
    """A report a coordinator has produced every month or quarter (Celery beat); subscribers get
    an e-mail with the link when it is ready."""

    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="report_schedules",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    rights_level = models.CharField(
        _("rights level"),
        max_length=10,
        choices=RightsLevel.choices,
        default=RightsLevel.APPROVED,
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    frequency = models.CharField(_("frequency"), max_length=10, choices=ScheduleFrequency.choices)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subscribers"),
        blank=True,
        related_name="report_subscriptions",
    )
    last_run_at = models.DateTimeField(_("last produced"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["workspace", "kind", "pk"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=ScheduleFrequency.values), name="schedule_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="schedule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_frequency_display()}"
