"""Forms of the planning cycle: monitoring (KPIs with a target per cycle year, progress updates)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin, ServiceModelForm
from indicators.models import Indicator
from stakeholders.models import Organisation

from ..choices import Direction
from ..models import Cycle, ProgressUpdate
from ..models.cycles import YEAR_VALIDATORS
from ..models.monitoring import validate_period
from ..services.monitoring import targets_to_json

TARGET_PREFIX = "target_"


class KPIForm(PortalFormMixin, forms.Form):
    """A KPI: what is measured, its baseline, who answers for it, and a target per cycle year."""

    name = forms.CharField(
        label=_("Name"),
        max_length=250,
        help_text=_(
            "What is measured, e.g. “Share of returnees reached by reintegration services”."
        ),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=60, help_text=_("e.g. percent, people, days.")
    )
    direction = forms.ChoiceField(
        label=_("Which way is better?"),
        choices=Direction.choices,
        initial=Direction.HIGHER,
        widget=forms.RadioSelect,
        help_text=_("Whether progress means the value goes up or down."),
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline value"),
        max_digits=20,
        decimal_places=4,
        help_text=_("The value at the start, against which progress is measured."),
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year the baseline value describes; before the first target year."),
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("The line ministry or body that reports on this KPI and answers for it."),
    )
    catalogue_code = forms.CharField(
        label=_("Catalogue indicator code"),
        max_length=40,
        required=False,
        help_text=_(
            "If this KPI tracks an indicator of the catalogue or one of the workspace's own, its "
            "code, e.g. TRA-01: its approved values can then be brought in as progress updates."
        ),
    )

    def __init__(
        self,
        *args: Any,
        cycle: Cycle,
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["responsible_organisation"].queryset = organisations  # type: ignore[attr-defined]
        for year in cycle.years:
            self.fields[f"{TARGET_PREFIX}{year}"] = forms.DecimalField(
                label=_("Target for %(year)s") % {"year": year},
                max_digits=20,
                decimal_places=4,
                required=False,
                help_text=_("Leave blank for no target that year."),
            )

    @classmethod
    def initial_for(cls, content: dict[str, Any]) -> dict[str, Any]:
        """Initial values from a KPI's content (its `review_content()`)."""
        initial = {
            name: content.get(name)
            for name in ("name", "unit", "direction", "baseline_value", "baseline_year")
        }
        initial["catalogue_code"] = content.get("catalogue_code", "")
        initial["responsible_organisation"] = content.get("responsible_organisation_id")
        for year, value in (content.get("targets") or {}).items():
            initial[f"{TARGET_PREFIX}{year}"] = value
        return initial

    def target_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith(TARGET_PREFIX)]

    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith(TARGET_PREFIX) and name != "lock_version"
        ]

    def targets(self) -> dict[int, Decimal]:
        found = {}
        for year in self.cycle.years:
            value = self.cleaned_data.get(f"{TARGET_PREFIX}{year}")
            if value is not None:
                found[year] = value
        return found

    def clean_catalogue_code(self) -> str:
        code = (self.cleaned_data.get("catalogue_code") or "").strip()
        if code and not (
            Indicator.objects.filter(code=code)
            .filter(Q(workspace__isnull=True) | Q(workspace=self.cycle.workspace_id))
            .exists()
        ):
            raise forms.ValidationError(
                _(
                    "No indicator has the code “%(code)s”; check it on the workspace's "
                    "indicators page."
                ),
                code="unknown_indicator",
                params={"code": code},
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        baseline_year = cleaned.get("baseline_year")
        targets = self.targets()
        if baseline_year is not None and targets and baseline_year >= min(targets):
            self.add_error(
                "baseline_year", _("The baseline year must come before the first target year.")
            )
        return cleaned

    def service_values(self) -> dict[str, Any]:
        """Keyword arguments of `kpi_create`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "unit": data["unit"],
            "direction": data["direction"],
            "baseline_value": data["baseline_value"],
            "baseline_year": data["baseline_year"],
            "targets": self.targets(),
            "responsible_organisation": data["responsible_organisation"],
            "catalogue_code": data.get("catalogue_code", ""),
        }

    def review_changes(self) -> dict[str, Any]:
        """The changes as `review_edit` takes them."""
        values = self.service_values()
        organisation = values.pop("responsible_organisation")
        values["responsible_organisation_id"] = organisation.pk
        values["targets"] = targets_to_json(values["targets"])
        return values


class ProgressUpdateForm(ServiceModelForm):
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("A year (2024), a quarter (2024-Q2) or a month (2024-05)."),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["period", "actual_value", "note", "evidence_url"]
        labels = {
            "period": _("Period"),
            "actual_value": _("Actual value"),
            "note": _("Note"),
            "evidence_url": _("Evidence (web address)"),
        }
        help_texts = {
            "period": _("A year (2024), a quarter (2024-Q2) or a month (2024-05)."),
            "actual_value": _("The value measured for that period, in the KPI's unit."),
            "note": _("What explains the value, where it comes from. You can use Markdown."),
            "evidence_url": _("A report or dataset that backs the value, if published online."),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def clean_period(self) -> str:
        period = str(self.cleaned_data.get("period") or "").strip().upper()
        validate_period(period)
        return period
