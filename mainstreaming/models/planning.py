"""Priorities and the action plan of a cycle: priority → objective → action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.countries import is_currency
from core.models import TimestampedModel
from stakeholders.models import Organisation, Workspace
from stakeholders.review import Reviewable

from ..choices import FundingStatus, ImplementationStatus, PolicyLevel
from .cycles import Cycle


class EntryPointConcern(models.Model):
    """A migration-and-development concern a priority starts from (DESIGN §2's list, extendable).

    Rows without a workspace are the portal's defaults; a workspace adds its own.
    """

    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="concerns",
    )
    code = models.SlugField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["workspace_id", "name"]
        verbose_name = _("entry-point concern")
        verbose_name_plural = _("entry-point concerns")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=Q(workspace__isnull=False),
                name="concern_name_unique_per_workspace",
                violation_error_message=_("This concern already exists."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(workspace__isnull=True),
                name="concern_default_name_unique",
            ),
        ]

    def __str__(self) -> str:
        # Default concerns are translated; a workspace's own are shown as written.
        if self.workspace_id is None:
            return gettext(self.name)
        return self.name


class Priority(Reviewable, TimestampedModel):
    """A ranked priority of the cycle: what migration-related concern the plan will act on."""

    review_fields = (
        "title",
        "concern_id",
        "rationale",
        "affected_groups",
        "gender_considerations",
        "rights_considerations",
        "level",
        "national_priority_id",
    )

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="priorities"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    concern = models.ForeignKey(
        EntryPointConcern,
        verbose_name=_("entry-point concern"),
        on_delete=models.PROTECT,
        related_name="priorities",
    )
    title = models.CharField(_("title"), max_length=250)
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Markdown."))
    rank = models.PositiveIntegerField(_("rank"), default=0)
    affected_groups = models.TextField(
        _("affected groups"),
        blank=True,
        help_text=_("Who is affected: e.g. returnees, remittance-receiving households, women."),
    )
    gender_considerations = models.TextField(_("gender considerations"))
    rights_considerations = models.TextField(_("migrants' rights considerations"))
    level = models.CharField(
        _("level"), max_length=16, choices=PolicyLevel.choices, default=PolicyLevel.NATIONAL
    )
    national_priority = models.ForeignKey(
        "self",
        verbose_name=_("national priority it contributes to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_priorities",
        help_text=_("For a local workspace: the priority of its national workspace it serves."),
    )

    recommendation = models.ForeignKey(
        "profiles.Recommendation",
        verbose_name=_("from the profile recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
        help_text=_("The migration profile recommendation this priority acts on, if any."),
    )
    shared_with = models.ManyToManyField(
        "stakeholders.Corridor",
        verbose_name=_("shared with corridors"),
        blank=True,
        related_name="shared_priorities",
        help_text=_("Active corridors whose partner may read this priority's approved version."),
    )

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["cycle", "rank", "pk"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            *Reviewable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(level__in=PolicyLevel.values), name="priority_level_valid"
            ),
            models.CheckConstraint(
                condition=~Q(gender_considerations="") & ~Q(rights_considerations=""),
                name="priority_gender_and_rights_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:priority_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.cycle_id and self.workspace_id and self.cycle.workspace_id != self.workspace_id:
            errors["cycle"] = _("The priority must be in its cycle's workspace.")
        if self.concern_id and self.concern.workspace_id not in (None, self.workspace_id):
            errors["concern"] = _("Choose one of this workspace's concerns.")
        linked = self.national_priority if self.national_priority_id else None
        if linked is not None:
            parent_id = self.workspace.parent_id if self.workspace_id else None
            if parent_id is None or linked.workspace_id != parent_id:
                errors["national_priority"] = _(
                    "Only a local workspace's priority can link, and only to a priority of its "
                    "national workspace."
                )
        if errors:
            raise ValidationError(errors)


class Objective(Reviewable, TimestampedModel):
    """What the plan means to achieve under one priority."""

    review_fields = ("title", "description")

    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.CASCADE, related_name="objectives"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="+"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["priority", "position", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:objective_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        priority = self.priority if self.priority_id else None
        if priority is not None and (
            priority.workspace_id != self.workspace_id or priority.cycle_id != self.cycle_id
        ):
            raise ValidationError({"priority": _("The objective must be in its priority's cycle.")})


class Action(Reviewable, TimestampedModel):
    """A planned activity under an objective, with who leads it, when, and with what money."""

    review_fields = (
        "title",
        "description",
        "lead_organisation_id",
        "start_date",
        "end_date",
        "budget_amount",
        "budget_currency",
        "funding_status",
        "funding_source",
        "outputs",
    )

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="actions"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="+"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_actions",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_actions",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. XOF, EUR, USD.")
    )
    funding_status = models.CharField(
        _("funding status"),
        max_length=16,
        choices=FundingStatus.choices,
        default=FundingStatus.UNFUNDED,
    )
    funding_source = models.CharField(_("funding source"), max_length=250, blank=True)
    # Reported as implementation goes on, outside review (like a progress update's status).
    implementation_status = models.CharField(
        _("implementation status"),
        max_length=16,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    outputs = models.TextField(_("outputs"), blank=True, help_text=_("Markdown."))
    position = models.PositiveIntegerField(_("position"), default=0)

    shared_with = models.ManyToManyField(
        "stakeholders.Corridor",
        verbose_name=_("shared with corridors"),
        blank=True,
        related_name="shared_actions",
        help_text=_("Active corridors whose partner may read this action's approved version."),
    )

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta(Reviewable.Meta):
        ordering = ["objective", "position", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            *Reviewable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="action_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(budget_currency=""),
                name="action_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
            models.CheckConstraint(
                condition=Q(funding_status__in=FundingStatus.values),
                name="action_funding_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(implementation_status__in=ImplementationStatus.values),
                name="action_implementation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "mainstreaming:action_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.objective_id and (
            self.objective.workspace_id != self.workspace_id
            or self.objective.cycle_id != self.cycle_id
        ):
            errors["objective"] = _("The action must be in its objective's cycle.")
        if self.lead_organisation_id and self.lead_organisation.workspace_id != self.workspace_id:
            errors["lead_organisation"] = _("Choose one of this workspace's organisations.")
        if self.budget_currency and not is_currency(self.budget_currency):
            errors["budget_currency"] = _("Enter an ISO 4217 currency code, e.g. XOF or EUR.")
        if errors:
            raise ValidationError(errors)
