"""Writes to the disease catalogue: loading the shipped edition, and CDC officers' edits (audited).

Who edits: the city administrator and department officers of the CDC domain. The shipped file's
classifications (statutory data, effective-dated) are replaced on each load of a new edition; detection
settings an officer has edited are kept across loads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from .models import CatalogueRelease, Disease, DiseaseClassification, DiseaseKind, LegalClass

DATA_FILE = Path(__file__).parent / "data" / "diseases.json"

# method → {parameter: (type, low, high)}; bounds inclusive, None = open
PARAMETER_RULES: dict[str, dict[str, tuple[type, float | None, float | None]]] = {
    "": {},
    "fixed": {"threshold": (int, 1, None)},
    "cidars-percentile": {
        "percentile": (float, 1, 99),
        "years_back": (int, 3, 5),
        "min_cases": (int, 1, None),
    },
    "ears-c1": {"baseline": (int, 3, 56), "alpha": (float, 1e-6, 0.5), "min_sigma": (float, 0, None)},
    "ears-c2": {"baseline": (int, 3, 56), "alpha": (float, 1e-6, 0.5), "min_sigma": (float, 0, None)},
    "ears-c3": {"baseline": (int, 3, 56), "alpha": (float, 1e-6, 0.5), "min_sigma": (float, 0, None)},
    "cusum": {"k": (float, 0.01, None), "h": (float, 0.01, None), "start": (int, 1, None)},
    "farrington-flexible": {"b": (int, 1, 10), "w": (int, 0, 10), "alpha": (float, 1e-6, 0.5)},
    "farrington": {"b": (int, 1, 10), "w": (int, 0, 10), "alpha": (float, 1e-6, 0.5)},
}


def can_edit_catalogue(user) -> bool:
    role = access.role_of(user)
    return role == Role.CITY_ADMIN or (role == Role.DEPARTMENT_OFFICER and user.domain == "cdc")


def require_catalogue_editor(user) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDenied("only the city administrator and CDC officers edit the disease catalogue")


def validate_detection(method: str, params: Any) -> list[FieldProblem]:
    """The method is one of the platform's; every parameter is known to it, typed and in range."""
    if method not in PARAMETER_RULES:
        allowed = ", ".join(m for m in PARAMETER_RULES if m)
        return [
            FieldProblem(
                "detection_method",
                str(method),
                f"未知的预警方法,可选: {allowed}",
                f"Unknown detection method; choose one of {allowed}",
            )
        ]
    if not isinstance(params, dict):
        return [
            FieldProblem(
                "detection_params", str(params), "参数应为 JSON 对象", "Parameters must be a JSON object"
            )
        ]
    problems = []
    rules = PARAMETER_RULES[method]
    for key, value in params.items():
        if key not in rules:
            allowed = ", ".join(rules) or "—"
            problems.append(
                FieldProblem(
                    f"detection_params.{key}",
                    str(value),
                    f"该方法不支持此参数(可用: {allowed})",
                    f"This method has no such parameter (allowed: {allowed})",
                    "unknown_parameter",
                )
            )
            continue
        kind, low, high = rules[key]
        ok_type = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int and ok_type and float(value).is_integer():
            value = int(value)
        elif kind is int:
            ok_type = False
        if not ok_type:
            word_zh, word_en = ("整数", "a whole number") if kind is int else ("数字", "a number")
            problems.append(
                FieldProblem(
                    f"detection_params.{key}", str(value), f"应为{word_zh}", f"Must be {word_en}", "type"
                )
            )
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low:g}–{high:g}" if high is not None else f"≥ {low:g}"
            problems.append(
                FieldProblem(
                    f"detection_params.{key}",
                    str(value),
                    f"超出范围({span})",
                    f"Out of range ({span})",
                    "range",
                )
            )
    return problems


@transaction.atomic
def catalogue_load(*, path: Path | None = None, actor=None) -> dict[str, Any]:
    """Load (or refresh) the catalogue from the versioned JSON file. Loading the same edition twice does
    nothing; a new edition replaces the classifications and adds diseases, keeping officers' detection edits."""
    path = path or DATA_FILE
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    doc = json.loads(raw.decode("utf-8"))
    version = str(doc["version"])
    existing = CatalogueRelease.objects.filter(version=version).first()
    if existing is not None and existing.sha256 == digest and Disease.objects.exists():
        return {"version": version, "loaded": False, "diseases": Disease.objects.count()}
    sources = doc.get("sources", {})
    problems: list[FieldProblem] = []
    known = {d.code: d for d in Disease.objects.all()}
    seen = set()
    for order, item in enumerate(doc["diseases"]):
        code = item["code"]
        if code in seen:
            problems.append(FieldProblem("code", code, "疾病代码重复", "Duplicate disease code"))
            continue
        seen.add(code)
        detection = item.get("detection") or {"method": "", "params": {}}
        problems += [
            FieldProblem(f"{code}.{p.field}", p.value, p.message_zh, p.message_en, p.code)
            for p in validate_detection(detection.get("method", ""), detection.get("params", {}))
        ]
        if item["kind"] not in DiseaseKind.values:
            problems.append(FieldProblem(f"{code}.kind", item["kind"], "类别无效", "Invalid kind"))
        disease = known.get(code) or Disease(code=code)
        disease.name_zh, disease.name_en, disease.kind = (
            item["name_zh"],
            item.get("name_en", ""),
            item["kind"],
        )
        disease.subtypes = item.get("subtypes", [])
        disease.chronic_applicable = bool(item.get("chronic_applicable"))
        disease.sort_order = item.get("sort_order", (order + 1) * 10)
        disease.note = item.get("note", "")
        if disease.pk is None or disease.updated_by_id is None:
            disease.detection_method = detection.get("method", "")
            disease.detection_params = detection.get("params", {})
        disease.save()
        periods = sorted(item["periods"], key=lambda p: p["from"])
        DiseaseClassification.objects.filter(disease=disease).delete()
        previous_end = None
        for period in periods:
            start = dt.date.fromisoformat(period["from"])
            end = dt.date.fromisoformat(period["to"]) if period.get("to") else None
            if period["class"] not in LegalClass.values or (end is not None and end <= start):
                problems.append(
                    FieldProblem(f"{code}.periods", period["from"], "分类时段无效", "Invalid period")
                )
                continue
            if previous_end is not None and start < previous_end:
                problems.append(
                    FieldProblem(f"{code}.periods", period["from"], "分类时段重叠", "Periods overlap")
                )
            previous_end = end or dt.date.max
            if period.get("source") and period["source"] not in sources:
                problems.append(
                    FieldProblem(f"{code}.source", period["source"], "未知的依据", "Unknown source")
                )
            DiseaseClassification.objects.create(
                disease=disease,
                legal_class=period["class"],
                managed_as_a=bool(period.get("managed_as_a")),
                managed_as_a_subtypes=period.get("managed_as_a_subtypes", []),
                report_hours=int(period.get("hours", 24)),
                valid_from=start,
                valid_to=end,
                name_zh=period.get("name_zh", ""),
                source=period.get("source", ""),
            )
    if problems:
        raise ServiceValidationError(problems)
    CatalogueRelease.objects.update_or_create(
        version=version, defaults={"sha256": digest, "diseases": len(seen)}
    )
    counts = {"version": version, "loaded": True, "diseases": len(seen)}
    audit.record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="surveillance.catalogue",
        object_id=version,
        object_repr=f"disease catalogue {version}",
        details={**counts, "sha256": digest},
    )
    return counts


EDITABLE = ("name_en", "note", "is_active", "detection_method", "detection_params")


@transaction.atomic
def disease_update(*, actor, disease: Disease, data: dict[str, Any], request=None) -> Disease:
    """Change a disease's detection method and parameters (or its English name, note, active flag).
    Every field is checked at once; the audit row records the values before and after."""
    require_catalogue_editor(actor)
    unknown = sorted(set(data) - set(EDITABLE))
    problems = [
        FieldProblem(k, "", "不可修改此字段", "This field cannot be changed here", "read_only")
        for k in unknown
    ]
    method = data.get("detection_method", disease.detection_method)
    params = data.get(
        "detection_params", disease.detection_params if method == disease.detection_method else {}
    )
    problems += validate_detection(method, params)
    if "is_active" in data and not isinstance(data["is_active"], bool):
        problems.append(
            FieldProblem("is_active", str(data["is_active"]), "应为 true 或 false", "Must be true or false")
        )
    if problems:
        raise ServiceValidationError(problems)
    locked = Disease.objects.select_for_update().get(pk=disease.pk)
    before = {k: getattr(locked, k) for k in EDITABLE}
    for key in ("name_en", "note", "is_active"):
        if key in data:
            setattr(locked, key, data[key])
    locked.detection_method, locked.detection_params = method, params
    locked.updated_by = actor if getattr(actor, "pk", None) else None
    locked.save()
    after = {k: getattr(locked, k) for k in EDITABLE}
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=locked,
        request=request,
        details={"before": before, "after": after},
    )
    return locked


@transaction.atomic
def classification_announce(
    *,
    actor,
    disease: Disease,
    valid_from: dt.date,
    legal_class: str,
    managed_as_a: bool = False,
    report_hours: int = 24,
    source: str,
    request=None,
) -> DiseaseClassification:
    """Record an announced change (e.g. a disease moved to 乙类 from a date): the open period ends the day
    the new one starts, so earlier cases keep the rules of their diagnosis date."""
    require_catalogue_editor(actor)
    problems = []
    if legal_class not in LegalClass.values:
        problems.append(FieldProblem("legal_class", legal_class, "分类无效", "Invalid class"))
    if report_hours not in (2, 24):
        problems.append(
            FieldProblem(
                "report_hours", str(report_hours), "时限应为2或24小时", "Deadline must be 2 or 24 hours"
            )
        )
    if len((source or "").strip()) < 4:
        problems.append(
            FieldProblem(
                "source", source or "", "须注明公告或文件", "Name the announcing document", "required"
            )
        )
    last = disease.classifications.order_by("-valid_from").first()
    if last is not None and valid_from <= last.valid_from:
        problems.append(
            FieldProblem(
                "valid_from",
                valid_from.isoformat(),
                "生效日期须晚于现有最后一个时段的开始日期",
                "The start must be after the start of the latest period",
            )
        )
    if problems:
        raise ServiceValidationError(problems)
    if last is not None and (last.valid_to is None or last.valid_to > valid_from):
        DiseaseClassification.objects.filter(pk=last.pk).update(valid_to=valid_from)
    row = DiseaseClassification.objects.create(
        disease=disease,
        legal_class=legal_class,
        managed_as_a=managed_as_a,
        report_hours=report_hours,
        valid_from=valid_from,
        source=source.strip()[:300],
    )
    Disease.objects.filter(pk=disease.pk).update(updated_by=actor if getattr(actor, "pk", None) else None)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        request=request,
        details={"disease": disease.code, "class": legal_class, "from": valid_from.isoformat()},
    )
    return row
