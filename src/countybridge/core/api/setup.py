"""The NinjaAPI instance: authentication (session or institution-bound token), error bodies, routers.

Every error has the same body: {"error": {"code", "message_zh", "message_en", "details": [...]}}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from ..services.errors import ServiceValidationError
from .auth import BearerToken


def error_body(code: str, zh: str, en: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message_zh": zh, "message_en": en, "details": details or []}}


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="CountyBridge API",
        version="1",
        description="县市新城协同发展平台 JSON API. Scope rules are the same as the pages'.",
        auth=[BearerToken(), SessionAuth()],
        urls_namespace="api",
    )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return api.create_response(request, error_body("unauthenticated", "未登录或令牌无效", "Not signed in or token invalid"), status=401)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, error_body("forbidden", "无权执行此操作", "Not allowed", [str(exc)] if str(exc) else []), status=403)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, error_body("not_found", "未找到", "Not found"), status=404)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        details = [{"field": ".".join(str(x) for x in e.get("loc", [])), "message_en": e.get("msg", "")} for e in exc.errors]
        return api.create_response(request, error_body("invalid_request", "请求参数无效", "Invalid request", details), status=422)

    @api.exception_handler(ServiceValidationError)
    def _service_invalid(request, exc):
        details = [{"field": p.field, "value": p.value, "code": p.code, "message_zh": p.message_zh,
                    "message_en": p.message_en} for p in exc.problems]
        return api.create_response(request, error_body("validation_failed", "数据校验未通过", "Validation failed", details), status=422)

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        return api.create_response(request, error_body("http_error", str(exc), str(exc)), status=exc.status_code)

    from .routers import register_routers

    register_routers(api)
    return api
