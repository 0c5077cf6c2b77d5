from django.urls import path

from . import views_signals as views

app_name = "surveillance_signals"

urlpatterns = [
    path("", views.signal_index, name="index"),
    path("curve/", views.epidemic_curve, name="curve"),
    path("tables/", views.signal_tables, name="tables"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/conclude/", views.signal_conclude, name="conclude"),
    path("<int:pk>/response/", views.signal_response, name="response"),
    path("<int:pk>/escalate/", views.signal_escalate, name="escalate"),
    path("<int:pk>/scan/", views.signal_spatial_scan, name="scan"),
]
