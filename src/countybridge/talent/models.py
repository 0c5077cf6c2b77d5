"""Talent registry, certification, joint recruitment, quotas, expert circuits, service alliance, events.

Every row names its county (`region`, a county-level core.Region) so `core.access.scope_queryset` can
restrict it; institution staff see rows of their employer via `scope_organisation_field`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEGREES = [
    ("none", _("None")),
    ("associate", _("Associate (大专)")),
    ("bachelor", _("Bachelor (本科)")),
    ("master", _("Master (硕士)")),
    ("doctor", _("Doctorate (博士)")),
]
TITLES = [
    ("none", _("None")),
    ("junior", _("Junior (初级)")),
    ("intermediate", _("Intermediate (中级)")),
    ("associate_senior", _("Associate senior (副高级)")),
    ("senior", _("Senior (正高级)")),
]


class Stamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    scope_region_field = "region"
    scope_organisation_field = None

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class TalentProfile(Stamped):
    """A talent: a core.Person (identifiers live there only) with qualifications and achievements."""

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="talent_profile")
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    employer = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talents",
        verbose_name=_("employer"),
    )
    degree = models.CharField(_("degree"), max_length=16, choices=DEGREES, default="none")
    major = models.CharField(_("major"), max_length=64, blank=True)
    title = models.CharField(_("professional title"), max_length=16, choices=TITLES, default="none")
    field = models.CharField(_("field"), max_length=32, blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    skills_text = models.TextField(_("skills"), blank=True)
    achievements = models.JSONField(_("achievements"), default=list, blank=True)
    awards = models.JSONField(_("awards"), default=list, blank=True)

    scope_organisation_field = "employer"

    class Meta:
        ordering = ["region__code", "pk"]
        verbose_name = _("talent")

    def __str__(self) -> str:
        return self.person.name


class RuleSet(Stamped):
    """A county's certification rule set as data (the engine's JSON); the newest active version applies."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("rules"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["region__code", "-version"]
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="talent_ruleset_version")]

    def __str__(self) -> str:
        return f"{self.region.code} v{self.version}"


class CertificationApplication(Stamped):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CERTIFIED = "certified", _("Certified")
        MANUAL_REVIEW = "manual_review", _("Awaiting officer review")
        INCOMPLETE = "incomplete", _("Evidence incomplete")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        APPROVED = "approved", _("Approved by officer")
        REJECTED = "rejected", _("Rejected by officer")

    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="certifications")
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    documents = models.JSONField(_("documents submitted"), default=list, blank=True)
    claimed_item = models.CharField(_("claimed catalogue item"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decision = models.JSONField(_("decision"), default=dict, blank=True)
    ruleset = models.ForeignKey(RuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    officer_note = models.CharField(_("officer's note"), max_length=300, blank=True)

    scope_organisation_field = "talent__employer"  # staff read their employees' applications

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.talent}"


class Certificate(Stamped):
    application = models.OneToOneField(
        CertificationApplication, on_delete=models.PROTECT, related_name="certificate"
    )
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="certificates")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    cls = models.CharField(_("class"), max_length=1)
    item = models.CharField(_("catalogue item"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["-pk"]


class Benefit(Stamped):
    """What a class receives, from its own source document: never derived from the catalogue."""

    cls = models.CharField(_("class"), max_length=1)
    kind = models.CharField(_("kind"), max_length=32)
    terms = models.CharField(_("terms"), max_length=300)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    source_doc = models.CharField(_("source document"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    scope_region_field = None

    class Meta:
        ordering = ["cls", "kind"]


class Position(Stamped):
    class FlexibleHire(models.TextChoices):
        NONE = "", _("Regular post")
        CHIEF_ADVISER = "chief_adviser", _("Chief adviser (首席顾问)")
        TECH_VICE_PRESIDENT = "tech_vp", _("Vice president for technology (科技副总)")
        VISITING_EXPERT = "visiting_expert", _("Visiting expert (柔性专家)")
        PART_TIME = "part_time", _("Part-time (兼职)")

    employer = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="talent_positions"
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    pairing = models.ForeignKey(
        "core.Pairing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    park = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("position"), max_length=100)
    field = models.CharField(_("field"), max_length=32, blank=True)
    min_degree = models.CharField(_("minimum degree"), max_length=16, choices=DEGREES, default="none")
    majors = models.JSONField(_("accepted majors"), default=list, blank=True)
    min_title = models.CharField(_("minimum title"), max_length=16, choices=TITLES, default="none")
    min_years = models.PositiveSmallIntegerField(_("minimum years"), default=0)
    responsibilities_text = models.TextField(_("responsibilities"), blank=True)
    skills_text = models.TextField(_("skills wanted"), blank=True)
    salary_min = models.PositiveIntegerField(_("salary from (yuan/month)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary to (yuan/month)"), null=True, blank=True)
    benefits = models.CharField(_("benefits"), max_length=300, blank=True)
    flexible_hire = models.CharField(
        _("flexible-hire type"), max_length=24, choices=FlexibleHire.choices, blank=True
    )
    is_open = models.BooleanField(_("open"), default=True)

    scope_organisation_field = "employer"

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name


class JobApplication(Stamped):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        RECOMMENDED = "recommended", _("Recommended")
        HIRED = "hired", _("Hired")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Rejected")

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="applications")
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="applications")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_organisation_field = "position__employer"

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["position", "talent"], name="talent_one_application")]


class Quota(Stamped):
    """Municipal programme places held by a county (and optionally one employer) for a year."""

    programme = models.CharField(_("programme"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveIntegerField(_("places"))
    arithmetic = models.JSONField(default=dict, blank=True)

    scope_organisation_field = "employer"

    class Meta:
        ordering = ["year", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "region", "employer"], name="talent_quota_unique"
            )
        ]


class QuotaUse(models.Model):
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="uses")
    application = models.ForeignKey(JobApplication, on_delete=models.PROTECT, related_name="quota_uses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quota", "application"], name="talent_quota_use_once")]

    def __str__(self) -> str:
        return f"{self.quota_id}/{self.application_id}"


class ExpertGroup(Stamped):
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")  # home base county
    base_lat = models.FloatField()
    base_lon = models.FloatField()
    available_days = models.JSONField(_("available days"), default=list)  # ISO dates
    max_travel_minutes = models.PositiveIntegerField(_("travel limit (minutes, round trip)"), default=240)
    max_days = models.PositiveSmallIntegerField(_("maximum service days"), default=5)
    members = models.JSONField(_("members"), default=list)  # [{"name":…, "specialties":[…]}]

    def __str__(self) -> str:
        return self.name


class CountyDemand(Stamped):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=120)
    specialty = models.CharField(_("specialty"), max_length=40)
    place = models.CharField(_("place"), max_length=120, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    priority = models.FloatField(_("priority"), default=1.0)
    size = models.PositiveSmallIntegerField(_("size"), default=1)


class ServiceRecord(Stamped):
    group = models.ForeignKey(ExpertGroup, on_delete=models.PROTECT, related_name="records")
    demand = models.ForeignKey(CountyDemand, on_delete=models.PROTECT, related_name="records")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    travel_minutes = models.FloatField(default=0)
    job_id = models.CharField(max_length=64, blank=True)
    done = models.BooleanField(_("served"), default=False)
    feedback = models.CharField(_("feedback"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)

    class Meta:
        ordering = ["day"]


class ServiceStation(Stamped):
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kinds = models.JSONField(_("services offered"), default=list)

    def __str__(self) -> str:
        return self.name


class ServiceRequest(Stamped):
    class Kind(models.TextChoices):
        HOUSING = "housing", _("Housing")
        SCHOOLING = "schooling", _("Children's schooling")
        SPOUSE = "spouse_employment", _("Spouse employment")
        PERMIT = "permit", _("Permits")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="service_requests")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    station = models.ForeignKey(
        ServiceStation, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["deadline"]


class TrainingProgramme(Stamped):
    class Kind(models.TextChoices):
        ORDER_CLASS = "order_class", _("Order class (订单班)")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        RURAL_CRAFTSMAN = "rural_craftsman", _("Rural craftsmen (乡村工匠)")
        NEW_FARMER = "new_farmer", _("New farmers (新型职业农民)")

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))


class Enrolment(Stamped):
    programme = models.ForeignKey(TrainingProgramme, on_delete=models.PROTECT, related_name="enrolments")
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="enrolments")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "talent"], name="talent_enrol_once")]


class Event(Stamped):
    class Kind(models.TextChoices):
        FAIR = "fair", _("Talent fair")
        COMPETITION = "competition", _("Start-up competition")
        SOE_PROJECTS = "soe_projects", _("State-enterprise project list")

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)


class EventSignup(Stamped):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="signups")
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="event_signups")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "talent"], name="talent_signup_once")]
