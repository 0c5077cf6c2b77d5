"""Signal API (mounted at /api/surveillance/): lists, detail with history, conclusion, response, escalation,
the epidemic curve with its threshold band, the county map, per-disease/county tables, time-to-verification
figures, and starting a detection run. The same selectors and services as the pages: a county officer sees
and acts on their own county only; other roles are refused (403), out-of-scope signals are 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from countybridge.core import jobs
from countybridge.core.api.pagination import Page, PageParams, paginate
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors_signals as selectors
from . import services_signals as services
from . import services_spatial
from .models import Disease, Signal

router = Router(tags=["surveillance signals"])


class SignalOut(Schema):
    id: int
    disease: str
    disease_name_zh: str
    region: str
    region_name_zh: str
    frequency: str
    period: str
    period_start: dt.date
    period_end: dt.date
    method: str
    observed: float
    threshold: float
    status: str
    level: str
    detected_at: dt.datetime
    deadline_at: dt.datetime
    verified_at: dt.datetime | None
    escalated_at: dt.datetime | None
    auto_escalated: bool
    overdue: bool
    spatial_status: str
    spatial_p: float | None

    @staticmethod
    def resolve_disease(obj: Signal) -> str:
        return obj.disease.code

    @staticmethod
    def resolve_disease_name_zh(obj: Signal) -> str:
        return obj.disease.name_zh

    @staticmethod
    def resolve_region(obj: Signal) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name_zh(obj: Signal) -> str:
        return obj.region.name_zh

    @staticmethod
    def resolve_overdue(obj: Signal) -> bool:
        return obj.is_overdue()


class EventOut(Schema):
    at: dt.datetime
    kind: str
    actor: str
    from_status: str
    to_status: str
    from_level: str
    to_level: str
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.get_username() if obj.actor_id else ""


class SignalDetailOut(SignalOut):
    params: dict
    verification_note: str
    investigation: str
    measures: str
    escalation_reason: str
    spatial_cluster: dict
    spatial_detail: dict
    spatial_scanned_at: dt.datetime | None
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Signal) -> list:
        return list(selectors.signal_events(obj))


class SignalFilters(Schema):
    status: Literal["", "pending", "verified", "false_alarm"] = ""
    disease: str = Field("", max_length=40)
    region: str = Field("", max_length=12)
    level: Literal["", "county", "city"] = ""


class ConcludeIn(Schema):
    conclusion: Literal["verified", "false_alarm"]
    note: str = Field("", max_length=4000)


class ResponseIn(Schema):
    investigation: str | None = Field(None, max_length=4000)
    measures: str | None = Field(None, max_length=4000)


class EscalateIn(Schema):
    reason: str = Field(..., max_length=4000)


class ScanIn(Schema):
    rescan: bool = False


class RunIn(Schema):
    frequency: Literal["day", "week"] = "day"
    as_of: dt.date | None = None
    periods: int = Field(1, ge=1, le=366)


class CurveParams(Schema):
    # required, but checked in the route so that an unknown parameter is reported first (400)
    disease: str = Field("", max_length=40)
    region: str = Field("", max_length=12)
    frequency: Literal["day", "week"] = "week"
    end: dt.date | None = None
    periods: int = Field(104, ge=4, le=730)


class SummaryParams(Schema):
    by: Literal["disease", "county"] = "disease"
    days: int = Field(365, ge=1, le=3660)


@router.get(
    "/signals", response=Page[SignalOut], summary="Signals in your scope (filter by status, disease …)"
)
def list_signals(request, filters: Query[SignalFilters], paging: Query[PageParams]):
    qs = selectors.signal_list(user=request.auth, **filters.dict())
    return paginate(qs, paging)


@router.get(
    "/signals/summary", response=dict, summary="Per-disease or per-county table with verification times"
)
def signal_summary(request, params: Query[SummaryParams]):
    return {
        "by": params.by,
        "days": params.days,
        "rows": selectors.signal_table(user=request.auth, by=params.by, days=params.days),
        "overall": selectors.verification_summary(user=request.auth, days=params.days),
    }


@router.get("/signals/map", response=list[dict], summary="Open and recent signals per county city")
def signal_map(request):
    return selectors.county_signal_map(user=request.auth)


@router.get(
    "/signals/curve", response=dict, summary="Epidemic curve of a disease in a county with the threshold"
)
def epidemic_curve(request, params: Query[CurveParams]):
    selectors.require_read(request.auth)
    problems = [FieldProblem(name, "", f"缺少必填项 {name}", f"{name} is required", "missing")
                for name in ("disease", "region") if not getattr(params, name)]  # fmt: skip
    disease = Disease.objects.filter(code=params.disease).first() if params.disease else None
    if params.disease and disease is None:
        problems.append(
            FieldProblem("disease", params.disease, "未知的病种代码", "Unknown disease code", "unknown")
        )
    if problems:
        raise ServiceValidationError(problems)
    region = selectors.county_get(user=request.auth, code=params.region)
    return selectors.epidemic_curve(user=request.auth, disease=disease, region=region,
                                    end=params.end or timezone.localdate(), frequency=params.frequency,
                                    periods=params.periods)  # fmt: skip


@router.post("/signals/runs", response={202: dict}, summary="Start a detection run (CDC, city administrator)")
def start_run(request, payload: RunIn):
    selectors.require_run(request.auth)
    params = {"frequency": payload.frequency, "as_of": payload.as_of.isoformat() if payload.as_of else "",
              "periods": payload.periods}  # fmt: skip
    run = jobs.job_start(actor=request.auth, kind="surveillance.detect", params=params, request=request)
    return Status(202, {"job_id": str(run.pk), "status": run.status})


@router.get("/signals/{pk}", response=SignalDetailOut, summary="One signal with its status history")
def get_signal(request, pk: int):
    return selectors.signal_get(user=request.auth, pk=pk)


@router.post(
    "/signals/{pk}/conclude", response=SignalDetailOut, summary="Verified (suspected event) or false alarm"
)
def conclude(request, pk: int, payload: ConcludeIn):
    selectors.require_act(request.auth)
    signal = selectors.signal_get(user=request.auth, pk=pk)
    return services.signal_conclude(actor=request.auth, signal=signal, conclusion=payload.conclusion,
                                    note=payload.note, request=request)  # fmt: skip


@router.post("/signals/{pk}/response", response=SignalDetailOut, summary="Record investigation and measures")
def record_response(request, pk: int, payload: ResponseIn):
    selectors.require_act(request.auth)
    signal = selectors.signal_get(user=request.auth, pk=pk)
    return services.signal_record_response(actor=request.auth, signal=signal, investigation=payload.investigation,
                                           measures=payload.measures, request=request)  # fmt: skip


@router.post("/signals/{pk}/escalate", response=SignalDetailOut, summary="Escalate to the city CDC")
def escalate(request, pk: int, payload: EscalateIn):
    selectors.require_act(request.auth)
    signal = selectors.signal_get(user=request.auth, pk=pk)
    return services.signal_escalate(actor=request.auth, signal=signal, reason=payload.reason, request=request)


@router.post(
    "/signals/{pk}/scan",
    response=SignalDetailOut,
    summary="Space-time scan of an MPM signal's townships (spatial confirmation; rescan on request)",
)
def spatial_scan(request, pk: int, payload: ScanIn | None = None):
    selectors.require_act(request.auth)
    signal = selectors.signal_get(user=request.auth, pk=pk)
    return services_spatial.signal_spatial_scan(
        actor=request.auth, signal=signal, rescan=bool(payload and payload.rescan), request=request
    )
