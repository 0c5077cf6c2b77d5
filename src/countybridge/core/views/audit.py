"""The auditor's page: filter, page through and export the append-only audit log.

Only auditors and city administrators read it. Nothing here (or anywhere in the app) edits or deletes a row;
exporting is itself recorded. Day filters are Asia/Shanghai calendar days, so a row written at 23:30 local
time stays on its own date whatever the server's or database's clock zone.
"""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import access, audit
from ..audit_selectors import (  # noqa: F401  (re-exported for the API)
    AUDIT_ROLES,
    FILTER_KEYS,
    LOCAL_TZ,
    PER_PAGE,
    XLSX_MAX_ROWS,
    AuditFilters,
    audit_events,
    day_start,
    parse_filters,
)
from ..models import AuditEvent, Role


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
