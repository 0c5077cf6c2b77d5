from django.urls import path

from . import views_catalogue

app_name = "surveillance_catalogue"

urlpatterns = [path("", views_catalogue.catalogue, name="index")]
