"""Forms of coordination platforms and meetings. They collect and check input; the services in
`stakeholders.platforms_services` validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin, ServiceModelForm

from .choices import FollowUpStatus
from .coordination_models import Decision, FollowUp, Meeting, Platform, Seat


class PlatformForm(ServiceModelForm):
    """The edit page adds the hidden `lock_version` (ReviewableUpdateMixin)."""

    class Meta:
        model = Platform
        fields = [
            "name",
            "kind",
            "chair",
            "established_on",
            "legal_basis",
            "mandate",
            "terms_of_reference",
        ]
        help_texts = {
            "name": _("E.g. National working group on international migration and development."),
            "kind": _("What sort of platform it is."),
            "chair": _("The organisation that chairs it."),
            "established_on": _("The date it was set up, e.g. 2024-03-15."),
            "legal_basis": _("The decree, order or decision that set it up, if any."),
            "mandate": _("What the platform is for. You can use Markdown."),
            "terms_of_reference": _(
                "Membership, meeting frequency, how decisions are taken. You can use Markdown."
            ),
        }
        error_messages = {
            "name": {"required": _("Enter the platform's name.")},
            "kind": {"required": _("Choose what sort of platform it is.")},
        }
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mandate": forms.Textarea(attrs={"rows": 5}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = organisations
        self.fields["chair"].empty_label = _("No chair named")

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SeatForm(ServiceModelForm):
    class Meta:
        model = Seat
        fields = ["organisation", "person", "kind", "focal_point"]
        help_texts = {
            "organisation": _("One seat per organisation."),
            "person": _("The person who sits for the organisation, if known."),
            "kind": _("Members take part in decisions; observers follow the work."),
            "focal_point": _("This person is the organisation's focal point for the platform."),
        }
        error_messages = {"organisation": {"required": _("Choose an organisation.")}}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MeetingForm(ServiceModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "attendees", "agenda", "minutes"]
        help_texts = {
            "title": _("E.g. Third ordinary meeting."),
            "starts_at": _("Date and time in the workspace's time zone."),
            "ends_at": _("Optional. Date and time in the workspace's time zone."),
            "location": _("A room and building, a city, or “online”."),
            "attendees": _("Tick every organisation that was present."),
            "agenda": _("One item per line, or Markdown."),
            "minutes": _("What was said. You can use Markdown."),
        }
        error_messages = {
            "title": {"required": _("Enter a title for the meeting.")},
            "starts_at": {
                "required": _("Enter when the meeting starts."),
                "invalid": _("Enter a date and time, e.g. 2026-05-14 10:00."),
            },
        }
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = organisations
        for name in ("starts_at", "ends_at"):
            self.fields[name].widget.format = "%Y-%m-%dT%H:%M"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("A meeting cannot end before it starts."))
        return data

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DecisionForm(ServiceModelForm):
    class Meta:
        model = Decision
        fields = ["text", "position"]
        labels = {"position": _("Order")}
        help_texts = {
            "text": _("What the meeting decided, in one or two sentences."),
            "position": _("Decisions are listed from the lowest number up."),
        }
        error_messages = {"text": {"required": _("Enter the decision.")}}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["position"]


class FollowUpForm(ServiceModelForm):
    class Meta:
        model = FollowUp
        fields = ["title", "owner", "due_on", "decision", "status", "note"]
        help_texts = {
            "title": _("What will be done, starting with a verb."),
            "owner": _("The organisation responsible. Its members can mark it done."),
            "due_on": _("E.g. 2026-06-30."),
            "decision": _("The decision this action carries out, if any."),
        }
        error_messages = {
            "title": {"required": _("Enter the action.")},
            "owner": {"required": _("Choose the organisation responsible.")},
        }
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisations: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations
        self.fields["decision"].queryset = decisions
        self.fields["decision"].empty_label = _("Not linked to a decision")

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FollowUpStatusForm(PortalFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FollowUpStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a status.")},
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Optional. E.g. where the result can be found."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
