from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.index, name="index"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/training/", views.training_add, name="training_add"),
    path("positions/", views.position_list, name="position_list"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/start/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("rules/", views.rules, name="rules"),
    path("quotas/", views.quotas, name="quotas"),
]
