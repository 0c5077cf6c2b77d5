from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api

urlpatterns = [
    path("", include("countybridge.web.urls")),
    path("core/", include("countybridge.core.urls")),
    path("talent/", include("countybridge.talent.urls")),
    path("cadres/", include("countybridge.cadres.urls")),
    path("surveillance/reports/", include("countybridge.surveillance.urls_reports")),
    path("surveillance/catalogue/", include("countybridge.surveillance.urls_catalogue")),
    path("surveillance/signals/", include("countybridge.surveillance.urls_signals")),
    path("ems/", include("countybridge.ems.urls")),
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "countybridge.web.views.forbidden"
handler404 = "countybridge.web.views.not_found"
