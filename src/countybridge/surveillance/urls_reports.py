from django.urls import path

from . import views_reports

app_name = "surveillance_reports"

urlpatterns = [
    path("", views_reports.report_list, name="list"),
    path("new/", views_reports.report_new, name="new"),
    path("intake-sw.js", views_reports.intake_service_worker, name="intake_sw"),
    path("<int:pk>/", views_reports.report_detail, name="detail"),
]
