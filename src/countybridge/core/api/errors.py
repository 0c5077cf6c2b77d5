"""The API's one error body and the bilingual wording of input errors. Pure: no Django imports.

Every error answer is {"error": {"code", "message_zh", "message_en", "details": [...]}}; each detail of an
input error names the field, where it came from (query, body, path) and says what is wrong in Chinese and
in English, so that a clerk reading a client's log understands it as well as the developer does.
"""

from __future__ import annotations

from typing import Any


def error_body(code: str, zh: str, en: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message_zh": zh, "message_en": en, "details": details or []}}


class ApiError(Exception):
    """Raised by routes for an answer that is not one of the standard ones (409 duplicate, 400 …)."""

    def __init__(self, status: int, code: str, zh: str, en: str, details: list | None = None):
        super().__init__(f"{code}: {en}")
        self.status, self.code, self.message_zh, self.message_en = status, code, zh, en
        self.details = details or []

    def body(self) -> dict:
        return error_body(self.code, self.message_zh, self.message_en, self.details)


def field_problem(field: str, zh: str, en: str, code: str = "invalid", location: str = "body") -> dict:
    return {"field": field, "in": location, "code": code, "message_zh": zh, "message_en": en}


def _ctx(error: dict, key: str, default: Any = "") -> Any:
    return (error.get("ctx") or {}).get(key, default)


# pydantic error type -> Chinese wording; {placeholders} come from the error's ctx
_ZH = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "过短(至少 {min_length} 个字符)",
    "string_too_long": "过长(最多 {max_length} 个字符)",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "取值无效,可选值: {expected}",
    "enum": "取值无效,可选值: {expected}",
    "date_parsing": "日期格式无效(应为 YYYY-MM-DD)",
    "date_from_datetime_parsing": "日期格式无效(应为 YYYY-MM-DD)",
    "date_type": "日期格式无效(应为 YYYY-MM-DD)",
    "datetime_parsing": "时间格式无效(应为 ISO 8601)",
    "datetime_from_date_parsing": "时间格式无效(应为 ISO 8601)",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "json_invalid": "请求体不是有效的 JSON",
    "extra_forbidden": "不支持此字段",
    "too_short": "条目过少(至少 {min_length} 项)",
    "too_long": "条目过多(最多 {max_length} 项)",
}


def _zh_message(error: dict) -> str:
    template = _ZH.get(error.get("type", ""))
    if template is None:
        # value_error from our own validators carries both languages as "中文 / English"
        message = str(error.get("msg", ""))
        if " / " in message:
            return message.split(" / ", 1)[0].removeprefix("Value error, ")
        return "取值无效"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip(",(: ")


def _en_message(error: dict) -> str:
    message = str(error.get("msg", "Invalid value")).removeprefix("Value error, ")
    return message.split(" / ", 1)[1] if " / " in message else message


def validation_details(errors: list[dict]) -> list[dict]:
    """pydantic/ninja errors (loc = (source, field, …)) -> our bilingual detail rows."""
    details = []
    for error in errors:
        loc = [str(x) for x in error.get("loc", ())]
        location = loc[0] if loc and loc[0] in {"query", "body", "path", "header", "cookie", "form"} else ""
        names = loc[1:] if location else loc
        if location == "body":
            names = names[1:]  # drop the parameter name ninja puts first ("" = the body as a whole)
        details.append(
            field_problem(
                ".".join(names),
                _zh_message(error),
                _en_message(error),
                str(error.get("type", "invalid")),
                location,
            )
        )
    return details


def unknown_parameter_details(names: list[str], allowed: list[str]) -> list[dict]:
    hint = ", ".join(sorted(allowed)) or "—"
    return [
        field_problem(
            name,
            f"不支持的查询参数(可用: {hint})",
            f"Unsupported query parameter (allowed: {hint})",
            "unknown_parameter",
            "query",
        )
        for name in sorted(names)
    ]
