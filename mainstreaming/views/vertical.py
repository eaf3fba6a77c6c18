"""The national workspace's page of its local workspaces (vertical coordination)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
