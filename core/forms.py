"""Domain-free form parts: the portal's form renderer and the bridge from service errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.template.loader import get_template


class PortalFormRenderer(DjangoTemplates):
    """Renders forms and fields with the portal's templates (label, hint, error, widget).

    The project's own templates (`templates/forms/…`) come from the project template engine;
    Django's widget templates from the built-in form engine.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def get_template(self, template_name: str) -> Any:
        if template_name.startswith("forms/"):
            return get_template(template_name)
        return super().get_template(template_name)


PORTAL_FORM_RENDERER = PortalFormRenderer()


class PortalFormMixin:
    """Every form of the portal: rendered by `PortalFormRenderer`, errors flagged in the summary."""

    default_renderer: BaseRenderer | type[BaseRenderer] | None = PORTAL_FORM_RENDERER
    template_name_div = "forms/form.html"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ServiceModelForm(PortalFormMixin, forms.ModelForm):
    """A ModelForm used only for its fields: the service builds, validates and saves the model.

    `_post_clean` is skipped on purpose, so the form never mutates or validates `instance`;
    model validation happens once, in the service, and its errors come back through
    `add_service_errors`.
    """

    def _post_clean(self) -> None:
        return None

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}
