"""Forms of profile sections: narrative, tables, sources and gaps, recommendations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from indicators.choices import Axis, GapReason
from indicators.models import DataGap, DataSource, Indicator
from stakeholders.review_forms import ReviewableFormMixin

from ..choices import RecommendationTarget, TableKind
from ..models import Section


class SectionUpdateForm(ReviewableFormMixin, PortalFormMixin, forms.ModelForm):
    """Title and narrative; carries the version it was loaded at (stale save = conflict)."""

    class Meta:
        model = Section
        fields = ["title", "narrative"]
        help_texts = {
            "narrative": _("Markdown: **bold**, *italic*, lists, links and tables."),
        }
        widgets = {"narrative": forms.Textarea(attrs={"rows": 16})}


class SectionTableForm(PortalFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        help_text=_("From the catalogue or the workspace's own indicators."),
        queryset=Indicator.objects.none(),
        error_messages={"required": _("Choose an indicator.")},
    )
    axis = forms.ChoiceField(
        label=_("Breakdown"),
        help_text=_("Totals only, or one of the indicator's disaggregations."),
        choices=[("", _("Totals only")), *Axis.choices],
        required=False,
    )
    first_year = forms.IntegerField(
        label=_("First year"), min_value=1950, max_value=2100, required=False
    )
    last_year = forms.IntegerField(
        label=_("Last year"),
        help_text=_("Leave both years empty for the edition's reference period."),
        min_value=1950,
        max_value=2100,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Shown as"), choices=TableKind.choices, initial=TableKind.TABLE
    )

    def __init__(self, *args: Any, indicators: QuerySet[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]


class SectionSourcesForm(PortalFormMixin, forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Data sources cited"),
        help_text=_("The workspace's data sources this section draws on."),
        queryset=DataSource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    gaps = forms.ModelMultipleChoiceField(
        label=_("Data gaps flagged"),
        help_text=_("The workspace's recorded data gaps this section points out."),
        queryset=DataGap.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        sources: QuerySet[DataSource],
        gaps: QuerySet[DataGap],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = sources  # type: ignore[attr-defined]
        self.fields["gaps"].queryset = gaps  # type: ignore[attr-defined]


class SectionGapForm(PortalFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        help_text=_("One of the indicators shown in this section."),
        queryset=Indicator.objects.none(),
        error_messages={"required": _("Choose an indicator.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        help_text=_("Leave empty if the gap is not about one year."),
        min_value=1950,
        max_value=2100,
        required=False,
    )
    reason = forms.ChoiceField(label=_("Why the data is missing"), choices=GapReason.choices)

    def __init__(self, *args: Any, indicators: QuerySet[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]


class RecommendationForm(PortalFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Recommendation"),
        help_text=_("One recommendation, written as an action."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the recommendation.")},
    )
    target = forms.ChoiceField(
        label=_("Aimed at"),
        choices=RecommendationTarget.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the recommendation is aimed at.")},
    )


class MoveForm(PortalFormMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
