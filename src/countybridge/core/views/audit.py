"""The auditor's page: filter, page through and export the append-only audit log.

Only auditors and city administrators read it. Nothing here (or anywhere in the app) edits or deletes a row;
exporting is itself recorded. Day filters are Asia/Shanghai calendar days, so a row written at 23:30 local
time stays on its own date whatever the server's or database's clock zone.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import access, audit
from ..models import AuditEvent, Role

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


def _require_auditor(request):
    if access.role_of(request.user) not in AUDIT_ROLES:
        audit.record(
            actor=request.user,
            action=AuditEvent.Action.DENIED,
            object_type="core.AuditEvent",
            request=request,
            details={"path": request.path[:200]},
        )
        raise PermissionDenied("the audit log is for auditors and city administrators")


def _object_types() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="")
        .values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")[:200]
    )


@login_required
def audit_list(request):
    _require_auditor(request)
    filters = parse_filters(request.GET)
    events = audit_events(user=request.user, filters=filters)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    role_labels = dict(Role.choices)
    for event in page.object_list:
        event.role_label = role_labels.get(event.actor_role, event.actor_role)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "roles": Role.choices,
            "actions": AuditEvent.Action.choices,
            "object_types": _object_types(),
            "query": query.urlencode(),
        },
        status=400 if filters.problems else 200,
    )


# --- export -------------------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("at", "时间(北京时间)", "time (Asia/Shanghai)"),
    ("actor_username", "用户", "user"),
    ("actor_role", "角色", "role"),
    ("action", "操作", "action"),
    ("object_type", "对象类型", "object type"),
    ("object_id", "对象编号", "object id"),
    ("object_repr", "对象", "object"),
    ("region_code", "区划代码", "region code"),
    ("ip_address", "来源IP", "from IP"),
    ("reason", "理由", "reason"),
    ("details", "详情", "details"),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text for a spreadsheet cell; a leading formula character is neutralised (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(event: AuditEvent) -> list:
    local = timezone.localtime(event.at, LOCAL_TZ)
    values = [local.strftime("%Y-%m-%d %H:%M:%S")]
    for name, *_labels in EXPORT_COLUMNS[1:]:
        value = getattr(event, name)
        if name == "details":
            value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        values.append(_cell(value))
    return values


class _Echo:
    def write(self, value):
        return value


def _csv_rows(events):
    writer = csv.writer(_Echo())
    # UTF-8 with BOM: Excel on Chinese Windows otherwise opens UTF-8 as GBK and shows mojibake
    yield "\ufeff" + writer.writerow([f"{zh} / {en}" for _n, zh, en in EXPORT_COLUMNS])
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(_row(event))


def _xlsx_response(events, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("audit")
    sheet.append([f"{zh} / {en}" for _n, zh, en in EXPORT_COLUMNS])
    for event in events[:XLSX_MAX_ROWS].iterator(chunk_size=2000):
        sheet.append(_row(event))
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response


@login_required
def audit_export(request):
    """CSV (UTF-8 with BOM) or xlsx of the filtered log; the export itself is recorded."""
    _require_auditor(request)
    filters = parse_filters(request.GET)
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "xlsx"}:
        filters.problems.append((f"未知导出格式:{fmt[:10]}", f"Unknown export format: {fmt[:10]}"))
    if filters.problems:
        text = "\n".join(f"{zh} / {en}" for zh, en in filters.problems)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    events = audit_events(user=request.user, filters=filters)
    count = events.count()
    audit.record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="core.AuditEvent",
        request=request,
        details={
            "format": fmt,
            "rows": count,
            "filters": {k: request.GET.get(k, "") for k in FILTER_KEYS if request.GET.get(k)},
        },
    )
    filename = f"audit-{timezone.localtime(timezone.now(), LOCAL_TZ):%Y%m%d-%H%M%S}"
    if fmt == "xlsx":
        return _xlsx_response(events, filename)
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
