from django.urls import path

from . import views

app_name = "ems"

urlpatterns = [
    path("", views.index, name="index"),
    path("county/<str:code>/", views.county, name="county"),
    path("county/<str:code>/map/", views.county_map, name="county_map"),
    path("county/<str:code>/roads/", views.network_import, name="network_import"),
    path("county/<str:code>/settings/", views.settings_page, name="county_settings"),
    path("settings/", views.settings_page, name="settings"),
    path("scenarios/", views.scenario_list, name="scenario_list"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/copy/", views.scenario_copy, name="scenario_copy"),
    path("scenarios/<int:pk>/stations/", views.station_add, name="station_add"),
    path("scenarios/<int:pk>/move/", views.ambulance_move, name="ambulance_move"),
    path("scenarios/<int:pk>/run/", views.run_start, name="run_start"),
    path("compare/", views.compare, name="compare"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/apply/", views.run_apply, name="run_apply"),
]
