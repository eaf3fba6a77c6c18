"""Forms of the plan: concerns, priorities, objectives, actions. They collect and check input;
the services (and `review_edit` for reviewed content) validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.countries import currency_choices
from core.forms import PortalFormMixin
from stakeholders.models import Organisation

from ..choices import FundingStatus, ImplementationStatus, PolicyLevel

TEXTAREA = {"rows": 5}
MARKDOWN_HINT = _("You can use Markdown for lists, emphasis and links.")


class ConcernForm(PortalFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the concern"),
        max_length=200,
        help_text=_(
            "A migration-and-development concern priorities can start from, e.g. "
            "“Return and reintegration of migrant workers”."
        ),
        error_messages={"required": _("Enter the name of the concern.")},
    )


class PriorityForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("What the plan will act on, in a few words."),
        error_messages={"required": _("Enter the priority's title.")},
    )
    concern = forms.TypedChoiceField(
        label=_("Entry-point concern"),
        coerce=int,
        help_text=_("The migration-and-development concern this priority starts from."),
        error_messages={"required": _("Choose the concern this priority starts from.")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=PolicyLevel.choices,
        help_text=_("Where the priority is acted on."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "Why it matters, drawing on the situation analysis. You can use Markdown for lists, "
            "emphasis and links."
        ),
    )
    affected_groups = forms.CharField(
        label=_("Affected groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who is affected: e.g. returnees, remittance-receiving households, women."),
    )
    gender_considerations = forms.CharField(
        label=_("Gender considerations"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "How the priority affects women, men and gender roles differently. Required: every "
            "priority states its gender perspective."
        ),
        error_messages={
            "required": _(
                "Describe the gender considerations: every priority must state how it affects "
                "women and men."
            )
        },
    )
    rights_considerations = forms.CharField(
        label=_("Migrants' rights considerations"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "How the priority respects and protects the rights of migrants and their families. "
            "Required: every priority states it."
        ),
        error_messages={
            "required": _(
                "Describe the migrants' rights considerations: every priority must state how it "
                "protects migrants' rights."
            )
        },
    )
    national_priority = forms.TypedChoiceField(
        label=_("National priority it contributes to"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("An approved priority of your national workspace that this one serves."),
    )

    def __init__(
        self,
        *args: Any,
        concerns: list[tuple[int, str]],
        national_priorities: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concern"].choices = [("", _("Choose a concern")), *concerns]
        if national_priorities is None:
            del self.fields["national_priority"]
        else:
            self.fields["national_priority"].choices = [
                ("", _("None")),
                *national_priorities,
            ]

    def clean_gender_considerations(self) -> str:
        return self._required_text("gender_considerations")

    def clean_rights_considerations(self) -> str:
        return self._required_text("rights_considerations")

    def _required_text(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return value


class ObjectiveForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("What the plan means to achieve, e.g. “Cut recruitment costs for workers”."),
        error_messages={"required": _("Enter the objective's title.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=MARKDOWN_HINT,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class ActionForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("The activity, e.g. “Train labour inspectors on recruitment fees”."),
        error_messages={"required": _("Enter the action's title.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=MARKDOWN_HINT,
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation accountable for the action."),
        error_messages={
            "required": _("Choose the organisation that leads the action."),
            "invalid_choice": _("Choose one of this workspace's organisations."),
        },
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations working with the lead. Changes here are not reviewed."),
        error_messages={
            "invalid_choice": _("Choose partners among this workspace's organisations.")
        },
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        help_text=_("For example 2026-01-15."),
        error_messages={"required": _("Enter the start date."), "invalid": _("Enter a date.")},
    )
    end_date = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        help_text=_("For example 2027-06-30."),
        error_messages={"required": _("Enter the end date."), "invalid": _("Enter a date.")},
    )
    budget_amount = forms.DecimalField(
        label=_("Budget"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("The amount in the currency below. Leave empty if not costed yet."),
    )
    budget_currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        help_text=_("Budgets are summed per currency, never converted."),
    )
    funding_status = forms.ChoiceField(
        label=_("Funding status"), choices=FundingStatus.choices, initial=FundingStatus.UNFUNDED
    )
    funding_source = forms.CharField(
        label=_("Funding source"),
        required=False,
        max_length=250,
        help_text=_("e.g. national budget, a donor programme."),
    )
    outputs = forms.CharField(
        label=_("Outputs"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "What the action delivers. You can use Markdown for lists, emphasis and links."
        ),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["budget_currency"].choices = [("", _("No currency")), *currency_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if cleaned.get("budget_amount") is not None and not cleaned.get("budget_currency"):
            self.add_error("budget_currency", _("Choose the currency of the budget."))
        return cleaned


class ActionStatusForm(PortalFormMixin, forms.Form):
    implementation_status = forms.ChoiceField(
        label=_("Implementation status"),
        choices=ImplementationStatus.choices,
        help_text=_("How implementation is going. This is reported directly, without review."),
    )


class PriorityMoveForm(forms.Form):
    rank = forms.IntegerField(min_value=1)
