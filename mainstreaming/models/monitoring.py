"""Monitoring and evaluation: key performance indicators, their targets and progress updates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.periods import validate_period
from stakeholders.models import Organisation, Workspace
from stakeholders.review import Reviewable

from ..choices import Direction
from .cycles import YEAR_VALIDATORS, Cycle
from .planning import Action, Objective


class KPI(Reviewable, TimestampedModel):
    """A key performance indicator of an objective or action, with baseline and yearly targets.

    `targets` maps a year (as text) to the target value (as text, a decimal): the targets are
    part of what is reviewed and approved together with the KPI.
    """

    review_fields = (
        "name",
        "unit",
        "direction",
        "baseline_value",
        "baseline_year",
        "targets",
        "responsible_organisation_id",
        "catalogue_code",
    )

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="kpis"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. percent, people, days."))
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=20, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), validators=YEAR_VALIDATORS)
    targets = models.JSONField(_("targets per year"), default=dict, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="kpis",
        help_text=_("The accountable line ministry or body."),
    )
    catalogue_code = models.CharField(
        _("catalogue indicator"),
        max_length=40,
        blank=True,
        help_text=_("Code of the catalogue indicator this KPI tracks, if any."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["cycle", "position", "pk"]
        verbose_name = _("key performance indicator")
        verbose_name_plural = _("key performance indicators")
        constraints = [
            *Reviewable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(objective__isnull=True, action__isnull=False)
                | Q(objective__isnull=False, action__isnull=True),
                name="kpi_objective_xor_action",
                violation_error_message=_("A KPI belongs to one objective or one action."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="kpi_direction_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:kpi_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def target_values(self, targets: dict[str, Any] | None = None) -> dict[int, Decimal]:
        """The targets as {year: Decimal}, from `targets` or the current draft."""
        raw = self.targets if targets is None else targets
        return {int(year): Decimal(str(value)) for year, value in (raw or {}).items()}

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.cycle_id and self.workspace_id and self.cycle.workspace_id != self.workspace_id:
            errors["cycle"] = _("The KPI must be in its cycle's workspace.")
        parent = self.objective if self.objective_id else self.action if self.action_id else None
        if parent is not None and parent.cycle_id != self.cycle_id:
            errors["objective"] = _("The KPI must belong to an objective or action of its cycle.")
        if (
            self.responsible_organisation_id
            and self.responsible_organisation.workspace_id != self.workspace_id
        ):
            errors["responsible_organisation"] = _("Choose one of this workspace's organisations.")
        if not isinstance(self.targets, dict):
            errors["targets"] = _("Targets must map years to values.")
        else:
            try:
                targets = self.target_values()
            except (InvalidOperation, ValueError, TypeError):
                errors["targets"] = _("Each target needs a year and a number.")
            else:
                if self.cycle_id and any(year not in self.cycle.years for year in targets):
                    errors["targets"] = _(
                        "Targets must fall within the cycle's years (%(first)s–%(last)s)."
                    ) % {
                        "first": self.cycle.start_year,
                        "last": self.cycle.end_year,
                    }
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(Reviewable, TimestampedModel):
    """An actual value of a KPI reported for a period, with evidence; reviewed before it counts."""

    review_fields = ("period", "actual_value", "note", "evidence_url")

    kpi = models.ForeignKey(
        KPI, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="updates"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(
        _("period"),
        max_length=7,
        validators=[validate_period],
        help_text=_("A year (2024), a quarter (2024-Q2) or a month (2024-05)."),
    )
    actual_value = models.DecimalField(_("actual value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True, help_text=_("Markdown."))
    evidence_url = models.URLField(_("evidence (web address)"), max_length=1000, blank=True)
    reporter = models.ForeignKey(
        "stakeholders.User",
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["kpi", "period", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            *Reviewable.Meta.constraints,
            models.UniqueConstraint(
                fields=["kpi", "period"],
                name="progress_update_once_per_period",
                violation_error_message=_("This KPI already has an update for this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:progress_update_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        if self.kpi_id and self.workspace_id and self.kpi.workspace_id != self.workspace_id:
            raise ValidationError({"kpi": _("The update must be in its KPI's workspace.")})
