from django.apps import AppConfig


class EmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "countybridge.ems"
    label = "ems"
    verbose_name = "Pre-hospital emergency network"

    def ready(self) -> None:
        # the EMS registries join core's import page, API and command (hospitals, demand points, stations)
        from countybridge.core.imports import services as imports

        from .imports import SPECS

        for spec in SPECS:
            imports.SPECS.setdefault(spec.key, spec)
