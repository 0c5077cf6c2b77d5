"""API tokens for machine clients (hospital and clinic systems), each bound to one institution.

Who manages tokens: a city administrator for any institution, institution staff for their own. A client that
is itself authenticated by a token may not issue or revoke tokens, so a leaked secret cannot mint more.
The secret is returned once by `api_token_issue` and stored only as its SHA-256.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .. import access, audit
from ..models import APIToken, AuditEvent, Organisation, Role
from .errors import FieldProblem, ServiceValidationError

_PREFIX_ATTEMPTS = 5


def can_manage_tokens(user, organisation: Organisation | None = None) -> bool:
    """City administrators for every institution; institution staff (signed in, not a token) for their own."""
    if getattr(user, "token", None) is not None:
        return False
    role = access.role_of(user)
    if role == Role.CITY_ADMIN:
        return True
    if role == Role.INSTITUTION_STAFF:
        return organisation is None or organisation.pk == user.organisation_id
    return False


def api_tokens_for(user) -> QuerySet:
    """The tokens the user may see: all for a city administrator, their institution's for its staff."""
    if not can_manage_tokens(user):
        raise PermissionDenied(
            "API tokens are managed by city administrators and the institution's own staff"
        )
    qs = APIToken.objects.select_related("organisation").order_by("-created_at", "-id")
    if access.role_of(user) == Role.INSTITUTION_STAFF:
        qs = qs.filter(organisation_id=user.organisation_id)
    return qs


@transaction.atomic
def api_token_issue(
    *, actor, organisation: Organisation, name: str, request=None, system: bool = False
) -> tuple[APIToken, str]:
    """Create a token for `organisation`; returns (token, secret). The secret is not stored and cannot be
    shown again. `system=True` is the operator's command line (no signed-in user), recorded as such."""
    if not (system and actor is None) and not can_manage_tokens(actor, organisation):
        raise PermissionDenied(
            "only a city administrator or the institution's own staff may issue its tokens"
        )
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "name",
                    name[:80],
                    "令牌名称须为1至80个字符",
                    "A token name has 1 to 80 characters",
                    "required",
                )
            ]
        )
    for attempt in range(_PREFIX_ATTEMPTS):
        prefix, secret = APIToken.new_secret()
        try:
            with transaction.atomic():
                token = APIToken.objects.create(
                    name=name,
                    organisation=organisation,
                    prefix=prefix,
                    secret_hash=APIToken.hash_secret(secret),
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
            break
        except IntegrityError:  # prefix collision (8 hex digits): draw again
            if attempt == _PREFIX_ATTEMPTS - 1:
                raise
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=token,
        region_code=organisation.region.code,
        request=request,
        details={"organisation": organisation.pk, "via": "command line" if system else "api"},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token: APIToken, request=None, system: bool = False) -> APIToken:
    """Revoke a token at once (its next request answers 401). Revoking twice is harmless and not re-audited."""
    if not (system and actor is None) and not can_manage_tokens(actor, token.organisation):
        raise PermissionDenied(
            "only a city administrator or the institution's own staff may revoke its tokens"
        )
    token = APIToken.objects.select_for_update().select_related("organisation__region").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=token,
        region_code=token.organisation.region.code,
        request=request,
        details={"change": "revoked", "via": "command line" if system else "api"},
    )
    return token
