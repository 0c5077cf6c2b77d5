"""Case reports (传染病报告卡, 2019 card) as versioned rows.

`CaseReport` is the report's identity: the client-generated `client_report_id` (unique, so a report uploaded
twice is stored once), the reporting institution and its county, and a mirror of the latest version's key
fields for lists and counts. Every card as submitted — the first report, each correction (订正报告) and a
withdrawal (退卡) — is a `CaseReportVersion` row that is never updated or deleted, so the history is complete.

Patient identifiers follow core's pattern: encrypted at rest (core.crypto), a keyed hash for matching and
de-duplication, masked for display.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countybridge.core.identifiers import ID_TYPES

from .catalogue import Disease, LegalClass


class CaseClassification(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected case (疑似病例)")
    CLINICAL = "clinical", _("Clinically diagnosed case (临床诊断病例)")
    CONFIRMED = "confirmed", _("Confirmed case (确诊病例)")
    CARRIER = "carrier", _("Pathogen carrier (病原携带者)")


class Chronicity(models.TextChoices):
    NONE = "", _("Not applicable")
    ACUTE = "acute", _("Acute (急性)")
    CHRONIC = "chronic", _("Chronic (慢性)")


class PatientOrigin(models.TextChoices):
    LOCAL_COUNTY = "county", _("This county (本县区)")
    CITY = "city", _("Other county of this city (本市其他县区)")
    PROVINCE = "province", _("Other city of this province (本省其它地市)")
    OTHER_PROVINCE = "other_province", _("Other province (外省)")
    HK_MO_TW = "hk_mo_tw", _("Hong Kong, Macau, Taiwan (港澳台)")
    FOREIGN = "foreign", _("Foreign (外籍)")


class PopulationGroup(models.TextChoices):
    """人群分类 of the 2019 card; codes are the platform's (the vendor's numeric codes are unverified)."""

    NURSERY_CHILD = "nursery_child", _("Nursery child (幼托儿童)")
    SCATTERED_CHILD = "scattered_child", _("Scattered child (散居儿童)")
    STUDENT = "student", _("Student (学生)")
    TEACHER = "teacher", _("Teacher (教师)")
    CHILDCARE = "childcare", _("Childcare worker or nanny (保育员及保姆)")
    FOOD = "food", _("Catering and food industry (餐饮食品业)")
    SERVICE = "service", _("Commercial services (商业服务)")
    MEDICAL = "medical", _("Medical staff (医务人员)")
    WORKER = "worker", _("Worker (工人)")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker (民工)")
    FARMER = "farmer", _("Farmer (农民)")
    HERDER = "herder", _("Herder (牧民)")
    FISHER = "fisher", _("Fisher or boatman (渔(船)民)")
    CLERK = "clerk", _("Cadre or office staff (干部职员)")
    RETIRED = "retired", _("Retired (离退人员)")
    HOUSEHOLD = "household", _("Household or unemployed (家务及待业)")
    OTHER = "other", _("Other (其他)")
    UNKNOWN = "unknown", _("Unknown (不详)")


class AgeUnit(models.TextChoices):
    YEARS = "years", _("years (岁)")
    MONTHS = "months", _("months (月)")
    DAYS = "days", _("days (天)")


class CaseReport(models.Model):
    """One notifiable-disease report; its cards are the versions. Counted once even when another
    institution reported the same patient and disease (`duplicate_of` points to the first report)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn (已退卡)")

    client_report_id = models.UUIDField(_("client report id"), unique=True, default=uuid.uuid4)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="case_reports",
        verbose_name=_("reporting institution"),
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="case_reports", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="township_case_reports",
        verbose_name=_("township of current address"),
    )
    # mirror of the latest version (the versions are the record)
    disease = models.ForeignKey(
        Disease, on_delete=models.PROTECT, related_name="case_reports", verbose_name=_("disease")
    )
    disease_subtype = models.CharField(_("subtype"), max_length=24, blank=True)
    case_classification = models.CharField(
        _("case classification"), max_length=12, choices=CaseClassification.choices
    )
    diagnosed_at = models.DateTimeField(_("diagnosis time"))
    onset_date = models.DateField(_("onset date"))
    report_date = models.DateField(_("report date"), help_text="local date of reported_at")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_version = models.PositiveIntegerField(default=1)
    outbreak_related = models.BooleanField(_("part of an outbreak (暴发疫情)"), default=False)
    # the deadline under the rules in force on the diagnosis date (set at the first report)
    legal_class = models.CharField(_("class"), max_length=5, choices=LegalClass.choices)
    managed_as_a = models.BooleanField(_("managed as class A"), default=False)
    deadline_hours = models.PositiveSmallIntegerField(_("report deadline (hours)"))
    deadline_at = models.DateTimeField(_("report due"))
    reported_at = models.DateTimeField(_("received"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded on the client"), null=True, blank=True)
    is_late = models.BooleanField(_("reported late"), default=False)
    # patient (masked; the encrypted values live in the versions)
    patient_key = models.CharField(max_length=64, db_index=True)
    patient_name_masked = models.CharField(_("patient (masked)"), max_length=40)
    id_number_masked = models.CharField(_("document number (masked)"), max_length=24, blank=True)
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="case_reports"
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("case report")
        verbose_name_plural = _("case reports")
        indexes = [
            models.Index(fields=["disease", "region", "report_date"], name="case_counts_report"),
            models.Index(fields=["disease", "region", "onset_date"], name="case_counts_onset"),
            models.Index(fields=["patient_key", "disease"], name="case_dedupe"),
        ]

    def __str__(self) -> str:
        return f"{self.disease} {self.patient_name_masked} #{self.pk}"

    @property
    def subtype_label(self) -> str:
        return self.disease.subtype_name(self.disease_subtype) if self.disease_subtype else ""

    @property
    def is_counted(self) -> bool:
        return self.status == self.Status.ACTIVE and self.duplicate_of_id is None


class CaseReportVersion(models.Model):
    """One card as submitted, never changed afterwards: the first report, a correction or a withdrawal."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report (初次报告)")
        CORRECTION = "correction", _("Correction (订正报告)")
        WITHDRAWAL = "withdrawal", _("Withdrawal (退卡)")

    report = models.ForeignKey(CaseReport, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    card_number = models.CharField(_("card number (卡片编号)"), max_length=40, blank=True)
    # patient
    patient_name_encrypted = models.TextField()
    guardian_name_encrypted = models.TextField(blank=True)
    id_type = models.CharField(
        _("document type"), max_length=20, choices=[(k, v[0]) for k, v in ID_TYPES.items()], blank=True
    )
    id_number_encrypted = models.TextField(blank=True)
    id_number_masked = models.CharField(max_length=24, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age_value = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_unit = models.CharField(_("age unit"), max_length=6, choices=AgeUnit.choices, blank=True)
    workplace = models.CharField(_("work unit (school)"), max_length=120, blank=True)
    phone_encrypted = models.TextField(blank=True)
    patient_origin = models.CharField(_("patient belongs to"), max_length=16, choices=PatientOrigin.choices)
    township = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address_encrypted = models.TextField(blank=True)
    population_group = models.CharField(
        _("population group (人群分类)"), max_length=20, choices=PopulationGroup.choices
    )
    population_group_other = models.CharField(max_length=40, blank=True)
    # case
    case_classification = models.CharField(max_length=12, choices=CaseClassification.choices)
    chronicity = models.CharField(max_length=8, choices=Chronicity.choices, blank=True)
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="+")
    disease_subtype = models.CharField(max_length=24, blank=True)
    other_disease_text = models.CharField(_("other disease (free text)"), max_length=120, blank=True)
    onset_date = models.DateField()
    diagnosed_at = models.DateTimeField()
    death_date = models.DateField(null=True, blank=True)
    outbreak_related = models.BooleanField(default=False)
    # trailer
    reporting_doctor = models.CharField(_("reporting doctor (填卡医生)"), max_length=40)
    reporter_phone = models.CharField(max_length=30, blank=True)
    filled_date = models.DateField(_("date filled (填卡日期)"))
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    reason = models.CharField(_("correction or withdrawal reason"), max_length=300, blank=True)
    # who submitted this version
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_token = models.ForeignKey(
        "core.APIToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "version"]
        verbose_name = _("case report version")
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="unique_case_report_version"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("a case report version is never changed; add a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a case report version is never deleted")
