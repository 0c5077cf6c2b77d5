"""Writing audit rows. Services call `record` inside their own transaction, so a write and its audit
row commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import AuditEvent

_request_ip: dict[str, str | None] = {}


def client_ip(request) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or None) if forwarded else request.META.get("REMOTE_ADDR")


def record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
    request=None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    api_token=None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if not region_code:
            region = getattr(obj, "region", None)
            region_code = getattr(region, "code", "") if region is not None else ""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    token = getattr(actor, "token", None)  # a machine client acting through an API token
    if token is not None:
        api_token = api_token or token
    return AuditEvent.objects.create(
        actor=actor if authenticated and token is None else None,
        actor_username=actor.get_username() if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        api_token=api_token,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        region_code=region_code,
        ip_address=client_ip(request),
        reason=reason[:300],
        details=details or {},
    )
