"""API token endpoints: list, issue (the secret is in this one answer only) and revoke.

Managed by city administrators (any institution) and institution staff (their own), signed in — a client
authenticated by a token cannot manage tokens. Rules live in `services.tokens`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja import Query, Router, Status

from .. import selectors
from ..services.errors import FieldProblem, ServiceValidationError
from ..services.tokens import api_token_issue, api_token_revoke, api_tokens_for, can_manage_tokens
from .pagination import Page, PageParams, paginate
from .schemas import TokenFilters, TokenIn, TokenIssued, TokenOut

router = Router(tags=["api tokens"])


@router.get("/api-tokens", response=Page[TokenOut], summary="API tokens you manage (never their secrets)")
def list_tokens(request, filters: Query[TokenFilters], paging: Query[PageParams]):
    tokens = api_tokens_for(request.auth)
    if filters.organisation_id is not None:
        tokens = tokens.filter(organisation_id=filters.organisation_id)
    if not filters.include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return paginate(tokens, paging)


@router.post("/api-tokens", response={201: TokenIssued}, summary="Issue a token for an institution")
def issue_token(request, payload: TokenIn, response: HttpResponse):
    user = request.auth
    if not can_manage_tokens(user):
        raise PermissionDenied(
            "API tokens are managed by city administrators and the institution's own staff"
        )
    try:
        organisation = selectors.organisation_get(user=user, pk=payload.organisation_id)
    except Http404:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "organisation_id",
                    str(payload.organisation_id),
                    "机构不存在或不在您的权限范围内",
                    "No such organisation in your scope",
                    "unknown",
                )
            ]
        ) from None
    token, secret = api_token_issue(actor=user, organisation=organisation, name=payload.name, request=request)
    response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    token.secret = secret
    return Status(201, token)


@router.post(
    "/api-tokens/{prefix}/revoke", response=TokenOut, summary="Revoke a token (its next request gets 401)"
)
def revoke_token(request, prefix: str):
    token = api_tokens_for(request.auth).filter(prefix=prefix).first()
    if token is None:
        raise Http404("no such token")
    return api_token_revoke(actor=request.auth, token=token, request=request)
