"""What each rule says about one cadre, or one cadre and one post, or two relatives' posts.

The planner uses these to pre-filter pairs and the checker uses the same predicates on any plan, so a rule
means one thing everywhere; what the checker does NOT share with the planner is the optimisation model (the
set-level rules are recounted from the plan itself). Each verdict is a Finding naming the rule and article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from .model import (
    ASSESSMENT_SCORES,
    FUNCTIONS,
    KINSHIP,
    KINSHIP_CLASSES,
    LEVEL_INDEX,
    Cadre,
    Position,
    RoundIndex,
    age_on,
    reached,
    years_between,
)
from .rules import Rule

PLAN_STRUCTURE = "方案结构 / plan structure"


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: why a pair is excluded, why a move is required, or what a plan breaks."""

    code: str
    article: str
    message_zh: str
    message_en: str
    cadre_ids: tuple[str, ...] = ()
    position_ids: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "article": self.article,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "cadre_ids": list(self.cadre_ids),
            "position_ids": list(self.position_ids),
            "values": dict(self.values),
        }


@dataclass(frozen=True)
class Context:
    """A round: the date rules are judged on, the rules in force that day, and the validated inputs."""

    as_of: dt.date
    rules: Mapping[str, Rule]
    index: RoundIndex

    def current(self, cadre: Cadre) -> Position:
        return self.index.positions[cadre.post.position_id]


def _f(rule: Rule, zh: str, en: str, cadres=(), positions=(), **values: Any) -> Finding:
    return Finding(rule.code, rule.article, zh, en, tuple(cadres), tuple(positions), MappingProxyType(values))


def must_move_reasons(c: Cadre, ctx: Context) -> list[Finding]:
    """The rules that require this cadre to leave the current post in this round."""
    out = []
    in_post = years_between(c.post.since, ctx.as_of)
    rule = ctx.rules.get("tenure_10y_exchange")
    if rule and reached(c.post.since, ctx.as_of, rule.params["years"]):
        out.append(
            _f(
                rule,
                f"必须交流：在现职位任职 {in_post} 年，满 {rule.params['years']} 年须交流（{rule.article}）",
                f"must move: {in_post} years in post, exchange required after {rule.params['years']} "
                f"({rule.article})",
                [c.id],
                [c.post.position_id],
                years_in_post=in_post,
            )
        )
    rule = ctx.rules.get("term_limit")
    if rule:
        terms, limit = c.post.consecutive_terms, rule.params["max_consecutive_terms"]
        term_end_years = rule.params["term_years"] * terms
        if terms >= limit and reached(c.post.since, ctx.as_of, term_end_years):
            out.append(
                _f(
                    rule,
                    f"必须交流：已在同一职位连续任满 {terms} 个任期，不得再提名第 {terms + 1} 个任期（{rule.article}）",
                    f"must move: {terms} consecutive terms completed in this post, no term {terms + 1} "
                    f"({rule.article})",
                    [c.id],
                    [c.post.position_id],
                    terms=terms,
                )
            )
    return out


def cadre_blockers(c: Cadre, ctx: Context) -> list[Finding]:
    """The rules that keep this cadre out of the round altogether."""
    out = []
    rule = ctx.rules.get("min_tenure_before_move")
    if rule and not reached(c.post.since, ctx.as_of, rule.params["years"]):
        in_post = years_between(c.post.since, ctx.as_of)
        out.append(
            _f(
                rule,
                f"任现职 {in_post} 年，未满 {rule.params['years']} 年不交流（{rule.article}）",
                f"{in_post} years in post, under the minimum of {rule.params['years']} ({rule.article})",
                [c.id],
                years_in_post=in_post,
            )
        )
    rule = ctx.rules.get("age_limit")
    if rule:
        age = age_on(c.birth_date, ctx.as_of)
        if age > rule.params["max_age"]:
            out.append(
                _f(
                    rule,
                    f"年龄 {age} 岁，超过交流年龄上限 {rule.params['max_age']} 岁（{rule.article}）",
                    f"age {age}, above the exchange age limit {rule.params['max_age']} ({rule.article})",
                    [c.id],
                    age=age,
                )
            )
    return out


def _promotion_findings(c: Cadre, level: str, step: int, ctx: Context) -> list[Finding]:
    out = []
    r, ids, pids = ctx.rules, [c.id], []
    target = LEVEL_INDEX[level]
    rule = r.get("no_skip_two_levels")
    if rule and step > rule.params["max_step"]:
        out.append(_f(rule, f"不得越两级提拔：{c.level} → {level}", f"skips two levels: {c.level} → {level}",
                      ids, pids, step=step))  # fmt: skip
    rule = r.get("promotion_step")
    if rule and step > rule.params["max_step"]:
        out.append(_f(rule, f"越级提拔须走破格程序：{c.level} → {level}（{rule.article}）",
                      f"a jump of {step} rungs needs the 破格 procedure: {c.level} → {level}", ids, pids))  # fmt: skip
    rule = r.get("promotion_work_years")
    if rule and target >= LEVEL_INDEX[rule.params["min_target_level"]]:
        if not reached(c.work_start, ctx.as_of, rule.params["years"]):
            have = years_between(c.work_start, ctx.as_of)
            out.append(_f(rule, f"工龄 {have} 年，提任县处级须满 {rule.params['years']} 年",
                          f"{have} years of work, {rule.params['years']} needed for a division-level post",
                          ids, pids, work_years=have))  # fmt: skip
    rule = r.get("promotion_grassroots")
    if rule and target >= LEVEL_INDEX[rule.params["min_target_level"]]:
        if c.grassroots_years < rule.params["years"]:
            out.append(_f(rule, f"基层工作经历 {c.grassroots_years} 年，须满 {rule.params['years']} 年",
                          f"{c.grassroots_years} years at grassroots, {rule.params['years']} needed",
                          ids, pids, grassroots_years=c.grassroots_years))  # fmt: skip
    rule = r.get("promotion_posts_below")
    if rule and target >= LEVEL_INDEX[rule.params["min_target_level"]]:
        posts = c.posts_at_level if step == 1 else 0  # the rung below the target is the current one
        if posts < rule.params["posts"]:
            out.append(_f(rule, f"在下一级任职 {posts} 个职位，一般须 {rule.params['posts']} 个以上",
                          f"{posts} posts one level down, {rule.params['posts']} or more expected",
                          ids, pids, posts=posts))  # fmt: skip
    if step == 1:
        deputy_now, chief_next = c.level.endswith("副职"), level.endswith("正职")
        rule = r.get("promotion_deputy_to_chief")
        if rule and deputy_now and chief_next and c.years_at_level < rule.params["years"]:
            out.append(_f(rule, f"任副职 {c.years_at_level} 年，提任正职须满 {rule.params['years']} 年",
                          f"{c.years_at_level} years as deputy, {rule.params['years']} needed before chief",
                          ids, pids, years_at_level=c.years_at_level))  # fmt: skip
        rule = r.get("promotion_chief_to_upper_deputy")
        if rule and not deputy_now and not chief_next and c.years_at_level < rule.params["years"]:
            out.append(_f(rule, f"任下级正职 {c.years_at_level} 年，提任上级副职须满 {rule.params['years']} 年",
                          f"{c.years_at_level} years as lower chief, {rule.params['years']} needed before "
                          "upper deputy", ids, pids, years_at_level=c.years_at_level))  # fmt: skip
    rule = r.get("promotion_assessment")
    if rule:
        n, floor = rule.params["years"], ASSESSMENT_SCORES.get(rule.params["min_grade"], 2)
        recent = c.assessments[-n:] if n else ()
        if len(recent) < n or any(ASSESSMENT_SCORES[g] < floor for g in recent):
            out.append(_f(rule, f"近 {n} 年考核（{'、'.join(recent) or '无记录'}）未全部达到{rule.params['min_grade']}",
                          f"the last {n} assessments ({', '.join(recent) or 'none recorded'}) are not all "
                          f"{rule.params['min_grade']} or better", ids, pids, assessments=list(recent)))  # fmt: skip
    return out


def level_blockers(c: Cadre, level: str, ctx: Context) -> list[Finding]:
    """The rules that forbid cadre `c` any post at `level` (demotion, level tenure, promotion minimums).
    They depend on the level alone, so the pre-filter evaluates them once per level, not once per post."""
    r, ids = ctx.rules, [c.id]
    out = []
    step = LEVEL_INDEX[level] - LEVEL_INDEX[c.level]
    rule = r.get("no_demotion")
    if rule and step < 0:
        out.append(_f(rule, f"交流不降低职级：{c.level} → {level}", f"a move down: {c.level} → {level}", ids))
    rule = r.get("level_tenure_cap")
    if rule and step == 0 and c.years_at_level >= rule.params["years"]:
        out.append(_f(rule, f"同一层次职务已任 {c.years_at_level} 年，满 {rule.params['years']} 年不再提名该层次",
                      f"{c.years_at_level} years at this level; no nomination at it after {rule.params['years']}",
                      ids, years_at_level=c.years_at_level))  # fmt: skip
    if step > 0:
        out.extend(_promotion_findings(c, level, step, ctx))
    return out


def post_blockers(c: Cadre, p: Position, ctx: Context) -> list[Finding]:
    """The rules that forbid cadre `c` this particular post (home region, required fields)."""
    r, ids, pids = ctx.rules, [c.id], [p.id]
    out = []
    rule = r.get("home_region_avoidance")
    if (
        rule
        and p.is_chief
        and p.region == c.home_region
        and p.function in rule.params["functions"]
        and p.unit_type in rule.params["unit_types"]
    ):
        fn_zh, fn_en = FUNCTIONS[p.function]
        out.append(_f(rule, f"成长地回避：不得在成长地 {p.region} 担任{fn_zh}正职（{rule.article}）",
                      f"home-region avoidance: no {fn_en} chief post in the home region {p.region} "
                      f"({rule.article})", ids, pids, region=p.region))  # fmt: skip
    rule = r.get("required_fields")
    if rule and not p.required_fields <= c.fields:
        missing = sorted(p.required_fields - c.fields)
        out.append(_f(rule, f"缺少职位要求的领域：{'、'.join(missing)}", f"missing required fields: {', '.join(missing)}",
                      ids, pids, missing=missing))  # fmt: skip
    return out


def same_post_blockers(c: Cadre, p: Position, ctx: Context) -> list[Finding]:
    """Staying is not a move; after the consecutive-term limit it is not allowed either (term rule)."""
    rule = ctx.rules.get("term_limit")
    if rule and c.post.consecutive_terms >= rule.params["max_consecutive_terms"]:
        n = c.post.consecutive_terms
        return [_f(rule, f"已在该职位连续任职 {n} 个任期，不得提名第三个连续任期（{rule.article}）",
                   f"{n} consecutive terms in this post already; a third consecutive term is refused "
                   f"({rule.article})", [c.id], [p.id], terms=n)]  # fmt: skip
    return [Finding("same_post", PLAN_STRUCTURE, "现任职位，不是交流", "the current post is not an exchange",
                    (c.id,), (p.id,))]  # fmt: skip


def pair_blockers(c: Cadre, p: Position, ctx: Context) -> list[Finding]:
    """Every rule that forbids moving cadre `c` into post `p` on its own (relatives are judged separately)."""
    if p.id == c.post.position_id:
        return same_post_blockers(c, p, ctx)
    at_level = [replace(f, position_ids=(p.id,)) for f in level_blockers(c, p.level, ctx)]
    return at_level + post_blockers(c, p, ctx)


def kinship_rules(ctx: Context, kinship: str) -> list[Rule]:
    """The avoidance rules in force that cover this kinship code's class."""
    cls = KINSHIP[kinship][0]
    return [
        rule
        for code in ("kinship_avoidance", "kinship_sensitive_function")
        if (rule := ctx.rules.get(code)) is not None and cls in rule.params["classes"]
    ]


def relative_pairs(ctx: Context) -> list[tuple[str, str, str]]:
    """(a, b, kinship) for relatives both in the round whose kinship an avoidance rule covers, each pair once."""
    seen: set[frozenset[str]] = set()
    out = []
    for c in ctx.index.cadres.values():
        for other, kinship in c.relatives:
            key = frozenset((c.id, other))
            if other in ctx.index.cadres and key not in seen and kinship_rules(ctx, kinship):
                seen.add(key)
                out.append((c.id, other, kinship))
    return out


def _sensitive_under(pa: Position, pb: Position, rule: Rule, ctx: Context) -> bool:
    """pa works in a sensitive function in an organ that pb leads (same unit, or pb above pa)."""
    if pa.function not in rule.params["functions"] or not pb.is_leader:
        return False
    return (pa.region, pa.unit) == (pb.region, pb.unit) or pb.id in ctx.index.ancestors[pa.id]


def kin_conflicts(a: str, pa: Position, b: str, pb: Position, kinship: str, ctx: Context) -> list[Finding]:
    """Why relatives a (in pa) and b (in pb) may not serve where they would: empty if they may."""
    if pa.id == pb.id:
        return []
    cls = KINSHIP[kinship][0]
    kin = f"{KINSHIP[kinship][1]}（{KINSHIP_CLASSES[cls][0]}）"
    kin_en = f"{KINSHIP[kinship][2]} ({KINSHIP_CLASSES[cls][1]})"
    out = []
    for rule in kinship_rules(ctx, kinship):
        if rule.code == "kinship_avoidance":
            scopes = rule.params["scopes"]
            hits = []
            if "same_unit" in scopes and (pa.region, pa.unit) == (pb.region, pb.unit):
                hits.append(("同一单位", "the same unit"))
            if "same_team" in scopes and pa.team_id is not None and pa.team_id == pb.team_id:
                hits.append(("同一领导班子", "the same leadership team"))
            if "direct_line" in scopes and (pa.reports_to == pb.id or pb.reports_to == pa.id):
                hits.append(("直接上下级", "a direct line of command"))
            for zh, en in hits:
                out.append(_f(rule, f"亲属回避：{a} 与 {b} 为{kin}，不得在{zh}任职（{rule.article}）",
                              f"kinship avoidance: {a} and {b} are {kin_en}, not allowed in {en} ({rule.article})",
                              [a, b], [pa.id, pb.id], kinship=kinship))  # fmt: skip
        elif _sensitive_under(pa, pb, rule, ctx) or _sensitive_under(pb, pa, rule, ctx):
            out.append(_f(rule, f"亲属回避：{a} 与 {b} 为{kin}，不得在亲属担任领导的机关从事组织人事、纪检、审计、财务工作"
                          f"（{rule.article}）",
                          f"kinship avoidance: {a} and {b} are {kin_en}; no sensitive function where the "
                          f"relative leads ({rule.article})", [a, b], [pa.id, pb.id], kinship=kinship))  # fmt: skip
    return out


class Neighbourhood:
    """For a post, the posts a relative could conflict with (same unit or team, superiors, subordinates),
    so the pair checks stay local instead of comparing every post with every post."""

    def __init__(self, index: RoundIndex):
        self.index = index
        self.by_unit: dict[tuple[str, str], list[str]] = {}
        self.by_team: dict[str, list[str]] = {}
        self.below: dict[str, list[str]] = {}
        for p in index.positions.values():
            self.by_unit.setdefault((p.region, p.unit), []).append(p.id)
            if p.team_id is not None:
                self.by_team.setdefault(p.team_id, []).append(p.id)
            for up in index.ancestors[p.id]:
                self.below.setdefault(up, []).append(p.id)
        self._cache: dict[str, frozenset[str]] = {}

    def near(self, pid: str) -> frozenset[str]:
        hit = self._cache.get(pid)
        if hit is None:
            p = self.index.positions[pid]
            ids = set(self.by_unit[(p.region, p.unit)]) | set(self.index.ancestors[pid])
            ids |= set(self.below.get(pid, ()))
            if p.team_id is not None:
                ids |= set(self.by_team[p.team_id])
            ids.discard(pid)
            hit = self._cache[pid] = frozenset(ids)
        return hit
