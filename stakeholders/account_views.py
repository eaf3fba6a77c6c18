"""Signing in and the user's own account page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.forms import PortalFormMixin, add_service_errors

from . import services
from .forms import AccountForm


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Remember `language` the way Django's `set_language` view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class PortalAuthenticationForm(PortalFormMixin, auth_forms.AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _("The username you chose when you joined.")
        self.fields["password"].help_text = _(
            "After %(limit)s wrong passwords, signing in to this account from your address is "
            "paused for %(minutes)s minutes."
        ) % {
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        }


class PortalPasswordResetForm(PortalFormMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("The address we send your invitations to.")


class PortalSetPasswordForm(PortalFormMixin, auth_forms.SetPasswordForm):
    pass


class PortalPasswordChangeForm(PortalFormMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].help_text = _("The password you use to sign in now.")


class LoginView(auth_views.LoginView):
    """Django's sign-in; afterwards the portal speaks the user's preferred language."""

    form_class = PortalAuthenticationForm

    def form_valid(self, form: PortalAuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            translation.activate(language)
            set_language_cookie(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm


class AccountView(FormView):
    """The user's name, email address and preferred language."""

    form_class = AccountForm
    template_name = "registration/account.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def form_valid(self, form: AccountForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            user = services.user_update_account(
                user=self.request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                preferred_language=data["preferred_language"],
            )
        except ValidationError as error:
            self.request.user.refresh_from_db()
            add_service_errors(form, error)
            return self.form_invalid(form)
        if user.preferred_language:
            translation.activate(user.preferred_language)
        response = HttpResponseRedirect(reverse("account"))
        if user.preferred_language:
            set_language_cookie(response, user.preferred_language)
        messages.success(self.request, _("Your account details were saved."))
        return response
