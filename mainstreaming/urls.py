from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("mainstreaming.web_urls")),
    path("", include("stakeholders.urls")),
    path("", include("indicators.web_urls")),
    path("", include("profiles.web_urls")),
    path("accounts/", include("stakeholders.account_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", include("mainstreaming.api_urls")),
    path("admin/", admin.site.urls),
]
