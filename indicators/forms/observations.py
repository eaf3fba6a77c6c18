"""Forms of observations: the list filter (shared with batch review), one value, batch review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from core.periods import PERIOD_HELP
from stakeholders.review import ReviewState

from ..choices import AXIS_CODES, FIRST_YEAR, LAST_YEAR, Axis, Quality
from ..models import DataSource, Dimension, Indicator
from ..selectors.observations import ObservationFilters


def _axis_choices(axis: str) -> list[tuple[str, Any]]:
    return [("", _("Any")), *AXIS_CODES.get(axis, {}).items()]


class ObservationFilterForm(PortalFormMixin, forms.Form):
    """Which observations to list (or to review in one batch); every field is optional."""

    indicator = forms.CharField(
        label=_("Indicator"),
        required=False,
        max_length=40,
        help_text=_("Its code (e.g. ECO-01)."),
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), required=False, queryset=Dimension.objects.none()
    )
    period_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    period_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    review_state = forms.ChoiceField(
        label=_("Review state"),
        required=False,
        choices=[("", _("Any")), *ReviewState.choices],
    )
    sex = forms.ChoiceField(label=Axis.SEX.label, required=False, choices=_axis_choices(Axis.SEX))
    age = forms.ChoiceField(label=Axis.AGE.label, required=False, choices=_axis_choices(Axis.AGE))
    migratory_status = forms.ChoiceField(
        label=Axis.MIGRATORY_STATUS.label,
        required=False,
        choices=_axis_choices(Axis.MIGRATORY_STATUS),
    )
    urbanisation = forms.ChoiceField(
        label=Axis.URBANISATION.label,
        required=False,
        choices=_axis_choices(Axis.URBANISATION),
    )
    education_level = forms.ChoiceField(
        label=Axis.EDUCATION.label, required=False, choices=_axis_choices(Axis.EDUCATION)
    )
    partner_country = forms.CharField(
        label=Axis.PARTNER_COUNTRY.label,
        required=False,
        max_length=3,
        help_text=_("ISO 3166-1 alpha-3 code, or _T for the total."),
    )
    import_job = forms.IntegerField(label=_("Import"), required=False, min_value=1)
    source = forms.IntegerField(label=_("Data source"), required=False, min_value=1)

    def __init__(self, *args: Any, dimensions: QuerySet[Dimension] | None = None, **kwargs: Any):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        dimension_field: Any = self.fields["dimension"]
        dimension_field.queryset = (
            dimensions if dimensions is not None else Dimension.objects.none()
        )

    def clean_indicator(self) -> str:
        return str(self.cleaned_data.get("indicator") or "").strip()

    def clean_partner_country(self) -> str:
        return str(self.cleaned_data.get("partner_country") or "").strip().upper()

    def filters(self) -> ObservationFilters:
        """The selection (empty when the form is invalid)."""
        if not self.is_valid():
            return ObservationFilters()
        data = self.cleaned_data
        axes = tuple((axis, data[axis]) for axis in Axis.values if data.get(axis))
        dimension = data.get("dimension")
        return ObservationFilters(
            indicator=data.get("indicator") or "",
            dimension=dimension.pk if dimension is not None else None,
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            review_state=data.get("review_state") or "",
            axes=axes,
            import_job=data.get("import_job"),
            source=data.get("source"),
        )


class ObservationForm(PortalFormMixin, forms.Form):
    """One value: the indicator, period and breakdown identify it (fixed once it exists)."""

    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period = forms.CharField(label=_("Period"), max_length=7, help_text=PERIOD_HELP)
    value = forms.CharField(
        label=_("Value"),
        max_length=40,
        help_text=_("A number; for a category, its rank or its label."),
    )
    sex = forms.ChoiceField(label=Axis.SEX.label, required=False, choices=_axis_choices(Axis.SEX))
    age = forms.ChoiceField(label=Axis.AGE.label, required=False, choices=_axis_choices(Axis.AGE))
    migratory_status = forms.ChoiceField(
        label=Axis.MIGRATORY_STATUS.label,
        required=False,
        choices=_axis_choices(Axis.MIGRATORY_STATUS),
    )
    urbanisation = forms.ChoiceField(
        label=Axis.URBANISATION.label,
        required=False,
        choices=_axis_choices(Axis.URBANISATION),
    )
    education_level = forms.ChoiceField(
        label=Axis.EDUCATION.label, required=False, choices=_axis_choices(Axis.EDUCATION)
    )
    partner_country = forms.CharField(
        label=Axis.PARTNER_COUNTRY.label,
        required=False,
        max_length=3,
        help_text=_("ISO 3166-1 alpha-3 code; leave empty for the total."),
    )
    source = forms.ModelChoiceField(
        label=_("Data source"), required=False, queryset=DataSource.objects.none()
    )
    quality = forms.ChoiceField(
        label=_("Quality"), choices=Quality.choices, initial=Quality.PROVISIONAL
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        indicators: QuerySet[Indicator],
        sources: QuerySet[DataSource],
        fixed_key: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        indicator_field: Any = self.fields["indicator"]
        indicator_field.queryset = indicators
        source_field: Any = self.fields["source"]
        source_field.queryset = sources
        if fixed_key:
            for name in ("indicator", "period", *Axis.values):
                self.fields[name].disabled = True

    def axes(self) -> dict[str, str]:
        return {axis: self.cleaned_data.get(axis) or "" for axis in Axis.values}


class BatchReviewForm(PortalFormMixin, forms.Form):
    """One review action for every observation of the current selection."""

    action = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            ("submit", _("Submit for review")),
            ("approve", _("Approve")),
            ("return", _("Return with a reason")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to return values: say what their editors should change."),
    )
    count = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("Say why the values are returned, so their editors know what to change."),
            )
        return data
