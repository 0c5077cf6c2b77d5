from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "countybridge.surveillance"
    label = "surveillance"
    verbose_name = "Infectious-disease surveillance"
