"""Forms of the catalogue: a workspace's own indicator, and the staff import of a framework."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin

from ..choices import Axis, IndicatorDirection, IndicatorLevel, ValueType
from ..models import Dimension, Framework, Indicator, Unit

MAX_CATALOGUE_BYTES = 5 * 1024 * 1024


class CustomIndicatorForm(PortalFormMixin, forms.Form):
    """A workspace's own indicator: what it measures, in which unit, broken down how."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short code unique in this workspace, used in imports and exports, e.g. LOC-01. "
            "It may not repeat a code of the catalogue."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    definition = forms.CharField(
        label=_("Definition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is counted or measured, and how, in one or two sentences."),
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        queryset=Dimension.objects.none(),
        empty_label=_("Choose a dimension"),
        help_text=_("The dimension of human development it belongs to."),
    )
    value_type = forms.ChoiceField(
        label=_("Value type"),
        choices=ValueType.choices,
        initial=ValueType.NUMBER,
        widget=forms.RadioSelect,
        help_text=_("A number, or one of a few ordered categories (an assessment, a rating)."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.all(),
        empty_label=_("Choose a unit"),
        help_text=_(
            "Values are checked against the unit's bounds: a percent is 0–100, a count is 0 or "
            "more. For an ordinal indicator choose “ordinal category”."
        ),
    )
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ordinal indicators only: one category per line, lowest first."),
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=IndicatorLevel.choices, initial=IndicatorLevel.NATIONAL
    )
    disaggregations = forms.MultipleChoiceField(
        label=_("Allowed disaggregations"),
        required=False,
        choices=Axis.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The breakdowns for which values of this indicator may be entered."),
    )
    source_org = forms.CharField(
        label=_("Source organisation"),
        max_length=300,
        required=False,
        help_text=_("Who produces the figure, e.g. the national statistics office."),
    )
    source_ref = forms.CharField(
        label=_("Source reference"),
        max_length=300,
        required=False,
        help_text=_("The series code, survey question or publication the figure comes from."),
    )
    direction = forms.ChoiceField(
        label=_("Which way is better?"),
        choices=IndicatorDirection.choices,
        initial=IndicatorDirection.NEUTRAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, dimensions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = dimensions  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        return {
            "code": indicator.code,
            "name": indicator.name,
            "definition": indicator.definition,
            "dimension": indicator.dimension_id,
            "value_type": indicator.value_type,
            "unit": indicator.unit_id,
            "categories": "\n".join(map(str, indicator.categories or [])),
            "level": indicator.level,
            "disaggregations": list(indicator.disaggregations or []),
            "source_org": indicator.source_org,
            "source_ref": indicator.source_ref,
            "direction": indicator.direction,
        }

    def clean_categories(self) -> list[str]:
        text = self.cleaned_data.get("categories") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FrameworkImportForm(PortalFormMixin, forms.Form):
    """Upload a catalogue file that defines a new framework."""

    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "CSV (UTF-8) or XLSX with the columns code, dimension, name, definition, unit, "
            "level, disaggregations, source_org, source_ref, direction, emp_annex (and "
            "optionally categories, note, target) — the columns of the starter catalogue."
        ),
    )
    code = forms.SlugField(
        label=_("Framework code"),
        max_length=40,
        help_text=_("Short, unique, letters, digits and hyphens, e.g. acp-observatory-2012."),
    )
    name = forms.CharField(label=_("Framework name"), max_length=200)
    version = forms.CharField(
        label=_("Version"),
        max_length=40,
        required=False,
        help_text=_("Indicator names are stored as that version's titles."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )
    provenance = forms.CharField(
        label=_("Provenance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Where the list and its wording come from, and who holds the rights (Markdown)."
        ),
    )
    dimensions_from = forms.ModelChoiceField(
        label=_("Dimensions"),
        queryset=Framework.objects.all(),
        required=False,
        empty_label=_("The names in the file's dimension column"),
        help_text=_(
            "Either the distinct names of the file's dimension column, in order of first "
            "appearance (rows may leave it empty), or the dimensions of an existing framework "
            "(then every row must name one of them). An XLSX file may instead have a sheet "
            "named “dimensions” with columns code, name and scope."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.casefold().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_CATALOGUE_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 5 MB."))
        return upload
