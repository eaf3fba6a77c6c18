"""reports API; routes at the bottom."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
