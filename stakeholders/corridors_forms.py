"""Forms of the corridor pages. They collect input; `corridors_services` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin

from .choices import CorridorRole
from .models import Workspace


class PartnerChoiceField(forms.ModelChoiceField):
    """A found workspace, shown by its name and country only."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.country})"


class CorridorForm(PortalFormMixin, forms.Form):
    partner = PartnerChoiceField(
        label=_("Partner country's workspace"),
        queryset=Workspace.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Search above by the workspace's short name or the country's code first."),
    )
    proposer_role = forms.ChoiceField(
        label=_("Role of your country in the corridor"), choices=CorridorRole.choices
    )
    partner_role = forms.ChoiceField(
        label=_("Role of the partner country"), choices=CorridorRole.choices
    )
    description = forms.CharField(
        label=_("The migration corridor"),
        help_text=_(
            "Who moves between the two countries, how many, and why. You can use Markdown."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Workspace], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = candidates  # type: ignore[attr-defined]


class JointActionForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("What both countries will do together, e.g. a joint pre-departure course."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("Who does what, and by when. You can use Markdown."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
