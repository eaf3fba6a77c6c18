"""Form of a report request: the kind and the cycle, edition or indicator it is about."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from indicators.models import Indicator
from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.models import Workspace
from stakeholders.permissions import Perm

from ..choices import ReportKind
from ..models import Cycle

FIELD_OF_KIND = {
    ReportKind.CYCLE_PROGRESS: "cycle",
    ReportKind.PROFILE_EDITION: "edition",
    ReportKind.INDICATOR_FACT_SHEET: "indicator",
}


class ReportRequestForm(PortalFormMixin, forms.Form):
    """Which report, and what it is about (only what the reader may read is offered)."""

    kind = forms.ChoiceField(
        label=_("Kind of report"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    cycle = forms.ModelChoiceField(
        label=_("Planning cycle"),
        queryset=Cycle.objects.none(),
        required=False,
        help_text=_("For a cycle progress report."),
    )
    edition = forms.ModelChoiceField(
        label=_("Migration profile edition"),
        queryset=Edition.objects.none(),
        required=False,
        help_text=_("For a migration profile edition."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("For an indicator fact sheet."),
    )

    def __init__(self, *args: Any, workspace: Workspace, perms: frozenset[Perm], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["cycle"].queryset = Cycle.objects.filter(workspace=workspace).order_by(
            "-start_year", "title", "pk"
        )
        editions = Edition.objects.filter(workspace=workspace)
        if Perm.VIEW_DRAFTS not in perms:
            editions = editions.filter(status=EditionStatus.PUBLISHED)
        fields["edition"].queryset = editions.order_by("-number", "pk")
        fields["indicator"].queryset = (
            Indicator.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
            .filter(observations__workspace=workspace)
            .distinct()
            .order_by("code", "pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind in FIELD_OF_KIND:
            name = FIELD_OF_KIND[ReportKind(kind)]
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("Choose what the report is about."))
        return cleaned

    def parameters(self) -> dict[str, Any]:
        name = FIELD_OF_KIND[ReportKind(self.cleaned_data["kind"])]
        return {name: self.cleaned_data[name].pk}
