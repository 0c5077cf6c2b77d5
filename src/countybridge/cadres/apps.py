from django.apps import AppConfig


class CadresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "countybridge.cadres"
    label = "cadres"
    verbose_name = "Cadres"
