"""The disease catalogue as effective-dated data.

Which class a disease belongs to, whether it is managed as 甲类 and how many hours a report may take change by
announcement (facts/surveillance.md § 1.3), so a case is classified by the `DiseaseClassification` row in force
on its diagnosis date, never by today's list. The catalogue ships as a versioned JSON file
(`surveillance/data/diseases.json`) loaded by `countybridge load_diseases`; CDC officers then edit the
detection method and parameters through `services_catalogue` (audited).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DiseaseKind(models.TextChoices):
    NOTIFIABLE = "notifiable", _("Statutory notifiable disease (法定传染病)")
    SYNDROME = "syndrome", _("Syndrome (症状监测)")
    MONITORED = "monitored", _("Other key-monitored disease (其他重点监测传染病)")
    UNEXPLAINED = "unexplained", _("New or unexplained disease (新发/不明原因)")


class LegalClass(models.TextChoices):
    A = "A", _("Class A (甲类)")
    B = "B", _("Class B (乙类)")
    C = "C", _("Class C (丙类)")
    OTHER = "other", _("Other (其他)")


class DetectionMethod(models.TextChoices):
    NONE = "", _("No aberration detection")
    FIXED = "fixed", _("Fixed threshold")
    CIDARS = "cidars-percentile", _("CIDARS moving percentile")
    EARS_C1 = "ears-c1", _("EARS C1")
    EARS_C2 = "ears-c2", _("EARS C2")
    EARS_C3 = "ears-c3", _("EARS C3")
    CUSUM = "cusum", _("CUSUM (Rossi)")
    FARRINGTON_FLEXIBLE = "farrington-flexible", _("Farrington flexible")
    FARRINGTON = "farrington", _("Farrington")


class CatalogueRelease(models.Model):
    """One load of the shipped catalogue file: its version and content hash, so a database says which
    edition of the lists it classifies by."""

    version = models.CharField(_("version"), max_length=32, unique=True)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    diseases = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("catalogue release")

    def __str__(self) -> str:
        return self.version


class Disease(models.Model):
    """A notifiable disease, a syndrome or another monitored disease, with its detection settings.

    `code` is the platform's stable key (the names change: 新型冠状病毒感染的肺炎 → 新型冠状病毒感染).
    Subtypes (肺炭疽, 乙肝 …) are data: [{"code", "name_zh", "name_en"}].
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DiseaseKind.choices, db_index=True)
    subtypes = models.JSONField(_("subtypes"), default=list, blank=True)
    chronic_applicable = models.BooleanField(_("acute/chronic applies"), default=False)
    detection_method = models.CharField(
        _("detection method"), max_length=24, choices=DetectionMethod.choices, blank=True
    )
    detection_params = models.JSONField(_("detection parameters"), default=dict, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("disease")
        verbose_name_plural = _("diseases")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def detection_params_json(self) -> str:
        import json

        return json.dumps(self.detection_params, ensure_ascii=False)

    def subtype_name(self, code: str) -> str:
        return next((s.get("name_zh", code) for s in self.subtypes if s.get("code") == code), code)


class DiseaseClassification(models.Model):
    """The class, 甲类 management and report deadline of a disease over [valid_from, valid_to).

    `managed_as_a_subtypes` lists subtypes managed as 甲类 although the disease is not (炭疽 → 肺炭疽).
    `name_zh` is the name the disease had in this period when it differs from today's.
    """

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="classifications")
    legal_class = models.CharField(_("class"), max_length=5, choices=LegalClass.choices)
    managed_as_a = models.BooleanField(_("managed as class A (按甲类管理)"), default=False)
    managed_as_a_subtypes = models.JSONField(default=list, blank=True)
    report_hours = models.PositiveSmallIntegerField(_("report deadline (hours)"), default=24)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name_zh = models.CharField(_("name in this period"), max_length=80, blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)

    class Meta:
        ordering = ["disease", "valid_from"]
        verbose_name = _("disease classification")
        constraints = [
            models.UniqueConstraint(fields=["disease", "valid_from"], name="unique_classification_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="classification_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disease_id} {self.legal_class} {self.valid_from}–{self.valid_to or ''}"
