"""Unknown query parameters are an error (400), never silently ignored.

A misspelt or unsupported filter (`?regoin=510185`, `?status=x` on an endpoint without that filter) would
otherwise return every row in scope and look like an answer (the Blaze trap, BRIEF § 10). Applied to every
operation of every router by `setup.build_api`, so app routers get it without doing anything.
"""

from __future__ import annotations

import functools

from .errors import ApiError, unknown_parameter_details


def allowed_query_names(operation) -> set[str]:
    """The query parameter names an operation declares (its flattened Query schemas and plain arguments)."""
    names: set[str] = set()
    for model in getattr(operation, "models", ()):
        if getattr(model, "__ninja_param_source__", None) != "query":
            continue
        flat = getattr(model, "__ninja_flatten_map__", None)
        if flat:
            names.update(flat)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return names


def reject_unknown_query(view_func):
    """Operation decorator: runs after authentication and parameter validation, before the route."""
    operation = getattr(view_func, "_ninja_operation", None)
    allowed = allowed_query_names(operation) if operation is not None else None

    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if allowed is not None:
            unknown = [name for name in request.GET if name not in allowed]
            if unknown:
                raise ApiError(
                    400,
                    "unknown_parameter",
                    "请求包含不支持的查询参数",
                    "The request has unsupported query parameters",
                    unknown_parameter_details(unknown, sorted(allowed)),
                )
        return view_func(request, *args, **kwargs)

    return wrapper
