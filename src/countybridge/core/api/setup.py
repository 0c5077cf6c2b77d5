"""The NinjaAPI instance: authentication (institution-bound token or session), error bodies, routers, docs.

Every error has the same body: {"error": {"code", "message_zh", "message_en", "details": [...]}} — for 400
(unknown query parameter, unreadable body), 401, 403, 404 (also for unknown /api/ paths), 409, 422 and 500.
The docs at /api/docs load Swagger UI from ninja's own static files ("ninja" is in INSTALLED_APPS, so ninja
renders its local template rather than the CDN one) under a CSP that allows nothing but this site.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import re_path
from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from ..services.errors import ServiceValidationError
from .auth import BearerToken, SignedInSession
from .errors import ApiError, error_body, field_problem, validation_details
from .strict import reject_unknown_query

logger = logging.getLogger(__name__)

DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# HttpError messages raised inside ninja itself, worded in both languages
_NINJA_MESSAGES = {
    400: (
        "bad_request",
        "请求无法解析(请求体应为有效的 JSON)",
        "The request could not be parsed (the body must be valid JSON)",
    ),
    405: ("method_not_allowed", "不支持此请求方法", "Method not allowed"),
    429: ("throttled", "请求过于频繁,请稍后再试", "Too many requests, try again later"),
}


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times carry the Asia/Shanghai offset (…+08:00), as the pages show them, rather than UTC "Z"."""

    def default(self, o):
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes: readable in logs and curl output."""

    encoder_class = LocalTimeEncoder
    json_dumps_params = {"ensure_ascii": False}


def _docs_with_csp(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = DOCS_CSP
        return response

    return wrapper


def _unknown_path(request, rest: str = ""):
    body = error_body("not_found", "未找到该接口", "No such API endpoint")
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message_zh", "message_en", "details"],
            "properties": {
                "code": {"type": "string"},
                "message_zh": {"type": "string"},
                "message_en": {"type": "string"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}
STANDARD_ERRORS = {
    400: "Unsupported query parameter, or a body that is not JSON",
    401: "Not signed in, or the token is invalid or revoked",
    403: "The role may not do this (or CSRF check failed)",
    404: "No such record, or outside the caller's scope",
    422: "Invalid input: details name each field, in Chinese and English",
    500: "Internal error (logged)",
}


def _json_405(view):
    """ninja answers a wrong method with an empty text 405; give it the error body like every other error."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            code, zh, en = _NINJA_MESSAGES[405]
            body = JsonResponse(
                error_body(code, zh, en), status=405, json_dumps_params={"ensure_ascii": False}
            )
            body["Allow"] = response.get("Allow", "")
            return body
        return response

    return wrapper


class CountyBridgeAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if getattr(pattern, "callback", None) is not None and getattr(
                pattern.callback, "csrf_exempt", False
            ):
                pattern.callback = _json_405(
                    pattern.callback
                )  # the operations' views (ninja marks them exempt)
        # After every route: unknown /api/ paths answer with the JSON error body, not the HTML 404 page.
        return [*urls, re_path(r"^(?P<rest>.*)$", _unknown_path, name="not-found")]

    def get_openapi_schema(self, **kwargs):
        """Every operation documents the shared error body for the standard failures."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, text in STANDARD_ERRORS.items():
                    responses.setdefault(status, {"description": text, "content": reference})
        return schema


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, body: dict, headers: dict | None = None):
        response = api.create_response(request, body, status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        body = error_body(
            "unauthenticated",
            "未登录或令牌无效(已撤销的令牌不再可用)",
            "Not signed in, or the token is invalid or revoked",
        )
        return respond(request, 401, body, {"WWW-Authenticate": 'Bearer realm="countybridge"'})

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        details = [{"reason": str(exc)}] if str(exc) else []
        return respond(request, 403, error_body("forbidden", "无权执行此操作", "Not allowed", details))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(
            request,
            404,
            error_body("not_found", "未找到(或不在您的权限范围内)", "Not found (or outside your scope)"),
        )

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return _not_found(request, exc)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        body = error_body(
            "invalid_request", "请求参数无效", "Invalid request", validation_details(exc.errors)
        )
        return respond(request, 422, body)

    @api.exception_handler(ServiceValidationError)
    def _service_invalid(request, exc):
        details = [
            {**field_problem(p.field, p.message_zh, p.message_en, p.code), "value": p.value}
            for p in exc.problems
        ]
        return respond(
            request, 422, error_body("validation_failed", "数据校验未通过", "Validation failed", details)
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return respond(request, exc.status, exc.body())

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        code, zh, en = _NINJA_MESSAGES.get(exc.status_code, ("http_error", str(exc), str(exc)))
        return respond(request, exc.status_code, error_body(code, zh, en))

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        # The traceback goes to the log only: a client never sees internals, in DEBUG or not.
        logger.exception("API error on %s %s", request.method, request.path)
        body = error_body(
            "server_error",
            "服务器内部错误,已记录,请稍后重试",
            "Internal server error (logged); try again later",
        )
        return respond(request, 500, body)


def build_api() -> NinjaAPI:
    api = CountyBridgeAPI(
        title="CountyBridge API",
        version="1",
        description=(
            "县市新城协同发展平台 JSON API. Scope rules are the same as the pages'. Sign in (session cookie, "
            "CSRF token on writes) or send `Authorization: Bearer cb_…` (an API token bound to one institution). "
            "Lists take ?page=&page_size= (≤ 200); unknown query parameters are refused with 400."
        ),
        auth=[BearerToken(), SignedInSession()],
        urls_namespace="api",
        renderer=ChineseJSONRenderer(),
        docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
        docs_decorator=_docs_with_csp,
    )
    register_error_handlers(api)
    api.add_decorator(reject_unknown_query, mode="operation")

    from .routers import register_routers

    register_routers(api)
    return api
