"""Forms of data gaps: the gap itself and the filters of the gap list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin, ServiceModelForm
from stakeholders.models import Organisation

from ..choices import FIRST_YEAR, LAST_YEAR, GapReason, GapStatus
from ..models import DataGap, Dimension, Indicator
from ..services.gaps import GAP_FIELDS


class DataGapForm(ServiceModelForm):
    """A data gap: what is missing, why, who closes it, how and by when."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The year the gap is about; leave empty if it is about every year."),
    )

    class Meta:
        model = DataGap
        fields = list(GAP_FIELDS)
        labels = {
            "indicator": _("Indicator"),
            "reason": _("Why the data are missing"),
            "owner": _("Organisation responsible for closing the gap"),
            "planned_action": _("Planned action"),
            "planned_date": _("Planned date"),
            "status": _("Status"),
            "note": _("Note"),
        }
        help_texts = {
            "indicator": _("A catalogue indicator or one of this workspace's own."),
            "owner": _("One of this workspace's organisations, e.g. the statistics office."),
            "planned_action": _(
                "What will be done, e.g. “Add a migration module to the 2027 survey”."
            ),
            "planned_date": _("When the action should be done, for example 31/12/2027."),
            "note": _("Anything else readers should know. You can use Markdown."),
        }
        widgets = {
            "planned_action": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "planned_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(
        self,
        *args: Any,
        indicators: QuerySet[Indicator],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["owner"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = _("No organisation yet")  # type: ignore[attr-defined]
        self.fields["indicator"].empty_label = _("Choose an indicator")  # type: ignore[attr-defined]


class DataGapFilterForm(PortalFormMixin, forms.Form):
    """Filters of the gap list; an invalid value is ignored rather than an error."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *GapStatus.choices]
    )
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any reason")), *GapReason.choices]
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        required=False,
        queryset=Dimension.objects.none(),
        empty_label=_("Any dimension"),
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )

    def __init__(
        self,
        *args: Any,
        dimensions: QuerySet[Dimension],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = dimensions  # type: ignore[attr-defined]
        self.fields["owner"].queryset = organisations  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The valid filters as plain strings (for `data_gap_list`)."""
        if not self.is_valid():
            return {"status": "", "reason": "", "dimension": "", "owner": ""}
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "reason": data.get("reason") or "",
            "dimension": str(data["dimension"].pk) if data.get("dimension") else "",
            "owner": str(data["owner"].pk) if data.get("owner") else "",
        }
