"""The planning cycle: from situation analysis to monitoring and evaluation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from stakeholders.models import Workspace
from stakeholders.review import Reviewable

from .choices import CycleStage

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

    def clean(self) -> None:
        if self.cycle_id and self.workspace_id and self.cycle.workspace_id != self.workspace_id:
            raise ValidationError({"cycle": _("The section must be in its cycle's workspace.")})
