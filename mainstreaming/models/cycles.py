"""The planning cycle, its stage sign-offs and its situation analysis."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from stakeholders.models import Workspace
from stakeholders.review import Reviewable

from ..choices import CycleStage, EvidenceKind

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class Cycle(TimestampedModel):
    """One round of mainstreaming migration into a development plan, over a period of years."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="cycles"
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    plan = models.TextField(
        _("plan it feeds"),
        blank=True,
        help_text=_("The national or local development plan this cycle feeds into."),
    )
    current_stage = models.CharField(
        _("current stage"),
        max_length=32,
        choices=CycleStage.choices,
        default=CycleStage.SITUATION_ANALYSIS,
    )
    completed_at = models.DateTimeField(
        _("completed"),
        null=True,
        blank=True,
        help_text=_("Set when the last stage is signed off."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("planning cycle")
        verbose_name_plural = _("planning cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="cycle_end_not_before_start",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.CheckConstraint(
                condition=Q(current_stage__in=CycleStage.values), name="cycle_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:cycle_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class StageSignoff(models.Model):
    """The coordinator's sign-off of one stage of a cycle, once all its items are approved."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="signoffs"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=32, choices=CycleStage.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("stage sign-off")
        verbose_name_plural = _("stage sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="signoff_once_per_stage"),
            models.CheckConstraint(
                condition=Q(stage__in=CycleStage.values), name="signoff_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_stage_display()}"


class SituationSection(Reviewable, TimestampedModel):
    """One chapter of a cycle's situation analysis (e.g. "Data availability and gaps")."""

    review_fields = ("title", "narrative")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="sections"
    )
    # Denormalised from the cycle so that restrict() filters without a join.
    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="situation_sections",
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["cycle", "position", "pk"]
        verbose_name = _("situation analysis section")
        verbose_name_plural = _("situation analysis sections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:section_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        if self.cycle_id and self.workspace_id and self.cycle.workspace_id != self.workspace_id:
            raise ValidationError({"cycle": _("The section must be in its cycle's workspace.")})


def evidence_upload_to(evidence: Evidence, filename: str) -> str:
    # A random directory per file: names never collide and cannot be guessed from another's.
    return f"evidence/{evidence.workspace_id}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Evidence(models.Model):
    """A document, a web link or an indicator of the workspace that backs a situation-analysis
    section (an indicator's evidence is its data: readers see what they may see of its values).

    Evidence added while a new version of the section is in draft carries that version, so readers
    of the approved snapshot see only evidence added up to the approved version.
    """

    section = models.ForeignKey(
        SituationSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=500, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    edition = models.ForeignKey(
        "profiles.Edition",
        verbose_name=_("migration profile edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    added_in_version = models.PositiveIntegerField(_("added in version"), default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["section", "created_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=EvidenceKind.DOCUMENT)
                    & ~Q(file="")
                    & Q(url="")
                    & Q(indicator__isnull=True)
                    & Q(edition__isnull=True)
                )
                | (
                    Q(kind=EvidenceKind.LINK)
                    & ~Q(url="")
                    & Q(file="")
                    & Q(indicator__isnull=True)
                    & Q(edition__isnull=True)
                )
                | (
                    Q(kind=EvidenceKind.INDICATOR)
                    & Q(indicator__isnull=False)
                    & Q(url="")
                    & Q(file="")
                    & Q(edition__isnull=True)
                )
                | (
                    Q(kind=EvidenceKind.PROFILE)
                    & Q(edition__isnull=False)
                    & Q(indicator__isnull=True)
                    & Q(url="")
                    & Q(file="")
                ),
                name="evidence_kind_has_its_content",
                violation_error_message=_(
                    "A document needs a file, a link a web address, an indicator evidence an "
                    "indicator, a profile evidence a published edition."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.section_id and self.workspace_id and self.section.workspace_id != self.workspace_id:
            raise ValidationError(
                {"section": _("The evidence must be in its section's workspace.")}
            )
        if (
            self.indicator is not None
            and self.indicator.workspace_id is not None
            and self.indicator.workspace_id != self.workspace_id
        ):
            raise ValidationError(
                {"indicator": _("Choose a catalogue indicator or one of this workspace's own.")}
            )
