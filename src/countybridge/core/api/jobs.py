"""Job endpoints: list and read runs in scope, start a run of a kind, cancel a run. Scope and writes
come from core.jobs (the same selectors and services as the pages); errors use the API's one body."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from .. import jobs
from ..access import role_of
from ..models import JobRun
from ..services.errors import ServiceValidationError
from .errors import ApiError, field_problem
from .pagination import Page, PageParams, paginate

router = Router(tags=["jobs"])

JobStatusEnum = Enum("JobStatus", {v: v for v in JobRun.Status.values}, type=str)


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    progress: float
    stage: str
    stage_display: str
    params: dict[str, Any]
    result: dict | list | None
    error: str
    cancel_requested: bool
    created_by: str | None
    region_code: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        kind = jobs.get_kind(obj.kind)
        return str(kind.title) if kind else obj.kind

    @staticmethod
    def resolve_stage_display(obj) -> str:
        return _(obj.stage) if obj.stage else ""

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.username if obj.created_by_id else None

    @staticmethod
    def resolve_region_code(obj) -> str | None:
        return obj.region.code if obj.region_id else None

    # Asia/Shanghai offsets in the answer, as on the pages
    @staticmethod
    def resolve_created_at(obj) -> dt.datetime:
        return timezone.localtime(obj.created_at)

    @staticmethod
    def resolve_started_at(obj) -> dt.datetime | None:
        return timezone.localtime(obj.started_at) if obj.started_at else None

    @staticmethod
    def resolve_finished_at(obj) -> dt.datetime | None:
        return timezone.localtime(obj.finished_at) if obj.finished_at else None


class JobFilters(Schema):
    status: JobStatusEnum | None = None  # type: ignore[valid-type]
    kind: str | None = Field(None, min_length=1, max_length=64)


class JobStartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., min_length=1, max_length=64, description="e.g. core.registry_integrity")
    params: dict[str, Any] = Field(
        default_factory=dict, description="the kind's parameters (GET /jobs/kinds)"
    )


class JobParamOut(Schema):
    name: str
    type: str
    label: str
    required: bool
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: list[str] = []


class JobKindOut(Schema):
    name: str
    title: str
    description: str
    params: list[JobParamOut]


def job_user(request):
    jobs.require_job_access(request.auth)
    return request.auth


@router.get("/jobs", response=Page[JobOut], summary="List background jobs in scope")
def list_jobs(request, filters: Query[JobFilters], paging: Query[PageParams]):
    user = job_user(request)
    runs = jobs.job_list(
        user=user, status=filters.status.value if filters.status else None, kind=filters.kind
    )
    return paginate(runs, paging)


@router.get("/jobs/kinds", response=list[JobKindOut], summary="Job kinds the caller may start")
def list_kinds(request):
    user = job_user(request)
    return [
        {
            "name": k.name,
            "title": str(k.title),
            "description": str(k.description),
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "label": str(p.label or p.name),
                    "required": p.required,
                    "default": p.default,
                    "min": p.min,
                    "max": p.max,
                    "choices": list(p.choices),
                }
                for p in k.params
            ],
        }
        for k in jobs.kinds_for(role_of(user))
    ]


@router.get("/jobs/{job_id}", response=JobOut, summary="One job: status, progress, stage, result or error")
def get_job(request, job_id: uuid.UUID):
    return jobs.job_get(user=job_user(request), pk=job_id)


@router.post("/jobs", response={201: JobOut}, summary="Start a job (queued for a worker)")
def start_job(request, payload: JobStartIn):
    user = job_user(request)
    run = jobs.job_start(actor=user, kind=payload.kind, params=payload.params, request=request)
    return Status(201, jobs.job_get(user=user, pk=run.pk))


@router.post(
    "/jobs/{job_id}/cancel", response=JobOut, summary="Cancel a queued job, or ask a running one to stop"
)
def cancel_job(request, job_id: uuid.UUID):
    user = job_user(request)
    run = jobs.job_get(user=user, pk=job_id)
    try:
        jobs.job_cancel(actor=user, job=run, request=request)
    except ServiceValidationError as exc:
        # cancelling a finished run conflicts with its state: 409, not an input error
        details = [field_problem(p.field, p.message_zh, p.message_en, p.code, "path") for p in exc.problems]
        raise ApiError(
            409, "conflict", "任务已结束,无法取消", "The job has already finished", details
        ) from None
    return jobs.job_get(user=user, pk=job_id)
