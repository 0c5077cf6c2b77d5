"""Explanations: the rules that required or limited each move, the checks each move passed with the values
used, why a must-move cadre stayed, and, on request, every rule that excludes one (cadre, post) pair."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from .checker import chief_group, team_cap
from .eligibility import (
    PLAN_STRUCTURE,
    Context,
    Finding,
    cadre_blockers,
    kin_conflicts,
    pair_blockers,
)
from .fit import DEFAULT_WEIGHTS, FitWeights
from .model import (
    KINSHIP,
    LEVEL_INDEX,
    SIDE,
    Cadre,
    PlanningInputError,
    Position,
    age_on,
    index_round,
    years_between,
)
from .prefilter import Candidates, candidates
from .rules import RuleSet


def _ok(code: str, article: str, zh: str, en: str, cid: str, **values) -> Finding:
    return Finding(code, article, zh, en, (cid,), (), values)


def binding_findings(
    cid: str, ctx: Context, cand: Candidates, chosen: list[tuple[str, str]]
) -> list[Finding]:
    """Rules that required this move or that were at their limit when it was chosen."""
    return list(cand.must.get(cid, ())) + limits_reached(cid, ctx, cand, chosen)


def limits_reached(cid: str, ctx: Context, cand: Candidates, chosen: list[tuple[str, str]]) -> list[Finding]:
    """Set-level rules (team share, chiefs, balance) at their limit in this plan, as they bear on `cid`."""
    index = ctx.index
    out = []
    current = ctx.current(index.cadres[cid])
    movers = [c for c, _ in chosen]
    rule = ctx.rules.get("team_batch_cap")
    if rule and current.team_id is not None:
        cap = team_cap(rule, index.team_size[current.team_id])
        n = sum(1 for c in movers if ctx.current(index.cadres[c]).team_id == current.team_id)
        if n >= cap:
            out.append(Finding(rule.code, rule.article, f"班子 {current.team_id} 本批交流 {n} 人，已达上限 {cap} 人",
                               f"team {current.team_id} moves {n}, at its cap of {cap}", (cid,), (current.id,)))  # fmt: skip
    rule = ctx.rules.get("chiefs_not_together")
    key = chief_group(current, rule) if rule else None
    others = [
        c
        for c in cand.options
        if c != cid and key is not None and chief_group(ctx.current(index.cadres[c]), rule) == key
    ]
    if others:
        out.append(Finding(rule.code, rule.article, f"{key[1]} 的党政正职本批只交流一人", f"only one chief of "
                           f"{key[1]} moves in this batch", (cid,), (current.id,)))  # fmt: skip
    rule = ctx.rules.get("balance_directions")
    if rule:
        sides = [
            (SIDE[ctx.current(index.cadres[c]).unit_type], SIDE[index.positions[p].unit_type])
            for c, p in chosen
        ]
        up, down = sides.count(("county", "city")), sides.count(("city", "county"))
        allowed = rule.params["max_difference"] + rule.params["max_difference_pct"] * len(sides) / 100
        if abs(up - down) + 1 > allowed:
            out.append(Finding(rule.code, rule.article, f"双向平衡已到上限：县市→市级 {up} 人，市级→县市 {down} 人",
                               f"balance at its limit: {up} county→city, {down} city→county", (cid,)))  # fmt: skip
    return out


def checked_findings(c: Cadre, p: Position, ctx: Context, final_moves: dict[str, str]) -> list[Finding]:
    """The rules this move was checked against and passed, with the cadre's values."""
    r, out = ctx.rules, []
    in_post = years_between(c.post.since, ctx.as_of)
    if rule := r.get("min_tenure_before_move"):
        out.append(_ok(rule.code, rule.article, f"任现职 {in_post} 年 ≥ {rule.params['years']} 年",
                       f"{in_post} years in post ≥ {rule.params['years']}", c.id, years_in_post=in_post))  # fmt: skip
    if rule := r.get("age_limit"):
        age = age_on(c.birth_date, ctx.as_of)
        out.append(_ok(rule.code, rule.article, f"年龄 {age} 岁 ≤ {rule.params['max_age']} 岁",
                       f"age {age} ≤ {rule.params['max_age']}", c.id, age=age))  # fmt: skip
    if LEVEL_INDEX[p.level] > LEVEL_INDEX[c.level]:
        work = years_between(c.work_start, ctx.as_of)
        out.append(_ok("promotion", "《党政领导干部选拔任用工作条例》基本资格条款",
                       f"提拔 {c.level} → {p.level}：工龄 {work} 年，基层 {c.grassroots_years} 年，现职级 "
                       f"{c.years_at_level} 年，现职级职位 {c.posts_at_level} 个，近年考核 {'、'.join(c.assessments[-3:])}",
                       f"promotion {c.level} → {p.level}: {work} years of work, {c.grassroots_years} at "
                       f"grassroots, {c.years_at_level} at the current level, {c.posts_at_level} posts at it",
                       c.id, work_years=work))  # fmt: skip
    rule = r.get("home_region_avoidance")
    if (
        rule
        and p.is_chief
        and p.function in rule.params["functions"]
        and p.unit_type in rule.params["unit_types"]
    ):
        out.append(_ok(rule.code, rule.article, f"成长地 {c.home_region} ≠ 任职地 {p.region}",
                       f"home region {c.home_region} ≠ post region {p.region}", c.id))  # fmt: skip
    if (rule := r.get("required_fields")) and p.required_fields:
        out.append(_ok(rule.code, rule.article, f"具备要求领域：{'、'.join(sorted(p.required_fields))}",
                       f"has the required fields: {', '.join(sorted(p.required_fields))}", c.id))  # fmt: skip
    index = ctx.index
    for other, kinship in c.relatives:
        if other in index.cadres:
            where = final_moves.get(other, index.cadres[other].post.position_id)
            if not kin_conflicts(c.id, p, other, index.positions[where], kinship, ctx):
                out.append(_ok("kinship_checked", PLAN_STRUCTURE, f"亲属 {other}（{KINSHIP[kinship][1]}）最终任 {where}，不在回避范围",
                               f"relative {other} ({KINSHIP[kinship][2]}) ends in {where}, outside the avoidance scope",
                               c.id, relative=other))  # fmt: skip
    return out


def _no_post_summary(cid: str, ctx: Context, cand: Candidates) -> Finding:
    c = ctx.index.cadres[cid]
    counts: Counter = Counter()
    articles: dict[str, str] = {}
    for p in ctx.index.positions.values():
        if p.open:
            settled = cand.settled.get((cid, p.id))
            found = [settled] if settled else pair_blockers(c, p, ctx)
            if found:
                counts[found[0].code] += 1
                articles[found[0].code] = found[0].article
    if not counts:
        return Finding(
            "no_eligible_post",
            PLAN_STRUCTURE,
            "本轮没有开放的交流职位",
            "no post is open in this round",
            (cid,),
        )
    listing = "; ".join(f"{code} ×{n}（{articles[code]}）" for code, n in counts.most_common())
    return Finding("no_eligible_post", PLAN_STRUCTURE, f"没有符合条件的交流职位：{listing}",
                   f"no eligible post: {listing}", (cid,), (), {"excluded": dict(counts)})  # fmt: skip


def why_not_moved(cid: str, ctx: Context, cand: Candidates, chosen: list[tuple[str, str]]) -> list[Finding]:
    """Why a cadre the rules require to move stays in this plan."""
    if cid in cand.blocked:
        return list(cand.blocked[cid])
    if cid not in cand.options:
        return [_no_post_summary(cid, ctx, cand)]
    index = ctx.index
    taken = {p: c for c, p in chosen}
    moving = set(taken.values())
    filled = [p for p in cand.options[cid] if p in taken]
    held = [p for p in cand.options[cid] if p not in taken and index.incumbent.get(p) not in moving | {None}]
    out = [
        Finding("must_move_unplaced", PLAN_STRUCTURE,
                f"{len(cand.options[cid])} 个符合条件的职位中，{len(filled)} 个已安排给其他干部，{len(held)} 个的现任未交流出去；"
                "在其他规则下已尽可能多地安排必须交流的干部",
                f"of {len(cand.options[cid])} eligible posts, {len(filled)} went to other cadres and {len(held)} stay held; "
                "the plan places as many must-move cadres as the other rules allow", (cid,), tuple(cand.options[cid]))
    ]  # fmt: skip
    return out + limits_reached(cid, ctx, cand, chosen)


def explain_pair(
    cadre_id: str,
    position_id: str,
    cadres: Iterable[Cadre],
    positions: Iterable[Position],
    rules: RuleSet,
    *,
    as_of: dt.date,
    weights: FitWeights = DEFAULT_WEIGHTS,
) -> list[Finding]:
    """Every rule that keeps `cadre_id` out of `position_id` in this round (empty if the pair is eligible)."""
    ctx = Context(as_of, rules.active(as_of), index_round(cadres, positions))
    c, p = ctx.index.cadres.get(cadre_id), ctx.index.positions.get(position_id)
    if c is None or p is None:
        raise PlanningInputError("unknown_in_plan", f"干部 {cadre_id} 或职位 {position_id} 不在输入数据中",
                                 f"Cadre {cadre_id} or position {position_id} is not in the inputs")  # fmt: skip
    out = list(cadre_blockers(c, ctx)) + list(pair_blockers(c, p, ctx))
    if not p.open:
        out.append(Finding("position_not_open", PLAN_STRUCTURE, f"职位 {p.id} 不在本轮交流职位中",
                           f"position {p.id} is not offered in this round", (c.id,), (p.id,)))  # fmt: skip
    if out:
        return out
    settled = candidates(ctx, weights).settled.get((cadre_id, position_id))
    return [settled] if settled else []
