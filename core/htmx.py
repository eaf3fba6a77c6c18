"""htmx helpers: one URL and one view serve both the full page and its fragment."""

from typing import Any

from django.http import HttpRequest


class HtmxTemplateMixin:
    """Render `<template>#<htmx_partial>` for htmx requests, the whole template otherwise.

    Uses Django's built-in template partials (`{% partialdef name %}` … `{% endpartialdef %}`).
    """

    htmx_partial: str = ""
    request: HttpRequest

    def get_template_names(self) -> list[str]:
        names: list[str] = super().get_template_names()  # type: ignore[misc]
        if self.htmx_partial and getattr(self.request, "htmx", False):
            return [f"{name}#{self.htmx_partial}" for name in names]
        return names

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["is_htmx"] = bool(getattr(self.request, "htmx", False))
        return context
