from django.apps import AppConfig


class EmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "countybridge.ems"
    label = "ems"
    verbose_name = "Pre-hospital emergency network"
