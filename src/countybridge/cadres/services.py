"""Writes of the cadres app: rule sets, plans (run, edit, approve), quotas and training records.
Each is one transaction with its audit row; bad input raises ServiceValidationError in Chinese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Region
from countybridge.core.services.errors import FieldProblem, ServiceValidationError  # noqa: F401 (re-exported)

from . import convert
from .models import (
    Cadre,
    CareerPost,
    ExchangePlan,
    PlanMove,
    PlanStatus,
    Position,
    QuotaKind,
    RecruitmentQuota,
    RuleSetVersion,
    TrainingRecord,
)
from .planning import PlanningInputError, check_plan, plan_exchange
from .planning.model import LEVEL_INDEX
from .registry_checks import Checker
from .selectors import require_edit, ruleset_current, ruleset_in_force

# The local settings the organisation department edits on the rules page: (rule code, parameter).
LOCAL_SETTINGS = (
    ("min_tenure_before_move", "years"),
    ("age_limit", "max_age"),
    ("team_batch_cap", "numerator"),
    ("team_batch_cap", "denominator"),
    ("balance_directions", "max_difference"),
    ("balance_directions", "max_difference_pct"),
)


def _invalid(field: str, value: Any, zh: str, en: str, code: str = "invalid") -> ServiceValidationError:
    return ServiceValidationError([FieldProblem(field, str(value)[:100], zh, en, code)])


def _from_engine(exc: PlanningInputError, field: str = "rules") -> ServiceValidationError:
    return ServiceValidationError([FieldProblem(field, "", exc.message_zh, exc.message_en, exc.code)])


def ruleset_ensure(*, actor=None, region: Region | None = None) -> RuleSetVersion:
    """The current version for `region`, creating version 1 if none exists: the city-wide set starts from
    the engine's defaults, a county's own set from the city-wide set it inherited until then."""
    current = ruleset_current(region)
    if current is not None:
        return current
    if region is not None:
        city = ruleset_ensure(actor=actor)
        rules, note = city.rules, f"copied from city-wide v{city.version}"
    else:
        rules, note = convert.default_rule_dicts(), "engine defaults"
    with transaction.atomic():
        return RuleSetVersion.objects.create(
            region=region, version=1, rules=rules, note=note, created_by=actor
        )


@transaction.atomic
def ruleset_update(
    *, actor, settings: dict[str, dict[str, Any]], region: Region | None = None, note: str = "", request=None
) -> RuleSetVersion:
    """Save a new version with the given parameters ({code: {param: value}}) changed; the engine validates
    the whole set (types, vocabulary, overlaps) before anything is stored. With `region`, the county's own
    set (its officers of the organisation line may edit it)."""
    require_edit(actor, region)
    current = ruleset_ensure(actor=actor, region=region)
    rules = [dict(r, params=dict(r["params"])) for r in current.rules]
    codes = {r["code"] for r in rules}
    for code, params in settings.items():
        if code not in codes:
            raise _invalid(
                f"rules.{code}", code, f"规则集中没有规则 {code}", f"The rule set has no rule {code}"
            )
        for rule in rules:
            if rule["code"] == code:
                for name, value in params.items():
                    if name not in rule["params"]:
                        raise _invalid(f"rules.{code}.{name}", name, f"规则 {code} 没有参数 {name}",
                                       f"Rule {code} has no parameter {name}")  # fmt: skip
                    rule["params"][name] = value
    try:
        convert.RuleSet.from_dicts(rules).active(convert.today())
    except PlanningInputError as exc:
        raise _from_engine(exc) from None
    new = RuleSetVersion.objects.create(
        region=region, version=current.version + 1, rules=rules, note=note[:200], created_by=actor
    )
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=new, request=request,
                 details={"changed": settings, "previous_version": current.version})  # fmt: skip
    return new


def _round(region: Region | None):
    """The cadres and posts of one round: every one city-wide, or those of the county."""
    cadres, positions = Cadre.objects.all(), Position.objects.all()
    if region is not None:
        cadres, positions = cadres.filter(region=region), positions.filter(region=region)
    return cadres, positions


def _store_moves(plan: ExchangePlan, moves, manual: set[str] = frozenset()) -> None:
    positions = {p.code: p for p in Position.objects.all()}
    cadres = {c.code: c for c in Cadre.objects.filter(code__in=[m.cadre_id for m in moves])}
    PlanMove.objects.bulk_create(
        PlanMove(
            plan=plan,
            cadre=cadres[m.cadre_id],
            from_position=positions[m.from_position_id],
            to_position=positions[m.to_position_id],
            kind=m.kind,
            fit=m.fit,
            explanation=m.to_dict(),
            manual=m.cadre_id in manual,
        )
        for m in moves
    )


def plan_run(
    *,
    actor,
    region: Region | None = None,
    as_of: dt.date | None = None,
    time_limit_s: float = 20.0,
    workers: int = 4,
    job=None,
    progress: Callable[[float, str], None] | None = None,
) -> ExchangePlan:
    """Run the planner over every cadre and post in the database (or, with `region`, the county's own round
    under the county's rule set) and store the plan with its moves, explanations, solver figures and the
    rule set version used. `actor` None: the operator's shell."""
    if actor is not None:
        require_edit(actor, region)
    if time_limit_s <= 0 or time_limit_s > 3600:
        raise _invalid(
            "time_limit", time_limit_s, "时间限制应在0到3600秒之间", "The time limit must be 0-3600 s"
        )
    as_of = as_of or convert.today()
    report = progress or (lambda pct, stage: None)
    ruleset = ruleset_in_force(region) or ruleset_ensure(actor=actor)
    report(5, gettext_noop("Loading cadres and posts"))
    cadre_rows, position_rows = _round(region)
    cadres, positions = convert.engine_cadres(cadre_rows, as_of), convert.engine_positions(position_rows)
    report(20, gettext_noop("Solving"))
    try:
        result = plan_exchange(cadres, positions, convert.ruleset_of(ruleset), as_of=as_of,
                               time_limit_s=time_limit_s, workers=workers)  # fmt: skip
    except PlanningInputError as exc:
        raise _from_engine(exc, "data") from None
    report(90, gettext_noop("Saving the plan"))
    with transaction.atomic():
        plan = ExchangePlan.objects.create(
            status=PlanStatus.PROPOSED,
            region=region,
            as_of=as_of,
            ruleset=ruleset,
            job=job,
            solver_status=result.status,
            objective=result.objective,
            best_bound=result.best_bound if result.best_bound != float("inf") else None,
            gap=result.gap if result.gap != float("inf") else None,
            seconds=round(result.total_seconds, 3),
            must_move=[
                {
                    "cadre_id": m.cadre_id,
                    "moved": m.moved,
                    "reasons": [f.to_dict() for f in m.reasons],
                    "why_not": [f.to_dict() for f in m.why_not],
                }
                for m in result.must_move
            ],  # fmt: skip
            violations=[f.to_dict() for f in result.check.violations],
            unmet=[f.to_dict() for f in result.check.unmet],
            created_by=actor,
        )
        _store_moves(plan, result.moves)
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=plan,
                     details={"moves": len(result.moves), "objective": result.objective,
                              "ruleset_version": ruleset.version, "status": result.status,
                              "region": region.code if region else None})  # fmt: skip
    report(100, gettext_noop("Done"))
    return plan


def plan_check(plan: ExchangePlan, pairs: list[tuple[str, str]]):
    """Re-verify a move list against the current database (the plan's round) and its rule set version."""
    cadre_rows, position_rows = _round(plan.region)
    try:
        return check_plan(pairs, convert.engine_cadres(cadre_rows, plan.as_of), convert.engine_positions(position_rows),
                          convert.ruleset_of(plan.ruleset), as_of=plan.as_of)  # fmt: skip
    except PlanningInputError as exc:
        raise _from_engine(exc, "moves") from None


def _violation_problems(violations) -> list[FieldProblem]:
    return [
        FieldProblem(
            "moves",
            f.code,
            f"{f.message_zh}（{f.article}）",
            f"{f.message_en} ({f.article})",
            "rule_violated",
        )  # fmt: skip
        for f in violations
    ]


@transaction.atomic
def plan_edit(
    *,
    actor,
    plan: ExchangePlan,
    add: tuple[str, str] | None = None,
    remove: str | None = None,
    override_reason: str = "",
    request=None,
) -> ExchangePlan:
    """Add a move (cadre code, position code) or remove one cadre's move. The edited plan is re-checked;
    if it breaks any rule it is saved only with an override reason, which is audited with the breaches."""
    require_edit(actor, plan.region)
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PROPOSED:
        raise _invalid("plan", plan.pk, "只能修改待审批的方案", "Only a proposed plan can be edited", "state")
    pairs = {m.cadre.code: m.to_position.code for m in plan.moves.select_related("cadre", "to_position")}
    if add:
        cadre_code, position_code = (add[0] or "").strip(), (add[1] or "").strip()
        cadre_rows, position_rows = _round(plan.region)
        cadre = cadre_rows.filter(code=cadre_code).first()
        if cadre is None:
            raise _invalid("cadre", cadre_code, f"本轮次中没有编号为「{cadre_code}」的干部",
                           f"No cadre with code '{cadre_code}' in this round")  # fmt: skip
        if not position_rows.filter(code=position_code).exists():
            raise _invalid("position", position_code, f"本轮次中没有编号为「{position_code}」的职位",
                           f"No position with code '{position_code}' in this round")  # fmt: skip
        if cadre_code in pairs:
            raise _invalid(
                "cadre",
                cadre_code,
                f"干部 {cadre_code} 已在方案中",
                f"Cadre {cadre_code} is already in the plan",
            )
        pairs[cadre_code] = position_code
    if remove:
        if remove not in pairs:
            raise _invalid("remove", remove, f"方案中没有干部 {remove}", f"Cadre {remove} is not in the plan")
        del pairs[remove]
    report = plan_check(plan, list(pairs.items()))
    reason = (override_reason or "").strip()
    if report.violations and not reason:
        raise ServiceValidationError(_violation_problems(report.violations))
    if add:
        current = convert.engine_cadres(Cadre.objects.filter(code=add[0].strip()), plan.as_of)
        if not current:
            raise _invalid("cadre", add[0], "该干部没有现任职位", "This cadre holds no current post")
        from .planning import Move

        _store_moves(plan, [Move(add[0].strip(), add[1].strip(), from_position_id=current[0].post.position_id,
                                 kind="manual")], manual={add[0].strip()})  # fmt: skip
    if remove:
        plan.moves.filter(cadre__code=remove).delete()
    plan.violations = [f.to_dict() for f in report.violations]
    plan.unmet = [f.to_dict() for f in report.unmet]
    if report.violations:
        plan.override_reason = reason[:300]
    plan.save(update_fields=["violations", "unmet", "override_reason"])
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, request=request, reason=reason,
                 details={"add": list(add) if add else None, "remove": remove,
                          "violations": [f.code for f in report.violations]})  # fmt: skip
    return plan


@transaction.atomic
def plan_approve(
    *, actor, plan: ExchangePlan, effective: dt.date | None = None, request=None
) -> ExchangePlan:
    """Apply every move: close the old post, open the new one, update level and counters; all or nothing."""
    require_edit(actor, plan.region)
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PROPOSED:
        raise _invalid(
            "plan", plan.pk, "只能审批待审批的方案", "Only a proposed plan can be approved", "state"
        )
    moves = list(plan.moves.select_related("cadre", "to_position", "from_position"))
    report = plan_check(plan, [(m.cadre.code, m.to_position.code) for m in moves])
    if report.violations and not plan.override_reason:
        raise ServiceValidationError(_violation_problems(report.violations))
    day = effective or convert.today()
    ids = [m.cadre_id for m in moves]
    CareerPost.objects.filter(cadre_id__in=ids, end__isnull=True).update(end=day)
    for m in moves:
        c, target = m.cadre, m.to_position
        CareerPost.objects.create(cadre=c, position=target, title=f"{target.unit_name} {target.title}",
                                  level=target.level, start=day)  # fmt: skip
        if LEVEL_INDEX[target.level] > LEVEL_INDEX[c.level]:
            c.years_one_level_down, c.years_at_level = c.years_at_level, 0
            c.posts_one_level_down, c.posts_at_level = c.posts_at_level, 1
        else:
            c.posts_at_level += 1
        c.level, c.region_id = target.level, target.region_id
        c.save(update_fields=["years_at_level", "years_one_level_down", "posts_at_level",
                              "posts_one_level_down", "level", "region"])  # fmt: skip
    Position.objects.filter(pk__in=[m.to_position_id for m in moves]).update(is_open=False)
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, actor, timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, request=request,
                 reason=plan.override_reason, details={"event": "approve", "effective": day.isoformat(),
                 "moves": [[m.cadre.code, m.from_position.code, m.to_position.code] for m in moves]})  # fmt: skip
    return plan


def _int(field: str, value, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise _invalid(field, value, f"{field} 应为整数", f"{field} must be a whole number", "type") from None
    if not low <= number <= high:
        raise _invalid(
            field, value, f"{field} 应在 {low} 到 {high} 之间", f"{field} must be {low}-{high}", "range"
        )
    return number


@transaction.atomic
def quota_set(*, actor, region: Region, year, kind: str, planned, filled=0, request=None) -> RecruitmentQuota:
    """Planned and filled civil-servant or 选调生 places of one county and year."""
    require_edit(actor)
    year, planned, filled = (
        _int("year", year, 2000, 2100),
        _int("planned", planned, 0, 100000),
        _int("filled", filled, 0, 100000),
    )
    if kind not in QuotaKind.values:
        raise _invalid("kind", kind, "招录类型未知", "Unknown recruitment kind")
    if filled > planned:
        raise _invalid(
            "filled", filled, "已录用人数不能超过计划数", "Filled places cannot exceed the plan", "range"
        )
    quota, _ = RecruitmentQuota.objects.update_or_create(
        region=region, year=year, kind=kind, defaults={"planned": planned, "filled": filled}
    )
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=quota, request=request,
                 details={"year": year, "kind": kind, "planned": planned, "filled": filled})  # fmt: skip
    return quota


@transaction.atomic
def training_add(*, actor, cadre: Cadre, title: str, year, hours, request=None) -> TrainingRecord:
    """One course (title, year, hours); the planner sums the hours into the cadre's training score."""
    require_edit(actor)
    check = Checker({"title": title, "year": year, "hours": hours})
    title = check.text("title", "培训名称", "The course title", 160)
    year = check.number("year", "培训年度", "Year", 1950, 2100, whole=True, default=None)
    hours = check.number("hours", "学时", "Hours", 0, 2000, default=None)
    # Checker's range is inclusive; a course of zero hours is a typing slip, not a record.
    if hours == 0:
        check.fail("hours", hours, "学时应大于0", "Hours must be more than 0", "range")
    check.done()
    record = TrainingRecord.objects.create(cadre=cadre, title=title, year=year, hours=hours)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=cadre, request=request,
                 details={"training": title[:80], "year": year, "hours": hours})  # fmt: skip
    return record
