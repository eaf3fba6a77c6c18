"""API of the planning cycle: planning (serializers, viewsets and routes)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
