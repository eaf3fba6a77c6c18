"""Pages of the indicators app: each view module lists its own routes."""

from .views import catalogue, coverage, imports, observations, sources

app_name = "indicators"

urlpatterns = [
    *catalogue.urlpatterns,
    *observations.urlpatterns,
    *sources.urlpatterns,
    *imports.urlpatterns,
    *coverage.urlpatterns,
]
