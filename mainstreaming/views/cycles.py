"""Pages of the planning cycle: cycles. Routes are listed at the bottom, next to their views."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
