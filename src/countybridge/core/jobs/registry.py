"""Job kinds: a name, the function that does the work, who may start it and which parameters it takes.

Apps register kinds in their `tasks.py` with `@jobs.register("app.kind", ...)`; `get_kind` imports every
installed app's `tasks` module once, so a worker process knows every kind without a central list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from ..models import Role
from ..services.errors import FieldProblem

PARAM_TYPES = {"str", "int", "float", "bool", "county"}
DEFAULT_ROLES = frozenset({Role.CITY_ADMIN})


@dataclass(frozen=True)
class Param:
    """One parameter of a job kind. `county` values are county-level region codes (e.g. 510185)."""

    name: str
    type: str = "str"
    label: Any = ""
    help: Any = ""
    required: bool = False
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in PARAM_TYPES:
            raise ImproperlyConfigured(f"job parameter {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable[..., dict]
    title: Any
    description: Any = ""
    params: tuple[Param, ...] = ()
    roles: frozenset[str] = DEFAULT_ROLES
    # the parameter naming the county a run is limited to; it becomes JobRun.region (county officers see it)
    region_param: str | None = None
    # optional template showing the result on the job page (default: the result as JSON)
    result_template: str | None = None
    extra: dict = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_KINDS: dict[str, JobKind] = {}
_discovered = False
_lock = threading.Lock()


def register(
    name: str,
    *,
    title,
    description="",
    params: tuple[Param, ...] | list[Param] = (),
    roles=DEFAULT_ROLES,
    region_param: str | None = None,
    result_template: str | None = None,
):
    """Decorator: `@register("core.registry_integrity", title=_("…"), params=[Param(...)])` over
    `fn(job: JobContext, **params) -> dict`. The returned dict is stored as the run's JSON result."""

    def decorator(func: Callable[..., dict]) -> Callable[..., dict]:
        existing = _KINDS.get(name)
        if existing is not None and _qualname(existing.func) != _qualname(func):
            raise ImproperlyConfigured(f"job kind {name!r} is registered twice ({_qualname(existing.func)})")
        if region_param and not any(p.name == region_param and p.type == "county" for p in params):
            raise ImproperlyConfigured(
                f"job kind {name!r}: region_param must name a parameter of type county"
            )
        _KINDS[name] = JobKind(
            name=name,
            func=func,
            title=title,
            description=description,
            params=tuple(params),
            roles=frozenset(roles),
            region_param=region_param,
            result_template=result_template,
        )
        return func

    return decorator


def _qualname(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def discover() -> None:
    """Import `<app>.tasks` of every installed app (once per process) so their kinds are registered."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            autodiscover_modules("tasks")
            _discovered = True


def get_kind(name: str) -> JobKind | None:
    discover()
    return _KINDS.get(name)


def all_kinds() -> list[JobKind]:
    discover()
    return sorted(_KINDS.values(), key=lambda k: k.name)


def kinds_for(role: str | None) -> list[JobKind]:
    return [k for k in all_kinds() if role in k.roles]


_TRUE = {"1", "true", "yes", "on", "y", "是"}
_FALSE = {"0", "false", "no", "off", "n", "否", ""}


def clean_params(kind: JobKind, raw: dict[str, Any] | None) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Typed parameter values (CLI and form values arrive as text) and every problem found.

    An unknown parameter is an error rather than silently ignored, so a typo never runs the wrong job."""
    from ..models import Region, RegionLevel

    raw = dict(raw or {})
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}

    def bad(name: str, value, zh: str, en: str, code: str = "invalid") -> None:
        problems.append(FieldProblem(f"params.{name}", str(value)[:100], zh, en, code))

    known = {p.name for p in kind.params}
    for name in raw:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "—"
            bad(
                name,
                raw[name],
                f"不支持的参数 {name}(可用:{allowed})",
                f"Unknown parameter {name} (allowed: {allowed})",
                "unknown_param",
            )
    for p in kind.params:
        value = raw.get(p.name)
        if isinstance(value, str):
            value = value.strip()
        if value is None or (value == "" and p.type != "bool"):
            if p.required:
                bad(p.name, "", f"参数 {p.name} 必填", f"Parameter {p.name} is required", "required")
            elif p.default is not None:
                clean[p.name] = p.default
            continue
        try:
            if p.type == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                value = int(value)
            elif p.type == "float":
                if isinstance(value, bool):
                    raise ValueError
                value = float(value)
            elif p.type == "bool":
                if not isinstance(value, bool):
                    text = str(value).lower()
                    if text not in _TRUE | _FALSE:
                        raise ValueError
                    value = text in _TRUE
            else:
                value = str(value)
        except (TypeError, ValueError):
            names = {
                "int": ("整数", "a whole number"),
                "float": ("数字", "a number"),
                "bool": ("是/否(true/false)", "true or false"),
            }[p.type]
            bad(
                p.name,
                value,
                f"参数 {p.name} 应为{names[0]}",
                f"Parameter {p.name} must be {names[1]}",
                "type",
            )
            continue
        if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
            low = "−∞" if p.min is None else f"{p.min:g}"
            high = "∞" if p.max is None else f"{p.max:g}"
            bad(
                p.name,
                value,
                f"参数 {p.name} 应在 {low} 至 {high} 之间",
                f"Parameter {p.name} must be between {low} and {high}",
                "range",
            )
            continue
        if p.choices and value not in p.choices:
            bad(
                p.name,
                value,
                f"参数 {p.name} 应为 {', '.join(p.choices)} 之一",
                f"Parameter {p.name} must be one of {', '.join(p.choices)}",
                "choice",
            )
            continue
        if p.type == "county":
            region = Region.objects.filter(
                code=value, level=RegionLevel.COUNTY, successor__isnull=True
            ).first()
            if region is None:
                bad(
                    p.name,
                    value,
                    f"参数 {p.name}:区(市)县代码 {value} 无效或已撤销",
                    f"Parameter {p.name}: {value} is not a current county-level code",
                    "region",
                )
                continue
        clean[p.name] = value
    return clean, problems
