"""Signals (预警信号) from the scheduled detection run, and their verification and response.

A signal belongs to the county CDC of its county (`region`) and must be verified before `deadline_at`. The
county officer (or a city CDC officer) concludes it — verified as a suspected event (核实为疑似事件) or a
false alarm (排除) — records the field investigation and the response measures, and may escalate it to the
city CDC; a signal still unverified at its deadline is escalated automatically. Every change is a
`SignalEvent` row (the status history, never edited) and an audit row.

One signal per (disease, region, period, method): a rerun of the detection finds the stored row and adds
nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalogue import Disease


class SignalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification (待核实)")
    VERIFIED = "verified", _("Verified: suspected event (疑似事件)")
    FALSE_ALARM = "false_alarm", _("False alarm (排除)")


class SignalLevel(models.TextChoices):
    COUNTY = "county", _("County CDC (县级疾控)")
    CITY = "city", _("Escalated to the city CDC (已上报市疾控)")


class SignalFrequency(models.TextChoices):
    DAY = "day", _("Daily")
    WEEK = "week", _("Weekly")


class SpatialStatus(models.TextChoices):
    """Outcome of the optional second stage on an MPM signal (facts: surveillance.md § 2.1): a prospective
    space-time permutation scan over the county's townships. It never drops or changes the signal."""

    NOT_RUN = "not_run", _("Not scanned")
    CONFIRMED = "confirmed", _("Spatially confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not spatially confirmed")
    TOO_FEW_CASES = "too_few_cases", _("Too few cases to scan")
    NO_COORDINATES = "no_coordinates", _("Townships lack coordinates")


class Signal(models.Model):
    disease = models.ForeignKey(
        Disease, on_delete=models.PROTECT, related_name="signals", verbose_name=_("disease")
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="surveillance_signals", verbose_name=_("county")
    )
    frequency = models.CharField(_("frequency"), max_length=4, choices=SignalFrequency.choices)
    period = models.CharField(_("period"), max_length=10, help_text="YYYY-MM-DD (day) or YYYY-Www (ISO week)")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    method = models.CharField(_("method"), max_length=24)
    params = models.JSONField(_("method parameters"), default=dict, blank=True)
    observed = models.FloatField(_("observed"))
    threshold = models.FloatField(_("threshold"))
    status = models.CharField(
        _("status"), max_length=12, choices=SignalStatus.choices, default=SignalStatus.PENDING, db_index=True
    )
    level = models.CharField(
        _("level"), max_length=8, choices=SignalLevel.choices, default=SignalLevel.COUNTY
    )
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    deadline_at = models.DateTimeField(_("verification due"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    investigation = models.TextField(_("field investigation (现场调查)"), blank=True)
    measures = models.TextField(_("response measures (处置措施)"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_reason = models.TextField(_("escalation reason"), blank=True)
    auto_escalated = models.BooleanField(_("escalated automatically (overdue)"), default=False)
    spatial_status = models.CharField(
        _("space-time scan"), max_length=16, choices=SpatialStatus.choices, default=SpatialStatus.NOT_RUN
    )
    spatial_p = models.FloatField(_("space-time scan p-value"), null=True, blank=True)
    spatial_cluster = models.JSONField(_("most likely space-time cluster"), default=dict, blank=True)
    spatial_detail = models.JSONField(_("space-time scan details"), default=dict, blank=True)
    spatial_scanned_at = models.DateTimeField(_("space-time scan run"), null=True, blank=True)
    job_id = models.CharField(_("detection run"), max_length=40, blank=True)
    store_token = models.CharField(max_length=32, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_region_field = "region"

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["disease", "region", "period", "method"], name="unique_signal_disease_region_period"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level", "deadline_at"], name="signal_overdue"),
            models.Index(fields=["region", "disease", "period_end"], name="signal_series"),
        ]

    def __str__(self) -> str:
        return f"{self.disease_id}@{self.region_id} {self.period} {self.method}"

    @property
    def is_spatially_confirmed(self) -> bool:
        return self.spatial_status == SpatialStatus.CONFIRMED

    @property
    def is_open(self) -> bool:
        return self.status == SignalStatus.PENDING

    @property
    def hours_to_verify(self) -> float | None:
        if self.verified_at is None:
            return None
        return (self.verified_at - self.detected_at).total_seconds() / 3600.0

    def is_overdue(self, now=None) -> bool:
        return self.status == SignalStatus.PENDING and (now or timezone.now()) > self.deadline_at


class SignalEvent(models.Model):
    """One step of a signal's history (append-only): created, concluded, response recorded, escalated."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Detected")
        VERIFIED = "verified", _("Verified as a suspected event")
        FALSE_ALARM = "false_alarm", _("Marked a false alarm")
        INVESTIGATION = "investigation", _("Field investigation recorded")
        MEASURES = "measures", _("Response measures recorded")
        ESCALATED = "escalated", _("Escalated to the city CDC")
        AUTO_ESCALATED = "auto_escalated", _("Escalated automatically (overdue)")
        SPATIAL_SCAN = "spatial_scan", _("Space-time scan run")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    from_level = models.CharField(max_length=8, blank=True)
    to_level = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("signal event")

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
