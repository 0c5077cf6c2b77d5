"""The organisations registry: departments, hospitals, primary care, schools, employers, parks, universities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Government department")
    HOSPITAL = "hospital", _("Hospital")
    PRIMARY_CARE = "primary_care", _("Primary-care institution")
    SCHOOL = "school", _("School")
    EMPLOYER = "employer", _("Employer")
    PARK = "park", _("Industrial park")
    UNIVERSITY = "university", _("University")


class HospitalLevel(models.IntegerChoices):
    PRIMARY = 1, _("Level 1 (一级)")
    SECONDARY = 2, _("Level 2 (二级)")
    TERTIARY = 3, _("Level 3 (三级)")


class HospitalGrade(models.TextChoices):
    A = "甲", _("Grade A (甲等)")
    B = "乙", _("Grade B (乙等)")
    C = "丙", _("Grade C (丙等)")
    NONE = "", _("Ungraded")


class PrimaryCareType(models.TextChoices):
    TOWNSHIP_HEALTH_CENTRE = "township_hc", _("Township health centre (乡镇卫生院)")
    COMMUNITY_HEALTH_CENTRE = "community_hc", _("Community health service centre (社区卫生服务中心)")
    VILLAGE_CLINIC = "village_clinic", _("Village clinic (村卫生室)")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


SCHOOL_STAGES = {
    "kindergarten": _("Kindergarten"),
    "primary": _("Primary"),
    "junior": _("Junior secondary"),
    "senior": _("Senior secondary"),
    "vocational": _("Vocational"),
}


class Organisation(models.Model):
    """One institution of any kind; kind-specific fields are empty where they do not apply.

    A single table keeps scope and import logic in one place; `core.services` validates per kind.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="township_organisations"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=8, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    # hospitals
    hospital_level = models.PositiveSmallIntegerField(
        _("hospital level"), choices=HospitalLevel.choices, null=True, blank=True
    )
    hospital_grade = models.CharField(
        _("hospital grade"), max_length=1, choices=HospitalGrade.choices, blank=True
    )
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    departments = models.JSONField(_("clinical departments"), default=list, blank=True)
    has_emergency_department = models.BooleanField(_("emergency department"), default=False)
    # primary care
    primary_care_type = models.CharField(
        _("primary-care type"), max_length=16, choices=PrimaryCareType.choices, blank=True
    )
    # schools
    school_stages = models.JSONField(_("school stages"), default=list, blank=True)
    school_tier = models.CharField(_("school tier"), max_length=32, blank=True, help_text="省级示范校 …")
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    # employers and parks
    industry = models.CharField(_("industry"), max_length=64, blank=True)
    # departments: which domain (health, education, organisation, hr, cdc)
    domain = models.CharField(_("domain"), max_length=16, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # how access.scope_queryset finds the county and the institution of a row
    scope_region_field = "region"
    scope_organisation_field = "id"

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="unique_org_name_per_county"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_secondary_or_above(self) -> bool:
        return self.kind == OrganisationKind.HOSPITAL and (self.hospital_level or 0) >= 2
