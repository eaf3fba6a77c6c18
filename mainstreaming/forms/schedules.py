"""Form of a report schedule: the kind and what it is about, how often, the rights level and
the subscribers (chosen among the members who may read it).

The form only offers choices; `mainstreaming.services.schedules` decides (who may schedule,
whether the cycle, edition or indicator is readable at the chosen rights level through the
kinds' `validate_parameters`, whether each subscriber may read the report) and its errors come
back on the fields they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin
from indicators.models import Indicator
from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm

from ..choices import ReportKind, RightsLevel, ScheduleFrequency
from ..models import Cycle, ReportSchedule
from ..services.schedules import subscriber_candidates

FIELD_OF_KIND = {
    ReportKind.CYCLE_PROGRESS: "cycle",
    ReportKind.PROFILE_EDITION: "edition",
    ReportKind.INDICATOR_FACT_SHEET: "indicator",
}


class FirstChoiceRadioSelect(forms.RadioSelect):
    """Radios whose field "id" is the first option's, so the error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class FirstChoiceCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field "id" is the first option's, so the error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class ScheduleForm(PortalFormMixin, forms.Form):
    """A schedule's fields; `active` is offered when changing an existing schedule."""

    kind = forms.ChoiceField(
        label=_("Kind of report"), choices=ReportKind.choices, widget=FirstChoiceRadioSelect
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
        help_text=_(
            "For a migration profile edition. A report of approved content only needs a "
            "published edition."
        ),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("For an indicator fact sheet."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=ScheduleFrequency.choices,
        widget=FirstChoiceRadioSelect,
        help_text=_(
            "A monthly report is produced on the first day of each month; a quarterly one on "
            "1 January, 1 April, 1 July and 1 October."
        ),
    )
    rights_level = forms.ChoiceField(
        label=_("Content"),
        choices=RightsLevel.choices,
        initial=RightsLevel.APPROVED,
        widget=FirstChoiceRadioSelect,
        help_text=_(
            "Reports of approved content only can be sent to every member. A report with "
            "drafts is internal: only members who see drafts may subscribe to it."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
    subscribers = forms.ModelMultipleChoiceField(
        label=_("Subscribers"),
        queryset=User.objects.none(),
        required=False,
        widget=FirstChoiceCheckboxes,
        help_text=_(
            "They get an e-mail with the link each time the report is ready. Members can also "
            "subscribe themselves."
        ),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive schedule produces nothing until it is made active again."),
    )

    def __init__(
        self,
        *args: Any,
        workspace: Workspace,
        perms: frozenset[Perm],
        schedule: ReportSchedule | None = None,
        **kwargs: Any,
    ):
        if schedule is not None:
            kwargs["initial"] = {**initial_of(schedule), **(kwargs.get("initial") or {})}
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
        if schedule is not None and schedule.kind == ReportKind.INDICATOR_FACT_SHEET:
            # The scheduled indicator stays offered even before it has observations here.
            pk = schedule.parameters.get("indicator")
            fields["indicator"].queryset = (
                Indicator.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
                .filter(Q(observations__workspace=workspace) | Q(pk=pk))
                .distinct()
                .order_by("code", "pk")
            )
        if Perm.VIEW_DRAFTS not in perms:
            fields["rights_level"].choices = [
                (RightsLevel.APPROVED.value, RightsLevel.APPROVED.label)
            ]
        # Every member who may read an approved-level report; the service refuses those who
        # may not read a drafts-level one.
        candidates = subscriber_candidates(workspace, RightsLevel.APPROVED)
        fields["subscribers"].queryset = User.objects.filter(
            pk__in=[user.pk for user in candidates]
        ).order_by("username")
        if schedule is None:
            del fields["active"]

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

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments (without actor, workspace or schedule)."""
        values = {
            "kind": self.cleaned_data["kind"],
            "parameters": self.parameters(),
            "frequency": self.cleaned_data["frequency"],
            "rights_level": self.cleaned_data["rights_level"],
            "language": self.cleaned_data["language"],
            "subscribers": list(self.cleaned_data["subscribers"]),
        }
        if "active" in self.fields:
            values["active"] = self.cleaned_data["active"]
        return values


def initial_of(schedule: ReportSchedule) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": schedule.kind,
        "frequency": schedule.frequency,
        "rights_level": schedule.rights_level,
        "language": schedule.language,
        "active": schedule.active,
        "subscribers": [user.pk for user in schedule.subscribers.all()],
    }
    if schedule.kind in FIELD_OF_KIND:
        name = FIELD_OF_KIND[ReportKind(schedule.kind)]
        initial[name] = schedule.parameters.get(name)
    return initial
