"""The API under /api/: root, token, OpenAPI schema and docs, then each app's routes."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView

from indicators.api import catalogue as indicator_catalogue
from indicators.api import coverage as indicator_coverage
from indicators.api import imports as indicator_imports
from indicators.api import observations as indicator_observations
from indicators.api import sources as indicator_sources
from profiles.api import editions as profile_editions
from profiles.api import requests as profile_requests
from profiles.api import sections as profile_sections
from stakeholders.api.views import AuthTokenView

from .api import corridors, cycles, donor, monitoring, planning, profile_links, reports, schedules
from .views import vertical

api_root = APIRootView.as_view(
    api_root_dict={
        "workspaces": "workspace-list",
        "token": "api-token",
        "schema": "schema",
        "docs": "swagger-ui",
    }
)

urlpatterns = [
    path("", api_root, name="api-root"),
    path("auth/token/", AuthTokenView.as_view(), name="api-token"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path("", include("stakeholders.api.urls")),
    *cycles.urlpatterns,
    *planning.urlpatterns,
    *monitoring.urlpatterns,
    *corridors.urlpatterns,
    *vertical.api_urlpatterns,
    *indicator_catalogue.urlpatterns,
    *indicator_observations.urlpatterns,
    *indicator_sources.urlpatterns,
    *indicator_imports.urlpatterns,
    *indicator_coverage.urlpatterns,
    *reports.urlpatterns,
    *donor.urlpatterns,
    *schedules.urlpatterns,
    *profile_editions.urlpatterns,
    *profile_sections.urlpatterns,
    *profile_requests.urlpatterns,
    *profile_links.urlpatterns,
]
