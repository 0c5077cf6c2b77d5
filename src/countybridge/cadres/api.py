"""Cadre API: the same readers, editors and services as the pages (selectors refuse everyone outside the
organisation line; county officers read their county only). Mounted at /api/cadres/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema, Status

from countybridge.core import jobs
from countybridge.core.api.pagination import Page, PageParams, paginate
from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors, services

router = Router(tags=["cadres"])


class CadreOut(Schema):
    id: int
    code: str
    name: str
    level: str
    region_code: str
    fields: list[str]

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj["region_code"] if isinstance(obj, dict) else obj.region.code


class CareerOut(Schema):
    title: str
    level: str
    start: dt.date
    end: dt.date | None
    consecutive_terms: int


class CadreDetailOut(CadreOut):
    birth_date: dt.date
    home_region: str
    work_start: dt.date
    grassroots_years: float
    career: list[CareerOut]
    assessments: list[dict[str, Any]]
    training: list[dict[str, Any]]
    relatives: list[dict[str, Any]]


class PositionOut(Schema):
    id: int
    code: str
    title: str
    unit_name: str
    unit_type: str
    region_code: str
    level: str
    is_chief: bool
    function: str
    team: str
    is_open: bool

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code


class PlanOut(Schema):
    id: int
    status: str
    as_of: dt.date
    ruleset_version: int
    solver_status: str
    objective: int
    best_bound: float | None
    gap: float | None
    seconds: float
    violations: list[dict[str, Any]]
    override_reason: str

    @staticmethod
    def resolve_ruleset_version(obj) -> int:
        return obj["ruleset_version"] if isinstance(obj, dict) else obj.ruleset.version


class PlanDetailOut(PlanOut):
    moves: list[dict[str, Any]]
    unplaced_must_move: list[dict[str, Any]]
    unmet: list[dict[str, Any]]


class MoveIn(Schema):
    cadre: str
    position: str = ""
    override_reason: str = ""


class PlanStartIn(Schema):
    time_limit: float = 20.0
    as_of: str = ""
    county: str = ""  # empty: city-wide (a county officer: their own county)


class RulesIn(Schema):
    settings: dict[str, dict[str, Any]]
    note: str = ""
    county: str = ""  # empty: the city-wide set


class QuotaIn(Schema):
    region: str
    year: int
    kind: str
    planned: int
    filled: int = 0


class QuotaOut(Schema):
    region_code: str
    year: int
    kind: str
    planned: int
    filled: int

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code


@router.get("/cadres", response=Page[CadreOut], summary="Cadres in your scope")
def list_cadres(request, paging: Query[PageParams]):
    return paginate(selectors.cadre_list(user=request.auth).order_by("code"), paging)


@router.get("/cadres/{pk}", response=CadreDetailOut, summary="One cadre's record (audited read)")
def get_cadre(request, pk: int):
    c = selectors.cadre_get(user=request.auth, pk=pk, request=request)
    return {
        **{f: getattr(c, f) for f in ("id", "code", "name", "level", "fields", "birth_date", "home_region",
                                      "work_start", "grassroots_years")},
        "region": c.region,
        "region_code": c.region.code,
        "career": list(c.career.all()),
        "assessments": [{"year": a.year, "grade": a.grade} for a in c.assessments.all()],
        "training": [{"title": t.title, "year": t.year, "hours": t.hours} for t in c.training.all()],
        "relatives": [{"code": r.relative.code, "kinship": r.kinship} for r in c.relatives.all()],
    }  # fmt: skip


@router.get("/positions", response=Page[PositionOut], summary="Positions in your scope")
def list_positions(request, paging: Query[PageParams]):
    return paginate(selectors.position_list(user=request.auth).order_by("code"), paging)


@router.get("/plans", response=Page[PlanOut], summary="Exchange plans")
def list_plans(request, paging: Query[PageParams]):
    return paginate(selectors.plan_list(user=request.auth), paging)


def _detail(request, plan) -> dict:
    visible = selectors.visible_cadre_codes(user=request.auth)
    moves = [m.explanation | {"manual": m.manual} for m in selectors.plan_moves(user=request.auth, plan=plan)]
    for m in moves:
        m.setdefault("cadre_id", "")
    must = [m for m in plan.must_move if not m["moved"] and (visible is None or m["cadre_id"] in visible)]
    fields = ("id", "status", "as_of", "solver_status", "objective", "best_bound", "gap", "seconds", "violations",
              "override_reason", "unmet")  # fmt: skip
    return {**{f: getattr(plan, f) for f in fields}, "ruleset_version": plan.ruleset.version, "moves": moves,
            "unplaced_must_move": must}  # fmt: skip


@router.post("/plans", response={202: dict}, summary="Start the 'cadres.plan' job (organisation department)")
def start_plan(request, payload: PlanStartIn):
    selectors.require_read(request.auth)
    region = selectors.round_county(request.auth, payload.county)
    selectors.require_edit(request.auth, region)
    run = jobs.job_start(actor=request.auth, kind="cadres.plan", request=request,
                         params={"time_limit": payload.time_limit, "as_of": payload.as_of,
                                 "county": region.code if region else ""})  # fmt: skip
    return Status(202, {"job_id": str(run.pk), "status": run.status})


@router.get("/plans/{pk}", response=PlanDetailOut, summary="A plan: moves with explanations, unplaced cadres")
def get_plan(request, pk: int):
    return _detail(request, selectors.plan_get(user=request.auth, pk=pk))


@router.post(
    "/plans/{pk}/moves",
    response=PlanDetailOut,
    summary="Add a move (re-checked; override if it breaks rules)",
)
def add_move(request, pk: int, payload: MoveIn):
    selectors.require_edit(request.auth)
    plan = selectors.plan_get(user=request.auth, pk=pk)
    plan = services.plan_edit(actor=request.auth, plan=plan, add=(payload.cadre, payload.position),
                              override_reason=payload.override_reason, request=request)  # fmt: skip
    return _detail(request, plan)


@router.post("/plans/{pk}/remove", response=PlanDetailOut, summary="Remove a cadre's move (re-checked)")
def remove_move(request, pk: int, payload: MoveIn):
    selectors.require_edit(request.auth)
    plan = selectors.plan_get(user=request.auth, pk=pk)
    plan = services.plan_edit(actor=request.auth, plan=plan, remove=payload.cadre,
                              override_reason=payload.override_reason, request=request)  # fmt: skip
    return _detail(request, plan)


@router.post("/plans/{pk}/approve", response=PlanOut, summary="Approve: update careers in one transaction")
def approve_plan(request, pk: int):
    selectors.require_edit(request.auth)
    plan = selectors.plan_get(user=request.auth, pk=pk)
    return services.plan_approve(actor=request.auth, plan=plan, request=request)


@router.get("/quotas", response=Page[QuotaOut], summary="Recruitment quotas in your scope")
def list_quotas(request, paging: Query[PageParams]):
    return paginate(selectors.quota_list(user=request.auth), paging)


@router.post("/quotas", response=QuotaOut, summary="Set a county's planned and filled places")
def set_quota(request, payload: QuotaIn):
    selectors.require_edit(request.auth)
    region = Region.objects.filter(code=payload.region, level=RegionLevel.COUNTY).first()
    if region is None:
        raise ServiceValidationError([FieldProblem("region", payload.region, "区(市)县代码无效",
                                                   "Unknown county code", "unknown")])  # fmt: skip
    return services.quota_set(actor=request.auth, region=region, year=payload.year, kind=payload.kind,
                              planned=payload.planned, filled=payload.filled, request=request)  # fmt: skip


@router.get("/rules", response=dict, summary="The rule set in force (rules as data with their articles)")
def get_rules(request, county: str = ""):
    selectors.require_read(request.auth)
    region = selectors.round_county(request.auth, county)
    version = selectors.ruleset_in_force(region) or services.ruleset_ensure()
    return {"version": version.version, "county": region.code if region else None,
            "inherited": region is not None and version.region_id is None, "rules": version.rules}  # fmt: skip


@router.post("/rules", response=dict, summary="Save a new rule-set version with changed parameters")
def set_rules(request, payload: RulesIn):
    selectors.require_read(request.auth)
    region = selectors.round_county(request.auth, payload.county)
    version = services.ruleset_update(actor=request.auth, settings=payload.settings, note=payload.note,
                                      region=region, request=request)  # fmt: skip
    return {"version": version.version, "county": region.code if region else None, "rules": version.rules}


# Registry writes (create/edit cadres, careers, assessments, relatives, positions) hang on this router too.
from . import api_registry  # noqa: E402, F401
