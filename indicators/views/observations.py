"""observations pages of the indicators app; routes at the bottom."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
