from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "countybridge.surveillance"
    label = "surveillance"
    verbose_name = "Infectious-disease surveillance"

    def ready(self):
        # case report cards are importable like the core registries (POST /api/core/imports/case_reports)
        from countybridge.core.imports.services import SPECS

        from .imports_reports import CaseReportSpec

        SPECS.setdefault(CaseReportSpec.key, CaseReportSpec())
