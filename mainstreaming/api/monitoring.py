"""API of the planning cycle: monitoring (serializers, viewsets and routes)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
