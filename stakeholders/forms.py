"""Forms of the browser UI. They collect and check input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin, ServiceModelForm

from .choices import Role
from .models import Invitation, Membership, Organisation, User, Workspace
from .services import existing_user_for_email_unrestricted


class WorkspaceSettingsForm(ServiceModelForm):
    class Meta:
        model = Workspace
        fields = [
            "name",
            "lead_organisation",
            "development_plan",
            "time_zone",
            "description",
            "suppression_threshold",
        ]
        help_texts = {
            "name": _(
                "The full name people will recognise, e.g. the country or city and the purpose."
            ),
            "lead_organisation": _("The organisation that leads the mainstreaming work."),
            "description": _(
                "What this workspace is for. You can use Markdown for headings, lists and links."
            ),
            "time_zone": _(
                "Dates and times of this workspace's meetings and history are shown "
                "in this time zone."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations
        self.fields["lead_organisation"].empty_label = _("No lead organisation")


class OrganisationForm(ServiceModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "country", "parent", "website"]
        help_texts = {
            "name": _("The official name, e.g. Ministry of Labour and Employment."),
            "acronym": _("The short name people use, e.g. MLE."),
            "kind": _("What sort of organisation it is."),
            "parent": _(
                "The organisation this one is part of, e.g. a ministry for one of its departments."
            ),
            "website": _("The full address, starting with https://"),
        }
        error_messages = {
            "name": {"required": _("Enter the organisation's name.")},
            "kind": {"required": _("Choose what sort of organisation it is.")},
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        parents = organisations
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("None")
        self.fields["country"].choices = [("", _("International (no country)"))] + [
            choice for choice in self.fields["country"].choices if choice[0]
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same_name = self.organisations.filter(name__iexact=name)
        if self.instance.pk is not None:
            same_name = same_name.exclude(pk=self.instance.pk)
        if same_name.exists():
            raise ValidationError(
                _("An organisation with this name is already registered in this workspace.")
            )
        return name


class MembershipForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["role", "organisation", "focal_point"]
        help_texts = {
            "role": _("What the person may do in this workspace."),
            "organisation": _("The organisation the person represents here."),
        }
        error_messages = {
            "role": {"required": _("Choose the person's role.")},
            "organisation": {"required": _("Choose the organisation the person represents.")},
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["focal_point"].label = _("This person is their organisation's focal point")


class InvitationForm(ServiceModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "organisation"]
        help_texts = {
            "role": _("What the person may do in this workspace. You can change it later."),
            "organisation": _(
                "The organisation the person will represent. Register it first "
                "if it is not in the list."
            ),
        }
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})}
        error_messages = {
            "email": {"required": _("Enter the email address of the person to invite.")},
            "role": {"required": _("Choose the person's role.")},
            "organisation": {"required": _("Choose the organisation the person will represent.")},
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].initial = Role.CONTRIBUTOR
        self.fields["email"].help_text = _(
            "We will send the invitation link to this address. The link works once and "
            "expires after %(days)s days."
        ) % {"days": settings.INVITATION_VALID_DAYS}


class AccountForm(ServiceModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "preferred_language"]
        help_texts = {
            "first_name": _("As other members of your workspaces will see it."),
            "last_name": _("As other members of your workspaces will see it."),
            "email": _("We send invitations and password reset links to this address."),
            "preferred_language": _("The portal's language when you sign in."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["preferred_language"].choices = [("", _("Not set (use the browser's)"))] + [
            choice for choice in self.fields["preferred_language"].choices if choice[0]
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        other = existing_user_for_email_unrestricted(email)
        if other is not None and other.pk != self.instance.pk:
            raise ValidationError(_("Another account already uses this email address."))
        return email


class InvitationAcceptForm(PortalFormMixin, forms.Form):
    """A new account for the person an invitation was sent to."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You will sign in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        help_text=_("As other members of the workspace will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        help_text=_("As other members of the workspace will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        help_text=_("Type the same password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        confirmation = cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation", _("The two passwords do not match."))
        elif password:
            candidate = User(
                username=cleaned.get("username", ""),
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
