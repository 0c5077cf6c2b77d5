"""Cadres (干部), their careers and the posts of county cities, municipal departments and urban districts;
rule sets stored as versioned data; exchange plans with their moves; recruitment quotas.

Everything here is personnel data: `scope_region_field` lets core.access limit a county officer to the
rows of their own county, and the app's selectors refuse every role outside the organisation line.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .planning.model import ASSESSMENT_SCORES, FUNCTIONS, KINSHIP, LEVELS, UNIT_TYPES

LEVEL_CHOICES = [(k, k) for k in LEVELS]
UNIT_TYPE_CHOICES = [(k, v[0]) for k, v in UNIT_TYPES.items()]
FUNCTION_CHOICES = [(k, v[0]) for k, v in FUNCTIONS.items()]
GRADE_CHOICES = [(k, k) for k in ASSESSMENT_SCORES]
KINSHIP_CHOICES = [(k, v[1]) for k, v in KINSHIP.items()]


class RuleSetVersion(models.Model):
    """One saved version of a jurisdiction's rules (engine rule dicts). Edits add a version, never
    overwrite one, so every plan can name the exact rules it was judged by. `region` None = city-wide."""

    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="unique_cadre_ruleset_version")
        ]

    def __str__(self) -> str:
        return f"{self.region.code if self.region else 'city'} v{self.version}"


class Position(models.Model):
    """A post in a unit; `is_open` posts are offered in the current exchange round."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField(_("unit"), max_length=120)
    unit_type = models.CharField(_("unit type"), max_length=12, choices=UNIT_TYPE_CHOICES)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=8, choices=LEVEL_CHOICES)
    is_chief = models.BooleanField(_("chief"), default=False)
    function = models.CharField(_("function"), max_length=20, choices=FUNCTION_CHOICES)
    team = models.CharField(_("leadership team"), max_length=60, blank=True)
    reports_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    preferred_fields = models.JSONField(_("preferred fields"), default=list, blank=True)
    is_open = models.BooleanField(_("offered in this round"), default=False)
    is_synthetic = models.BooleanField(default=False)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "code"]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.title}"


class Cadre(models.Model):
    """A cadre's file: the person (core.Person), 成长地, fields and the counts the promotion rules need.
    `region` is the county of the current post (scope); the current post is the open CareerPost."""

    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    birth_date = models.DateField(_("birth date"))
    home_region = models.CharField(_("home region (成长地)"), max_length=6)
    work_start = models.DateField(_("started work"))
    grassroots_years = models.FloatField(_("years at grassroots"), default=0)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=LEVEL_CHOICES)
    years_at_level = models.FloatField(_("years at level"), default=0)
    years_one_level_down = models.FloatField(_("years one level down"), default=0)
    posts_at_level = models.PositiveSmallIntegerField(_("posts at level"), default=1)
    posts_one_level_down = models.PositiveSmallIntegerField(_("posts one level down"), default=0)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(default=False)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CareerPost(models.Model):
    """A post held from `start` to `end` (None: held now). `consecutive_terms` counts terms in this run."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="career")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("post"), max_length=160)
    level = models.CharField(_("level"), max_length=8, choices=LEVEL_CHOICES)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    consecutive_terms = models.PositiveSmallIntegerField(_("consecutive terms"), default=1)

    class Meta:
        ordering = ["cadre_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"], condition=models.Q(end__isnull=True), name="one_current_post_per_cadre"
            ),
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(end__isnull=True), name="one_holder_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start}"


class Assessment(models.Model):
    """An annual assessment result (年度考核)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=8, choices=GRADE_CHOICES)

    class Meta:
        ordering = ["cadre_id", "year"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_assessment_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.grade}"


class TrainingRecord(models.Model):
    """A training course with its hours (干部教育培训)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="training")
    title = models.CharField(_("course"), max_length=160)
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.FloatField(_("hours"))

    class Meta:
        ordering = ["cadre_id", "year"]

    def __str__(self) -> str:
        return f"{self.title} {self.hours}h"


class Relative(models.Model):
    """A declared relative who is also a cadre, with the kinship code the avoidance rules read."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="relatives")
    relative = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+")
    kinship = models.CharField(_("kinship"), max_length=24, choices=KINSHIP_CHOICES)

    def __str__(self) -> str:
        return f"{self.cadre_id}-{self.relative_id} {self.kinship}"


class PlanStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PROPOSED = "proposed", _("Proposed")
    FAILED = "failed", _("Failed")
    APPROVED = "approved", _("Approved")


class ExchangePlan(models.Model):
    """An exchange plan: the solver's figures, the rule set version it used, the current check report
    (`violations`, `unmet`) and, if saved with violations, the officer's override reason."""

    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.RUNNING)
    # None: a city-wide round; a county: that county's own round under its own rule set
    region = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
    )
    as_of = models.DateField(_("as of"))
    ruleset = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    solver_status = models.CharField(max_length=20, blank=True)
    objective = models.IntegerField(default=0)
    best_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    must_move = models.JSONField(default=list, blank=True)
    violations = models.JSONField(default=list, blank=True)
    unmet = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"plan {self.pk} ({self.as_of})"


class PlanMove(models.Model):
    """One proposed move with the solver's explanation (binding and checked rules, fit components)."""

    plan = models.ForeignKey(ExchangePlan, on_delete=models.CASCADE, related_name="moves")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    from_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, blank=True)
    fit = models.IntegerField(default=0)
    explanation = models.JSONField(default=dict, blank=True)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan_id", "cadre__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "cadre"], name="one_move_per_cadre_per_plan")]

    def __str__(self) -> str:
        return f"{self.cadre_id} -> {self.to_position_id}"


class QuotaKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servants")
    XUANDIAO = "xuandiao", _("Selected graduates (选调生)")


class RecruitmentQuota(models.Model):
    """Planned and filled recruitment places per county, year and kind."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuotaKind.choices)
    planned = models.PositiveIntegerField(_("planned"))
    filled = models.PositiveIntegerField(_("filled"), default=0)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind"], name="unique_recruitment_quota"),
            models.CheckConstraint(
                condition=models.Q(filled__lte=models.F("planned")), name="quota_filled_le_planned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.kind}"
