"""API authentication: a signed-in session (with CSRF on writes) or a Bearer token bound to one institution."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import APIKeyHeader

from ..models import APIToken, Role


class TokenUser:
    """The identity a machine client acts as: institution staff of the token's institution."""

    is_authenticated = True
    is_active = True
    role = Role.INSTITUTION_STAFF
    region_id = None
    person_id = None
    domain = ""

    def __init__(self, token: APIToken):
        self.token = token
        self.organisation = token.organisation
        self.organisation_id = token.organisation_id
        self.pk = None

    def get_username(self) -> str:
        return f"token:{self.token.prefix}"


class BearerToken(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Bearer cb_"):
            return None
        secret = key.removeprefix("Bearer ").strip()
        parts = secret.split("_")
        if len(parts) < 3:
            return None
        token = APIToken.objects.select_related("organisation").filter(prefix=parts[1], revoked_at__isnull=True).first()
        if token is None or token.secret_hash != APIToken.hash_secret(secret):
            return None
        APIToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.api_token = token
        return TokenUser(token)
