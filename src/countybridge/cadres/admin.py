"""Admin for operators. Read-mostly: plans and careers change through services (audited), not here."""

from django.contrib import admin

from .models import Cadre, CareerPost, ExchangePlan, Position, RecruitmentQuota, RuleSetVersion


class CareerInline(admin.TabularInline):
    model = CareerPost
    extra = 0
    readonly_fields = ("position", "title", "level", "start", "end", "consecutive_terms")
    can_delete = False


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "region", "is_synthetic")
    list_filter = ("level", "region")
    search_fields = ("code", "name")
    raw_id_fields = ("person",)
    inlines = [CareerInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("code", "unit_name", "title", "level", "function", "is_open")
    list_filter = ("unit_type", "level", "is_open")
    search_fields = ("code", "unit_name", "title")
    raw_id_fields = ("reports_to", "unit")


@admin.register(ExchangePlan)
class ExchangePlanAdmin(admin.ModelAdmin):
    list_display = ("pk", "as_of", "status", "solver_status", "objective", "gap", "created_at")
    readonly_fields = [f.name for f in ExchangePlan._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    list_display = ("region", "version", "note", "created_at")
    readonly_fields = ("region", "version", "rules", "note", "created_by", "created_at")


@admin.register(RecruitmentQuota)
class RecruitmentQuotaAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "kind", "planned", "filled")
    list_filter = ("year", "kind")
