"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .models import AuditEvent


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=AuditEvent.Action.LOGIN, obj=user, request=request)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=AuditEvent.Action.LOGOUT, obj=user, request=request)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="core.User",
        object_repr=str(credentials.get("username", ""))[:150],
        request=request,
    )
