"""Forms of stakeholder mapping and capacity needs. They collect input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceModelForm

from .coordination_models import CapacityNeed, StakeholderProfile

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class StakeholderProfileForm(ServiceModelForm):
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "How much the organisation cares about migration and development: "
            "1 = hardly at all, 5 = it is central to its mandate or members."
        ),
        error_messages={"required": _("Choose the organisation's interest, from 1 to 5.")},
    )
    influence = forms.TypedChoiceField(
        label=_("Influence"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "How much it can shape the plan and its implementation: "
            "1 = very little, 5 = it can decide or block."
        ),
        error_messages={"required": _("Choose the organisation's influence, from 1 to 5.")},
    )

    class Meta:
        model = StakeholderProfile
        fields = ["organisation", "interest", "influence", "role", "notes"]
        help_texts = {
            "organisation": _("Only organisations that are not on the map yet are listed."),
            "role": _("What the organisation does in the mainstreaming process."),
            "notes": _(
                "How and when to engage it, who to talk to. Members who take part in the "
                "process read these notes; observers do not. You can use Markdown."
            ),
        }
        error_messages = {
            "organisation": {"required": _("Choose the organisation to place on the map.")},
            "role": {"required": _("Choose the organisation's role in the process.")},
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, organisations: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("Choose an organisation")

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CapacityNeedForm(ServiceModelForm):
    class Meta:
        model = CapacityNeed
        fields = [
            "organisation",
            "area",
            "description",
            "priority",
            "planned_support",
            "supported_by",
        ]
        help_texts = {
            "organisation": _("The organisation that needs the capacity."),
            "area": _("Data, analysis, policy, coordination or implementation."),
            "description": _("What the organisation cannot do yet, and why it matters."),
            "priority": _("How urgent the need is for the plan."),
            "planned_support": _("Training, staff, equipment or advice planned to meet it."),
            "supported_by": _("The organisation that will provide the support, if known."),
        }
        error_messages = {
            "organisation": {"required": _("Choose the organisation that has the need.")},
            "area": {"required": _("Choose the area of the need.")},
            "description": {"required": _("Describe the need.")},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "planned_support": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("Choose an organisation")
        self.fields["supported_by"].queryset = organisations
        self.fields["supported_by"].empty_label = _("Not known yet")

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
