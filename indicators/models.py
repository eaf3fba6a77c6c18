"""Indicator frameworks, the catalogue, observations of a workspace, data sources and data gaps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.periods import PERIOD_HELP, period_year
from stakeholders.models import Organisation, Workspace
from stakeholders.review import Reviewable

from .choices import (
    FIRST_YEAR,
    LAST_YEAR,
    TOTAL,
    Axis,
    GapReason,
    GapStatus,
    ImportStatus,
    IndicatorDirection,
    IndicatorLevel,
    Periodicity,
    Quality,
    SourceKind,
    ValueType,
)


class Framework(TimestampedModel):
    """A named, versioned set of indicators (the starter catalogue, the SDGs, an imported one)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    provenance = models.TextField(
        _("provenance"),
        blank=True,
        help_text=_("Where the indicator list and its wording come from (Markdown)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})" if self.version else self.name


class Dimension(models.Model):
    """A dimension of human development that groups indicators (eight in the starter catalogue)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")
        ]

    def __str__(self) -> str:
        return self.name[:1].upper() + self.name[1:]


class Unit(models.Model):
    """A unit of measure with the bounds every value in it must respect (DESIGN §7)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    minimum = models.DecimalField(
        _("lowest allowed value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("highest allowed value"), max_digits=24, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="unit_bounds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def bound_error(self, value: Decimal) -> str:
        """Why `value` is outside this unit's bounds ('' when it is inside)."""
        if self.minimum is not None and value < self.minimum:
            return str(
                _("%(value)s is below %(minimum)s, the lowest value for %(unit)s.")
                % {"value": value, "minimum": _plain(self.minimum), "unit": self.name}
            )
        if self.maximum is not None and value > self.maximum:
            return str(
                _("%(value)s is above %(maximum)s, the highest value for %(unit)s.")
                % {"value": value, "maximum": _plain(self.maximum), "unit": self.name}
            )
        return ""


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros (100, not 100.000000)."""
    text = format(value.normalize(), "f")
    return text


class Indicator(TimestampedModel):
    """An indicator of a framework, or a workspace's own (custom) indicator."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="custom_indicators",
        help_text=_("Set for a workspace's own indicator; empty for catalogue indicators."),
    )
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    titles = models.JSONField(
        _("title per framework version"),
        default=dict,
        blank=True,
        help_text=_("Official titles by framework version, where the wording has changed."),
    )
    definition = models.TextField(_("definition"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="indicators"
    )
    value_type = models.CharField(
        _("value type"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("For an ordinal indicator: the category labels from lowest to highest rank."),
    )
    level = models.CharField(
        _("level"), max_length=12, choices=IndicatorLevel.choices, default=IndicatorLevel.NATIONAL
    )
    disaggregations = models.JSONField(
        _("allowed disaggregations"),
        default=list,
        blank=True,
        help_text=_("The axes this indicator may be broken down by."),
    )
    source_org = models.CharField(_("source organisation"), max_length=300, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=300, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=20,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.NEUTRAL,
    )
    emp_annex = models.BooleanField(
        _("in the migration profile's statistical annex"), default=False
    )
    target = models.CharField(_("SDG target"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
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
        ordering = ["framework__position", "dimension__position", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=Q(framework__isnull=False),
                name="indicator_code_unique_in_framework",
                violation_error_message=_(
                    "This framework already has an indicator with this code."
                ),
            ),
            models.UniqueConstraint(
                fields=["workspace", "code"],
                condition=Q(workspace__isnull=False),
                name="indicator_code_unique_in_workspace",
                violation_error_message=_(
                    "This workspace already has an indicator with this code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(framework__isnull=True, workspace__isnull=False)
                | Q(framework__isnull=False, workspace__isnull=True),
                name="indicator_framework_xor_workspace",
                violation_error_message=_(
                    "An indicator belongs to a framework or to one workspace."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value_type__in=ValueType.values), name="indicator_value_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=IndicatorDirection.values),
                name="indicator_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_custom(self) -> bool:
        return self.workspace_id is not None

    @property
    def is_ordinal(self) -> bool:
        return self.value_type == ValueType.ORDINAL

    def allowed_axes(self) -> list[Axis]:
        return [Axis(axis) for axis in self.disaggregations if axis in Axis.values]

    def value_error(self, value: Decimal) -> str:
        """Why `value` cannot be stored for this indicator ('' when it can)."""
        if self.is_ordinal:
            ranks = len(self.categories)
            if value != value.to_integral_value() or not 1 <= value <= ranks:
                return str(
                    _("Choose one of the %(count)s categories (a rank from 1 to %(count)s).")
                    % {"count": ranks}
                )
            return ""
        return self.unit.bound_error(value)

    def category_label(self, value: Decimal | None) -> str:
        """The label of an ordinal value's category ('' when there is none)."""
        if value is None or not self.is_ordinal:
            return ""
        rank = int(value)
        return str(self.categories[rank - 1]) if 1 <= rank <= len(self.categories) else ""

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        unknown = [axis for axis in self.disaggregations or [] if axis not in Axis.values]
        if unknown:
            errors["disaggregations"] = _("Unknown disaggregation: %(axes)s.") % {
                "axes": ", ".join(map(str, unknown))
            }
        if self.value_type == ValueType.ORDINAL and len(self.categories or []) < 2:
            errors["categories"] = _("An ordinal indicator needs at least two categories.")
        if self.value_type == ValueType.NUMBER and self.categories:
            errors["categories"] = _("Only an ordinal indicator has categories.")
        if (
            self.dimension is not None
            and self.framework_id
            and self.dimension.framework_id != self.framework_id
        ):
            errors["dimension"] = _("Choose a dimension of the indicator's framework.")
        if errors:
            raise ValidationError(errors)


class DataSource(TimestampedModel):
    """Where a workspace's figures come from: a census, a survey, a register, a database."""

    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="data_sources",
    )
    name = models.CharField(_("name"), max_length=250)
    producer = models.ForeignKey(
        Organisation,
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_sources",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SourceKind.choices)
    periodicity = models.CharField(
        _("periodicity"), max_length=20, choices=Periodicity.choices, blank=True
    )
    limitations = models.TextField(_("limitations"), blank=True)
    url = models.URLField(_("web address"), max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "name"]
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"],
                name="data_source_name_unique",
                violation_error_message=_("This workspace already has a data source of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.producer is not None and self.producer.workspace_id != self.workspace_id:
            raise ValidationError({"producer": _("Choose one of this workspace's organisations.")})


# The fields that identify an observation within its workspace (its natural key).
NATURAL_KEY = (
    "indicator_id",
    "period",
    "sex",
    "age",
    "migratory_status",
    "urbanisation",
    "education_level",
    "partner_country",
)
AXIS_FIELDS = tuple(Axis.values)


class ImportJob(TimestampedModel):
    """An uploaded CSV/XLSX file of observations: checked, previewed, then imported in the back."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(
        _("row errors"),
        default=list,
        blank=True,
        help_text=_("Each error: row number, column and reason."),
    )
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("new values"), default=0)
    updated_count = models.PositiveIntegerField(_("changed values"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged values"), default=0)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class Observation(Reviewable, TimestampedModel):
    """One value of an indicator in a workspace for a period and a disaggregation (DESIGN §7).

    An ordinal indicator's value is the rank of its category (1 = lowest).
    """

    review_fields = ("value", "source_id", "quality", "note")

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    period = models.CharField(_("period"), max_length=7, help_text=PERIOD_HELP)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sex = models.CharField(_("sex"), max_length=12, default=TOTAL)
    age = models.CharField(_("age group"), max_length=12, default=TOTAL)
    migratory_status = models.CharField(_("migratory status"), max_length=12, default=TOTAL)
    urbanisation = models.CharField(_("urban/rural"), max_length=12, default=TOTAL)
    education_level = models.CharField(_("education level"), max_length=12, default=TOTAL)
    partner_country = models.CharField(
        _("country of origin/destination"), max_length=3, default=TOTAL
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    source = models.ForeignKey(
        DataSource,
        verbose_name=_("data source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    quality = models.CharField(
        _("quality"), max_length=12, choices=Quality.choices, default=Quality.PROVISIONAL
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_job = models.ForeignKey(
        ImportJob,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["indicator", "year", "period", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            *Reviewable.Meta.constraints,
            models.UniqueConstraint(
                fields=["workspace", *(name.removesuffix("_id") for name in NATURAL_KEY)],
                name="observation_natural_key",
                violation_error_message=_(
                    "This workspace already has a value for this indicator, period and breakdown."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="observation_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(quality__in=Quality.values), name="observation_quality_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "indicator", "year"], name="observation_ws_ind_year"),
            models.Index(fields=["workspace", "review_state"], name="observation_ws_state"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "indicators:observation_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def natural_key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in NATURAL_KEY)

    def breakdown(self) -> dict[str, str]:
        """The axes on which this observation is not a total."""
        return {axis: getattr(self, axis) for axis in AXIS_FIELDS if getattr(self, axis) != TOTAL}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.period:
            self.year = period_year(self.period)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from .validation import observation_errors

        errors = observation_errors(
            indicator=self.indicator,
            workspace_id=self.workspace_id,
            period=self.period,
            axes={axis: getattr(self, axis) for axis in AXIS_FIELDS},
            value=self.value,
            source=self.source,
        )
        if errors:
            raise ValidationError(errors)
        self.year = period_year(self.period)


class DataGap(TimestampedModel):
    """A known hole in a workspace's data, who owns closing it and how."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="data_gaps"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="gaps"
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("The year the gap is about, if it is about one year."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=GapReason.choices)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_gaps",
        help_text=_("The organisation responsible for closing the gap."),
    )
    planned_action = models.TextField(_("planned action"), blank=True)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GapStatus.choices, default=GapStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
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
        ordering = ["workspace", "status", "indicator", "year"]
        verbose_name = _("data gap")
        verbose_name_plural = _("data gaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=GapReason.values), name="data_gap_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GapStatus.values), name="data_gap_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="data_gap_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.get_reason_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.owner is not None and self.owner.workspace_id != self.workspace_id:
            errors["owner"] = _("Choose one of this workspace's organisations.")
        if (
            self.indicator_id
            and self.indicator.workspace_id
            and self.indicator.workspace_id != self.workspace_id
        ):
            errors["indicator"] = _("Choose a catalogue indicator or one of this workspace's own.")
        if errors:
            raise ValidationError(errors)


class SharedSeries(models.Model):
    """An indicator's series of a workspace shared with one of its corridors: the partner reads
    the approved values (never drafts) while the corridor is active."""

    corridor = models.ForeignKey(
        "stakeholders.Corridor",
        verbose_name=_("corridor"),
        on_delete=models.CASCADE,
        related_name="shared_series",
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("sharing workspace"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        ordering = ["corridor", "workspace", "indicator"]
        verbose_name = _("shared indicator series")
        verbose_name_plural = _("shared indicator series")
        constraints = [
            models.UniqueConstraint(
                fields=["corridor", "workspace", "indicator"],
                name="shared_series_once",
                violation_error_message=_("This series is already shared with the corridor."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.corridor}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.corridor_id and self.workspace_id not in (
            self.corridor.proposer_id,
            self.corridor.partner_id,
        ):
            errors["workspace"] = _("Only a side of the corridor shares its series with it.")
        if (
            self.indicator_id
            and self.indicator.workspace_id is not None
            and self.indicator.workspace_id != self.workspace_id
        ):
            errors["indicator"] = _("Choose a catalogue indicator or one of this workspace's own.")
        if errors:
            raise ValidationError(errors)


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "DataGap",
    "DataSource",
    "Dimension",
    "Framework",
    "ImportJob",
    "Indicator",
    "Observation",
    "SharedSeries",
    "Unit",
]
