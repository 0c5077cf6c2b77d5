"""Django admin for the registries; the audit log is read-only there too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import APIToken, AuditEvent, FunctionalZone, JobRun, Organisation, Pairing, Person, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_zh",
        "name_en",
        "level",
        "parent",
        "is_county_city",
        "population_2020",
        "successor",
    )
    list_filter = ("level", "is_county_city")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(FunctionalZone)
class FunctionalZoneAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_zh", "name_en")
    filter_horizontal = ("regions",)


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ("county_city", "district", "status", "description", "since")
    list_filter = ("status",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "township", "hospital_level", "hospital_grade", "is_synthetic")
    list_filter = ("kind", "region", "hospital_level", "ownership", "is_synthetic")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("parent", "township")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Admin shows masked numbers only; unmasking goes through the audited page."""

    list_display = ("name", "id_type", "id_number_masked", "sex", "birth_date", "region")
    list_filter = ("region", "id_type")
    search_fields = ("name",)
    exclude = ("id_number_encrypted", "id_number_hash")
    readonly_fields = ("id_number_masked",)

    def has_add_permission(self, request):
        return False


@admin.register(User)
class CountyBridgeUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("CountyBridge", {"fields": ("role", "region", "organisation", "domain", "person")}),
    )
    list_display = ("username", "role", "region", "organisation", "is_active")
    list_filter = ("role", "region")


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "organisation", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "secret_hash", "created_at", "last_used_at")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_username",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "region_code",
        "ip_address",
    )
    list_filter = ("action", "actor_role", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "progress", "stage", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
