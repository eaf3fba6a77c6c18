"""API of the planning cycle: cycles (serializers, viewsets and routes)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
