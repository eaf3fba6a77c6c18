"""mapping API of the stakeholders app (coordination); routes at the bottom."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
