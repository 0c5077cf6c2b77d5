"""API authentication: a signed-in session (with CSRF on writes) or a Bearer token bound to one institution.

A token client acts as institution staff of the token's institution: `access.scope_queryset` then limits it
to that institution's rows, and `audit.record` writes the token (not a user) as the actor.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from ..models import APIToken, Role
from .errors import ApiError

# `last_used_at` is for operators ("is this token still in use?"); writing it at most once a minute keeps a
# busy client from turning every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenUser:
    """The identity a machine client acts as: institution staff of the token's institution."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    role = Role.INSTITUTION_STAFF
    region = None
    region_id = None
    person_id = None
    domain = ""
    pk = None
    id = None

    def __init__(self, token: APIToken):
        self.token = token
        self.organisation = token.organisation
        self.organisation_id = token.organisation_id

    @property
    def username(self) -> str:
        return self.get_username()

    def get_username(self) -> str:
        return f"token:{self.token.prefix}"

    def has_perm(self, perm, obj=None) -> bool:  # Django's permission API: a token has none
        return False

    def __str__(self) -> str:
        return self.get_username()


def parse_secret(header: str) -> tuple[str, str] | None:
    """`Bearer cb_<prefix>_<random>` -> (prefix, secret); None when the header is not one of ours."""
    scheme, _, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith("cb_"):
        return None
    parts = secret.split("_", 2)
    if len(parts) != 3 or not parts[1] or not parts[2]:
        return None
    return parts[1], secret


class BearerToken(APIKeyHeader):
    """`Authorization: Bearer cb_…`. A header that is present but wrong is refused outright (401) rather
    than falling through to the session, so a client with a revoked token learns it at once."""

    param_name = "Authorization"
    openapi_description = "Authorization: Bearer cb_<prefix>_<secret> (API token bound to one institution)"

    def authenticate(self, request, key):
        if not key:
            return None
        parsed = parse_secret(key)
        if parsed is None:
            if key.lower().startswith("bearer "):
                raise AuthenticationError()
            return None
        prefix, secret = parsed
        token = APIToken.objects.select_related("organisation__region").filter(prefix=prefix).first()
        if (
            token is None
            or token.revoked_at is not None
            or not hmac.compare_digest(token.secret_hash, APIToken.hash_secret(secret))
        ):
            raise AuthenticationError()
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.api_token = token
        return TokenUser(token)


class SignedInSession(SessionAuth):
    """Django's session, but CSRF is checked only once a user is known to be signed in: an anonymous
    write must answer 401 (not signed in), not 403 (CSRF), so clients can tell the two apart."""

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(
                403, "csrf_failed", "CSRF 校验失败,请刷新页面后重试", "CSRF check failed: reload the page"
            )
        return user
