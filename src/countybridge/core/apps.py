from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "countybridge.core"
    label = "core"
    verbose_name = _("Core registries")

    def ready(self) -> None:
        from . import audit_maintenance, signals  # noqa: F401  (trigger switch; login/logout audit)
