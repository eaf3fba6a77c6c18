"""Forms of the good-practice exchange: the practice, a transition's reason, library filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from core.forms import PortalFormMixin, ServiceModelForm

from .choices import PracticeArea, WorkspaceLevel
from .coordination_models import Practice
from .models import Organisation


class PracticeForm(ServiceModelForm):
    """Title, summary, area, what worked and what did not (Markdown), contact organisation."""

    class Meta:
        model = Practice
        fields = ["title", "summary", "area", "what_worked", "what_did_not", "contact_organisation"]
        help_texts = {
            "title": _("A short name others will recognise, e.g. “One-stop centre for returnees”."),
            "summary": _("Two or three sentences: what was done, where, by whom and for whom."),
            "area": _("The field of migration and development the practice belongs to."),
            "what_worked": _("Markdown. What made it work: partners, money, rules, timing."),
            "what_did_not": _("Markdown. What went wrong or would be done differently."),
            "contact_organisation": _("Who others can ask about it: one of this workspace's."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "what_worked": forms.Textarea(attrs={"rows": 6}),
            "what_did_not": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class PracticeTransitionForm(PortalFormMixin, forms.Form):
    """The reason for returning a practice to draft (required) or withdrawing it (optional)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if action == "return":
            field.required = True
            field.help_text = _("The author sees this reason on the practice.")
        elif action == "withdraw":
            field.help_text = _("Optional. Kept in the practice's history.")


def _country_choices(countries: list[str]) -> list[tuple[str, str]]:
    named = sorted(((code, country_name(code)) for code in countries), key=lambda c: str(c[1]))
    return [("", str(_("All countries"))), *named]


class PracticeLibraryFilterForm(PortalFormMixin, forms.Form):
    """Search and filters of the library, shared by the page and the API."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words from the title, summary, what worked or what did not."),
    )
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("All areas")), *PracticeArea.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    level = forms.ChoiceField(
        label=_("Workspace level"),
        required=False,
        choices=[("", _("National and local")), *WorkspaceLevel.choices],
    )

    def __init__(self, *args: Any, countries: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        if countries is None:  # the API: any ISO alpha-3 code is a valid filter
            field.choices = []
            self.fields["country"] = forms.RegexField(
                label=_("Country"), required=False, regex=r"^[A-Za-z]{3}$"
            )
        else:
            field.choices = _country_choices(countries)

    def filters(self) -> dict[str, str]:
        """The valid filters, ready for `practice_library` (invalid ones are dropped)."""
        if not self.is_valid():
            data = {name: "" for name in self.fields}
            data.update({k: v for k, v in self.cleaned_data.items() if k not in self.errors})
        else:
            data = dict(self.cleaned_data)
        return {
            "q": (data.get("q") or "").strip(),
            "area": data.get("area") or "",
            "country": (data.get("country") or "").upper(),
            "level": data.get("level") or "",
        }
