from django.urls import path

from . import views, views_alliance, views_profiles, views_selfcert

app_name = "talent"

urlpatterns = [
    path("", views.index, name="index"),
    path("talents/", views.talent_list, name="talent_list"),
    path("talents/new/", views_profiles.talent_new, name="talent_new"),
    path("talents/<int:pk>/edit/", views_profiles.talent_edit, name="talent_edit"),
    path("talents/<int:pk>/", views.talent_detail, name="talent_detail"),
    path("talents/<int:talent_pk>/certify/", views.certification_new, name="certification_new"),
    path("talents/<int:talent_pk>/self-certify/", views_selfcert.self_certify, name="self_certify"),
    path("certifications/", views.certification_list, name="certification_list"),
    path("certifications/<int:pk>/", views.certification_detail, name="certification_detail"),
    path("rulesets/<str:county>/", views.ruleset_edit, name="ruleset_edit"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("applications/", views.application_list, name="application_list"),
    path("benefits/", views.benefit_list, name="benefit_list"),
    path("quotas/allocate/", views_profiles.quota_allocate, name="quota_allocate"),
    path("quotas/", views_alliance.quota_list, name="quota_list"),
    path("s/<slug:slug>/", views_alliance.section_list, name="section_list"),
    path("s/<slug:slug>/new/", views_alliance.section_edit, name="section_new"),
    path("s/<slug:slug>/<int:pk>/", views_alliance.section_edit, name="section_edit"),
]
