"""Read-mostly admin for operators; everyday writes go through the pages (services, scope, audit)."""

from django.contrib import admin

from . import models as m


@admin.register(m.TalentProfile)
class TalentAdmin(admin.ModelAdmin):
    list_display = ("pk", "person", "region", "degree", "title", "employer")
    list_filter = ("region", "degree", "title")
    raw_id_fields = ("person", "employer")


@admin.register(m.CertificationApplication)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("pk", "talent", "region", "status", "decided_at")
    list_filter = ("status", "region")
    readonly_fields = ("decision",)
    raw_id_fields = ("talent",)


@admin.register(m.Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ("cls", "kind", "terms", "source_doc", "valid_from", "valid_to")


for model in (
    m.RuleSet,
    m.Certificate,
    m.Position,
    m.JobApplication,
    m.Quota,
    m.ExpertGroup,
    m.CountyDemand,
    m.ServiceRecord,
    m.ServiceStation,
    m.ServiceRequest,
    m.TrainingProgramme,
    m.Event,
):
    admin.site.register(model)
