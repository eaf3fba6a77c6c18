"""Pages of migration profiles: each view module lists its own routes."""

from .views import editions, reading, requests, sections

app_name = "profiles"

urlpatterns = [
    *editions.urlpatterns,
    *sections.urlpatterns,
    *requests.urlpatterns,
    *reading.urlpatterns,
]
