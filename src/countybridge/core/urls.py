from django.urls import path

from .views import registry

app_name = "core"

urlpatterns = [
    path("regions/", registry.region_list, name="region_list"),
    path("regions/<str:code>/", registry.region_detail, name="region_detail"),
    path("organisations/", registry.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", registry.organisation_detail, name="organisation_detail"),
    path("people/", registry.person_list, name="person_list"),
    path("people/<int:pk>/", registry.person_detail, name="person_detail"),
    path("people/<int:pk>/reveal/", registry.person_reveal, name="person_reveal"),
]
# further pages (imports, jobs, audit) are added below by their modules

from .views import audit as audit_views  # noqa: E402
from .views import pairings as pairing_views  # noqa: E402

urlpatterns += [
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("pairings/", pairing_views.pairing_list, name="pairing_list"),
    path("pairings/new/", pairing_views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/edit/", pairing_views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/delete/", pairing_views.pairing_delete, name="pairing_delete"),
]

from .views import jobs as job_views  # noqa: E402

urlpatterns += [
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/start/", job_views.job_start, name="job_start"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/cancel/", job_views.job_cancel, name="job_cancel"),
]

from .views import exports as export_views  # noqa: E402
from .views import imports as import_views  # noqa: E402

urlpatterns += [
    path("imports/", import_views.import_start, name="import_start"),
    path("imports/<uuid:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("imports/template/<str:registry>.csv", import_views.import_template, name="import_template"),
    path("organisations/export/", export_views.organisation_export, name="organisation_export"),
    path("people/export/", export_views.person_export, name="person_export"),
]
