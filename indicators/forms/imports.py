"""Forms of imports and exports: the upload, and the selection an export is made of."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from stakeholders.models import Workspace
from stakeholders.review import ReviewState

from ..choices import AXIS_CODES, FIRST_YEAR, LAST_YEAR, Axis
from ..exports import ExportFilter, template_indicators
from ..models import AXIS_FIELDS, Dimension


class ImportUploadForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File of values"),
        help_text=_(
            "A CSV or Excel (XLSX) file with the columns of the template. Every row is checked "
            "before anything is saved."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ExportFilterForm(PortalFormMixin, forms.Form):
    """Which observations to export; every field is optional."""

    indicator = forms.TypedChoiceField(
        label=_("Indicator"), required=False, coerce=int, empty_value=None
    )
    dimension = forms.TypedChoiceField(
        label=_("Dimension"), required=False, coerce=int, empty_value=None
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    review_state = forms.ChoiceField(
        label=_("Review state"),
        required=False,
        choices=[("", _("Any state")), *ReviewState.choices],
        help_text=_("Only for those who see drafts; everyone else gets approved values."),
    )
    import_job = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, workspace: Workspace, sees_drafts: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        indicators = template_indicators(workspace)
        self.fields["indicator"].choices = [("", _("Every indicator"))] + [  # type: ignore[attr-defined]
            (indicator.pk, f"{indicator.code} {indicator.name}") for indicator in indicators
        ]
        dimensions = Dimension.objects.select_related("framework").order_by(
            "framework__position", "position"
        )
        self.fields["dimension"].choices = [("", _("Every dimension"))] + [  # type: ignore[attr-defined]
            (dimension.pk, f"{dimension.framework.name} – {dimension}") for dimension in dimensions
        ]
        for axis in AXIS_FIELDS:
            if axis == Axis.PARTNER_COUNTRY:
                self.fields[axis] = forms.CharField(
                    label=Axis(axis).label,
                    required=False,
                    max_length=3,
                    help_text=_("ISO 3166-1 alpha-3 code, or _T for the total."),
                )
            else:
                self.fields[axis] = forms.ChoiceField(
                    label=Axis(axis).label,
                    required=False,
                    choices=[("", _("Any"))]
                    + [(code, f"{code} – {label}") for code, label in AXIS_CODES[axis].items()],
                )
        if not sees_drafts:
            del self.fields["review_state"]
            del self.fields["import_job"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("year_from"), data.get("year_to")
        if low and high and low > high:
            self.add_error("year_to", _("Choose a year after the first one."))
        return data

    def selection(self) -> ExportFilter:
        data = self.cleaned_data
        return ExportFilter(
            indicator_ids=[data["indicator"]] if data.get("indicator") else [],
            dimension_id=data.get("dimension"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            axes={
                axis: str(data.get(axis) or "").upper() for axis in AXIS_FIELDS if data.get(axis)
            },
            review_state=data.get("review_state") or "",
            import_job_id=data.get("import_job"),
        )
