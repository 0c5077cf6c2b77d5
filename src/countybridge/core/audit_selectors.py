"""Reading the audit log: who may (auditors and city administrators), and validated filters.

Shared by the auditor's page, its exports and the API, so the three cannot drift apart. Day filters are
Asia/Shanghai calendar days, so a row written at 23:30 local time stays on its own date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from . import access
from .models import AuditEvent, Role

AUDIT_ROLES = (Role.AUDITOR, Role.CITY_ADMIN)
LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # the policy's days, not the server's
PER_PAGE = 50
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit less the header row
_REGION_CODE = re.compile(r"^\d{2,12}$")
_OBJECT_TYPE = re.compile(r"^[A-Za-z_][\w.]{0,63}$")
FILTER_KEYS = ("date_from", "date_to", "actor", "role", "action", "object_type", "region")


@dataclass
class AuditFilters:
    """Validated filter values; `problems` holds (zh, en) messages for values that were refused."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor: str = ""
    role: str = ""
    action: str = ""
    object_type: str = ""
    region: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)


def _parse_day(raw: str, label_zh: str, label_en: str, problems: list) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(
            (
                f"{label_zh}格式应为 YYYY-MM-DD(收到 {raw[:20]})",
                f"{label_en} must be YYYY-MM-DD (got {raw[:20]})",
            )
        )
        return None


def parse_filters(params) -> AuditFilters:
    """Refuse unknown values instead of silently ignoring them (an ignored filter would return every row)."""
    problems: list[tuple[str, str]] = []
    f = AuditFilters(problems=problems)
    f.date_from = _parse_day(params.get("date_from", ""), "开始日期", "Start date", problems)
    f.date_to = _parse_day(params.get("date_to", ""), "结束日期", "End date", problems)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        problems.append(("开始日期不能晚于结束日期", "The start date must not be after the end date"))
    f.actor = params.get("actor", "").strip()[:150]
    f.role = params.get("role", "").strip()
    if f.role and f.role not in Role.values:
        problems.append((f"未知角色:{f.role[:30]}", f"Unknown role: {f.role[:30]}"))
    f.action = params.get("action", "").strip()
    if f.action and f.action not in AuditEvent.Action.values:
        problems.append((f"未知操作:{f.action[:30]}", f"Unknown action: {f.action[:30]}"))
    f.object_type = params.get("object_type", "").strip()
    if f.object_type and not _OBJECT_TYPE.match(f.object_type):
        problems.append(("对象类型格式无效", "Object type is not valid"))
    f.region = params.get("region", "").strip()
    if f.region and not _REGION_CODE.match(f.region):
        problems.append(("区划代码应为2至12位数字", "A region code is 2 to 12 digits"))
    return f


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def audit_events(*, user, filters: AuditFilters) -> QuerySet:
    """The audit log as the user may read it (auditors and city administrators: all of it), filtered."""
    access.require_role(user, *AUDIT_ROLES)
    qs = AuditEvent.objects.all()
    if filters.problems:
        return qs.none()
    if filters.date_from:
        qs = qs.filter(at__gte=day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.actor:
        qs = qs.filter(actor_username__icontains=filters.actor)
    if filters.role:
        qs = qs.filter(actor_role=filters.role)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type__iexact=filters.object_type)
    if filters.region:
        # a county code also finds its townships' rows (township codes extend the county's)
        qs = qs.filter(region_code__startswith=filters.region)
    return qs.order_by("-at", "-id")
