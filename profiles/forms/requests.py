"""Forms of data requests: asking an organisation, and answering as that organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from indicators.models import Indicator, Observation
from stakeholders.models import Organisation, Workspace

from ..models import Edition, Section


class ObservationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Observation) -> str:
        return f"{obj.indicator.code} · {obj.period} · {obj.value.normalize():f}"


class DataRequestForm(PortalFormMixin, forms.Form):
    """What is asked, of whom, for which period and by when."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation asked"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("Its editors and contributors will be able to answer."),
    )
    what = forms.CharField(
        label=_("Data requested"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say exactly which figures, broken down how, and in what form."),
    )
    period = forms.CharField(
        label=_("For the period"),
        max_length=60,
        required=False,
        help_text=_("e.g. 2019–2023, or “latest available year”."),
    )
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date by which the organisation should answer."),
    )
    edition = forms.ModelChoiceField(
        label=_("For the edition"),
        queryset=Edition.objects.none(),
        required=False,
        empty_label=_("No particular edition"),
    )
    section = forms.ModelChoiceField(
        label=_("For the section"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("No particular section"),
        help_text=_("Choosing a section also sets its edition."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("No particular indicator"),
        help_text=_("Answers may then link this indicator's values entered in the portal."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.filter(workspace=workspace).order_by(
            "name", "pk"
        )
        fields["edition"].queryset = Edition.objects.filter(workspace=workspace).order_by("-number")
        fields["section"].queryset = (
            Section.objects.filter(workspace=workspace)
            .select_related("edition")
            .order_by("-edition__number", "position", "pk")
        )
        fields["section"].label_from_instance = lambda s: f"{s.edition.number} · {s}"
        fields["indicator"].queryset = Indicator.objects.filter(
            Q(workspace__isnull=True) | Q(workspace=workspace)
        ).order_by("code", "pk")


class DataRequestAnswerForm(PortalFormMixin, forms.Form):
    """The organisation's answer: a note, a data file and/or values entered in the portal."""

    answer_note = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Explain what you send, its source and any caveat."),
    )
    answer_file = forms.FileField(
        label=_("Data file"),
        required=False,
        help_text=_("A CSV or Excel (XLSX) file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    observations = ObservationChoiceField(
        label=_("Values entered in the portal"),
        queryset=Observation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the values of the requested indicator that answer the request."),
    )

    def __init__(self, *args: Any, observations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["observations"].queryset = observations
