"""Extended Migration Profiles: templates as data, editions, reviewable sections with live
indicator tables frozen at approval, recommendations, and data requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from indicators.choices import Axis
from indicators.models import DataGap, DataSource, Indicator, Observation
from stakeholders.models import Organisation, Platform, Workspace
from stakeholders.review import Reviewable

from .choices import (
    EditionStage,
    EditionStatus,
    Part,
    RecommendationTarget,
    RequestStatus,
    TableKind,
)

YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2100)]


class ProfileTemplate(TimestampedModel):
    """A structure of sections for an edition: a preset (loaded as data) or a workspace's own
    copy of one, customised before an edition starts."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profile_templates",
        help_text=_("Empty for a preset; set for a workspace's customised template."),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "name"]
        verbose_name = _("profile template")
        verbose_name_plural = _("profile templates")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(workspace__isnull=True),
                name="profile_preset_code_unique",
            ),
            models.UniqueConstraint(
                fields=["workspace", "code"],
                condition=Q(workspace__isnull=False),
                name="profile_template_code_unique_in_workspace",
                violation_error_message=_("This workspace already has a template with this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_preset(self) -> bool:
        return self.workspace_id is None


class TemplateSection(models.Model):
    """A section of a template, with guidance and the catalogue indicators it suggests."""

    template = models.ForeignKey(
        ProfileTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    code = models.CharField(_("number"), max_length=20, help_text=_("e.g. A.1"))
    part = models.CharField(_("part"), max_length=8, choices=Part.choices)
    title = models.CharField(_("title"), max_length=250)
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("Markdown."))
    suggested_indicators = models.JSONField(
        _("suggested indicators"),
        default=list,
        blank=True,
        help_text=_("Codes of catalogue indicators this section usually shows."),
    )
    has_recommendations = models.BooleanField(_("holds recommendations"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        constraints = [
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="template_section_part_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class Edition(TimestampedModel):
    """One edition of a workspace's Extended Migration Profile."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="editions"
    )
    number = models.PositiveSmallIntegerField(_("edition number"))
    title = models.CharField(_("title"), max_length=250)
    reference_start_year = models.PositiveSmallIntegerField(
        _("reference period from"), validators=YEAR_VALIDATORS
    )
    reference_end_year = models.PositiveSmallIntegerField(
        _("reference period to"), validators=YEAR_VALIDATORS
    )
    template = models.ForeignKey(
        ProfileTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editions",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=EditionStage.choices, default=EditionStage.PLANNING
    )
    working_group = models.ForeignKey(
        Platform,
        verbose_name=_("technical working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_editions",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "-number"]
        verbose_name = _("profile edition")
        verbose_name_plural = _("profile editions")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "number"],
                name="edition_number_unique",
                violation_error_message=_(
                    "This workspace already has an edition with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reference_end_year__gte=models.F("reference_start_year")),
                name="edition_period_ordered",
                violation_error_message=_("The reference period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=EditionStage.values), name="edition_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values), name="edition_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=EditionStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="edition_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "profiles:edition_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    @property
    def years(self) -> range:
        return range(self.reference_start_year, self.reference_end_year + 1)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.working_group is not None and self.working_group.workspace_id != self.workspace_id:
            errors["working_group"] = _("Choose one of this workspace's coordination platforms.")
        if (
            self.template is not None
            and self.template.workspace_id is not None
            and self.template.workspace_id != self.workspace_id
        ):
            errors["template"] = _("Choose a preset or one of this workspace's templates.")
        if errors:
            raise ValidationError(errors)


class Section(Reviewable, TimestampedModel):
    """A section of an edition: narrative, live indicator tables (frozen when approved), cited
    sources and flagged data gaps. Reviewed one by one."""

    review_fields = ("title", "narrative", "frozen_tables")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="sections"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("number"), max_length=20, blank=True)
    part = models.CharField(_("part"), max_length=8, choices=Part.choices)
    title = models.CharField(_("title"), max_length=250)
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("Markdown."))
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))
    has_recommendations = models.BooleanField(_("holds recommendations"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    frozen_tables = models.JSONField(
        _("frozen tables"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The tables' values when the section was last approved."),
    )
    sources = models.ManyToManyField(
        DataSource, verbose_name=_("data sources cited"), blank=True, related_name="+"
    )
    gaps = models.ManyToManyField(
        DataGap, verbose_name=_("data gaps flagged"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["edition", "position", "pk"]
        verbose_name = _("profile section")
        verbose_name_plural = _("profile sections")
        constraints = [
            *Reviewable.Meta.constraints,
            models.CheckConstraint(condition=Q(part__in=Part.values), name="section_part_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse(
            "profiles:section_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def before_approval(self) -> None:
        """Freeze the live values of the section's tables into the approved snapshot."""
        from .tables import freeze_tables

        self.frozen_tables = freeze_tables(self)

    def clean(self) -> None:
        if self.edition_id and self.edition.workspace_id != self.workspace_id:
            raise ValidationError({"edition": _("The section must be in its edition's workspace.")})


class SectionTable(TimestampedModel):
    """An indicator table (or chart with its table) placed in a section: the workspace's approved
    values of one indicator over years, totals or by one disaggregation axis."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="tables"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    axis = models.CharField(
        _("breakdown"),
        max_length=20,
        choices=Axis.choices,
        blank=True,
        help_text=_("Empty for totals only."),
    )
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(
        _("shown as"), max_length=8, choices=TableKind.choices, default=TableKind.TABLE
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = _("section table")
        verbose_name_plural = _("section tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="section_table_years_ordered",
                violation_error_message=_("The last year cannot be before the first year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.first_year}–{self.last_year}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.axis
            and self.indicator_id
            and self.axis not in (self.indicator.disaggregations or [])
        ):
            errors["axis"] = _("This indicator is not disaggregated that way.")
        if (
            self.indicator_id
            and self.indicator.workspace_id is not None
            and self.section_id
            and self.indicator.workspace_id != self.section.workspace_id
        ):
            errors["indicator"] = _("Choose a catalogue indicator or one of this workspace's own.")
        if errors:
            raise ValidationError(errors)


class Recommendation(TimestampedModel):
    """A recommendation of Part D, aimed at one target; it can become a planning-cycle priority
    (the priority records where it came from)."""

    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("recommendation"))
    target = models.CharField(_("target"), max_length=16, choices=RecommendationTarget.choices)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__in=RecommendationTarget.values),
                name="recommendation_target_valid",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


def data_request_upload_to(instance: DataRequest, filename: str) -> str:
    return f"data-requests/{instance.workspace_id}/{filename}"


class DataRequest(TimestampedModel):
    """The coordinator asks an organisation for the data behind a section or an indicator."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("asked of"),
        on_delete=models.CASCADE,
        related_name="data_requests",
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_requests",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_requests",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.TextField(_("data requested"))
    period = models.CharField(_("for the period"), max_length=60, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_note = models.TextField(_("answer"), blank=True)
    answer_file = models.FileField(
        _("file"), upload_to=data_request_upload_to, max_length=500, blank=True
    )
    answer_content_type = models.CharField(_("file type"), max_length=100, blank=True)
    observations = models.ManyToManyField(
        Observation, verbose_name=_("values entered"), blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        indexes = [models.Index(fields=["workspace", "status"], name="data_request_ws_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="data_request_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="data_request_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.organisation_id and self.organisation.workspace_id != self.workspace_id:
            errors["organisation"] = _("Choose one of this workspace's organisations.")
        if self.edition is not None and self.edition.workspace_id != self.workspace_id:
            errors["edition"] = _("Choose one of this workspace's editions.")
        if self.section is not None and self.section.workspace_id != self.workspace_id:
            errors["section"] = _("Choose a section of this workspace.")
        if errors:
            raise ValidationError(errors)
