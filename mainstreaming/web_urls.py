"""Pages of mainstreaming: each view module lists its own routes."""

from .views import (
    corridors,
    cycles,
    donor,
    home,
    monitoring,
    planning,
    profile_links,
    reports,
    schedules,
    vertical,
)

app_name = "mainstreaming"

urlpatterns = [
    *home.urlpatterns,
    *cycles.urlpatterns,
    *planning.urlpatterns,
    *monitoring.urlpatterns,
    *vertical.urlpatterns,
    *corridors.urlpatterns,
    *profile_links.urlpatterns,
    *reports.urlpatterns,
    *donor.urlpatterns,
    *schedules.urlpatterns,
]
