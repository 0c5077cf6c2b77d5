"""Import batches: one uploaded registry file, its dry-run result and whether it was committed."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file for one registry.

    A clean dry run keeps the file (encrypted: people files hold ID numbers) so that the commit button
    does not need a second upload; the copy is wiped once the batch is committed. A committed batch is
    unique per registry and content hash, so a retried commit can never write the rows twice.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Checked, ready to import")
        INVALID = "invalid", _("Has errors")
        COMMITTED = "committed", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    registry = models.CharField(_("registry"), max_length=32, db_index=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_sha256 = models.CharField(max_length=64, db_index=True)
    content_encrypted = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    # a county officer's batches carry their county, so access.scope_queryset applies as for other rows
    scope_region_field = "region"
    scope_organisation_field = None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "content_sha256"],
                condition=models.Q(status="committed"),
                name="unique_committed_import",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registry} {self.filename} ({self.status})"
