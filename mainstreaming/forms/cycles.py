"""Forms of the planning cycle: cycles, stage sign-off, situation sections and evidence.

They collect and check input; the services in `mainstreaming.services.cycles` validate and write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin, ServiceModelForm
from indicators.models import Indicator
from profiles.models import Edition
from stakeholders.review_forms import ReviewableFormMixin

from ..models import Cycle, SituationSection
from ..services.cycles import ACCEPTED_EXTENSIONS


class CycleForm(ServiceModelForm):
    class Meta:
        model = Cycle
        fields = ["title", "start_year", "end_year", "plan"]
        help_texts = {
            "title": _("A name people will recognise, e.g. “National development plan 2025–2029”."),
            "start_year": _("The first year the plan covers, e.g. 2025."),
            "end_year": _("The last year the plan covers, e.g. 2029."),
            "plan": _(
                "The national or local development plan this cycle feeds into, with its "
                "reference if it has one."
            ),
        }
        error_messages = {
            "title": {"required": _("Enter a title for the cycle.")},
            "start_year": {"required": _("Enter the first year, e.g. 2025.")},
            "end_year": {"required": _("Enter the last year, e.g. 2029.")},
        }
        widgets = {
            "start_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "end_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "plan": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return cleaned


class StageSignoffForm(PortalFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note for the record"),
        help_text=_("Optional: e.g. the meeting where the working group agreed it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class SituationSectionForm(ServiceModelForm):
    """A new section (its title and narrative)."""

    class Meta:
        model = SituationSection
        fields = ["title", "narrative"]
        help_texts = {
            "title": _("The chapter heading, e.g. “Remittances and financial inclusion”."),
            "narrative": _(
                "What the evidence says. You can use Markdown: ## headings, **bold**, lists "
                "and links."
            ),
        }
        error_messages = {"title": {"required": _("Enter the section's title.")}}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 14})}


class SituationSectionUpdateForm(ReviewableFormMixin, SituationSectionForm):
    """Editing a section: carries the version it was loaded at (a stale save is a conflict)."""


class SectionMoveForm(PortalFormMixin, forms.Form):
    position = forms.IntegerField(
        label=_("New position"),
        help_text=_("1 is the first section."),
        min_value=1,
    )


class EvidenceForm(PortalFormMixin, forms.Form):
    """A document to upload or a web link: one of the two."""

    title = forms.CharField(
        label=_("Title"),
        help_text=_("What it is, e.g. “Labour force survey 2023, table 4.2”."),
        max_length=250,
        error_messages={"required": _("Enter a title for the evidence.")},
    )
    file = forms.FileField(
        label=_("Document"),
        help_text=_(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), CSV, plain text, PNG or "
            "JPEG, up to %(limit)s."
        ),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)}
        ),
    )
    url = forms.URLField(
        label=_("Or a web address"),
        help_text=_("The full address of a page or report online, starting with https://"),
        required=False,
        max_length=1000,
        assume_scheme="https",
    )
    indicator = forms.ModelChoiceField(
        label=_("Or an indicator"),
        help_text=_("The section then points at the workspace's data for this indicator."),
        queryset=Indicator.objects.none(),
        required=False,
    )
    edition = forms.ModelChoiceField(
        label=_("Or a published migration profile"),
        help_text=_("One of the workspace's published Extended Migration Profile editions."),
        queryset=Edition.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        max_bytes: int,
        indicators: QuerySet[Indicator],
        editions: QuerySet[Edition] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        if editions is None:
            del self.fields["edition"]
        else:
            self.fields["edition"].queryset = editions  # type: ignore[attr-defined]
        self.fields["title"].required = False
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = self.fields["file"].help_text % {
            "limit": filesizeformat(max_bytes)
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kinds = [name for name in ("file", "url", "indicator", "edition") if name in self.fields]
        given = [name for name in kinds if cleaned.get(name)]
        if not any(self.errors.get(name) for name in kinds):
            if len(given) > 1:
                self.add_error(
                    given[1],
                    _("Give one of a document, a web address or an indicator, not several."),
                )
            elif not given:
                self.add_error(
                    "file",
                    _("Choose a document to upload, give a web address or choose an indicator."),
                )
        titled = cleaned.get("indicator") or cleaned.get("edition")
        if not cleaned.get("title") and not titled and not self.errors:
            self.add_error("title", _("Enter a title for the evidence."))
        return cleaned
