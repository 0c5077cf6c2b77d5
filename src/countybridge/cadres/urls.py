from django.urls import path

from . import views, views_registry

app_name = "cadres"

urlpatterns = [
    path("", views.index, name="index"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/training/", views.training_add, name="training_add"),
    path("positions/", views.position_list, name="position_list"),
    path("cadres/new/", views_registry.cadre_new, name="cadre_new"),
    path("cadres/<int:pk>/edit/", views_registry.cadre_edit, name="cadre_edit"),
    path("cadres/<int:pk>/career/", views_registry.career_add, name="career_add"),
    path("cadres/<int:pk>/career/<int:post_pk>/", views_registry.career_edit, name="career_edit"),
    path("cadres/<int:pk>/assessments/", views_registry.assessment_add, name="assessment_add"),
    path("cadres/<int:pk>/relatives/", views_registry.relative_add, name="relative_add"),
    path(
        "cadres/<int:pk>/relatives/<int:rel_pk>/remove/",
        views_registry.relative_remove,
        name="relative_remove",
    ),
    path(
        "cadres/<int:pk>/<str:kind>/<int:row_pk>/remove/", views_registry.record_remove, name="record_remove"
    ),
    path("positions/new/", views_registry.position_new, name="position_new"),
    path("positions/<int:pk>/edit/", views_registry.position_edit, name="position_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/start/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("rules/", views.rules, name="rules"),
    path("quotas/", views.quotas, name="quotas"),
]
