"""Forms of migration-profile editions and the customisation of templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from indicators.models import Indicator
from stakeholders.models import Platform, Workspace

from ..choices import EditionStage, Part
from ..models import YEAR_VALIDATORS, Edition, ProfileTemplate


class EditionForm(PortalFormMixin, forms.Form):
    """An edition's metadata; `template` only when starting one."""

    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("e.g. “Extended Migration Profile of Senegal 2020–2024”."),
    )
    reference_start_year = forms.IntegerField(
        label=_("Reference period from"), validators=YEAR_VALIDATORS, help_text=_("A year.")
    )
    reference_end_year = forms.IntegerField(
        label=_("Reference period to"),
        validators=YEAR_VALIDATORS,
        help_text=_("A year, not before the first one."),
    )
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=ProfileTemplate.objects.none(),
        empty_label=_("Choose a template"),
        help_text=_(
            "Its sections and suggested indicator tables become the edition's draft sections."
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=())
    stage = forms.ChoiceField(
        label=_("Stage"), choices=EditionStage.choices, initial=EditionStage.PLANNING
    )
    working_group = forms.ModelChoiceField(
        label=_("Technical working group"),
        queryset=Platform.objects.none(),
        required=False,
        empty_label=_("None yet"),
        help_text=_("The coordination platform of this workspace that drafts the profile."),
    )

    def __init__(
        self, *args: Any, workspace: Workspace, starting: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = settings.LANGUAGES
        self.fields["working_group"].queryset = Platform.objects.filter(
            workspace=workspace
        ).order_by("name")
        if starting:
            self.fields["template"].queryset = ProfileTemplate.objects.filter(
                Q(workspace__isnull=True) | Q(workspace=workspace)
            ).order_by("-workspace", "name")
        else:
            del self.fields["template"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("reference_start_year"), data.get("reference_end_year")
        if start and end and end < start:
            self.add_error(
                "reference_end_year", _("The reference period cannot end before it starts.")
            )
        return data

    @classmethod
    def initial_for(cls, edition: Edition) -> dict[str, Any]:
        return {
            "title": edition.title,
            "reference_start_year": edition.reference_start_year,
            "reference_end_year": edition.reference_end_year,
            "language": edition.language,
            "stage": edition.stage,
            "working_group": edition.working_group_id,
        }


class CloneForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the next edition"),
        max_length=250,
        help_text=_("The years in the title are moved forward with the reference period."),
    )


class TemplateCustomiseForm(PortalFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of your template"),
        max_length=200,
        help_text=_("e.g. “Our profile template”. You can change its sections afterwards."),
    )


class TemplateForm(PortalFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        flag = " " + str(_("(statistical annex)")) if obj.emp_annex else ""
        return f"{obj.code} – {obj.name}{flag}"


class TemplateSectionForm(PortalFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Number"), max_length=20, required=False, help_text=_("e.g. A.7; may be empty.")
    )
    part = forms.ChoiceField(label=_("Part"), choices=Part.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the authors should write here. Markdown."),
    )
    suggested_indicators = IndicatorChoiceField(
        label=_("Suggested indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each becomes a table over the reference period when an edition starts. Indicators "
            "marked “statistical annex” are those the catalogue flags for the profile's annex."
        ),
    )
    has_recommendations = forms.BooleanField(
        label=_("This section holds recommendations (Part D)"), required=False
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_indicators"].queryset = (
            Indicator.objects.filter(Q(framework__isnull=False) | Q(workspace=workspace))
            .select_related("framework")
            .order_by("-emp_annex", "code", "pk")
        )

    def codes(self) -> list[str]:
        return [indicator.code for indicator in self.cleaned_data["suggested_indicators"]]
