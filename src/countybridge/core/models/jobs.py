"""Background job runs: progress, stage, cancellation and result, beside the task queue's own rows."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a long computation. The task API has no progress, so workers report here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.FloatField(_("progress %"), default=0)
    stage = models.CharField(_("stage"), max_length=120, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # written every few seconds by the process running the job; a silent run lost its worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    scope_region_field = "region"
    scope_organisation_field = None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job run")

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress:.0f}%"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED}
