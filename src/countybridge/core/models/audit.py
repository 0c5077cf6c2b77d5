"""The append-only audit log: every write and every read of sensitive personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit rows are append-only")

    def delete(self):
        raise PermissionError("audit rows are append-only")


class AuditEvent(models.Model):
    """Who did what to which object, when, from where and why. Never edited or deleted by the application;
    database triggers refuse UPDATE and DELETE as well (migration 0002)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        READ_SENSITIVE = "read_sensitive", _("Read sensitive data")
        UNMASK = "unmask", _("Unmask identifier")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        LOGIN = "login", _("Log in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Log out")
        DENIED = "denied", _("Access denied")
        JOB = "job", _("Background job")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=24, blank=True)
    api_token = models.ForeignKey(
        "core.APIToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("region"), max_length=12, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit rows are append-only")
