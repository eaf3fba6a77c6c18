"""Pages of mainstreaming: each view module lists its own routes."""

from .views import corridors, cycles, home, monitoring, planning, profile_links, vertical

app_name = "mainstreaming"

urlpatterns = [
    *home.urlpatterns,
    *cycles.urlpatterns,
    *planning.urlpatterns,
    *monitoring.urlpatterns,
    *vertical.urlpatterns,
    *corridors.urlpatterns,
    *profile_links.urlpatterns,
]
