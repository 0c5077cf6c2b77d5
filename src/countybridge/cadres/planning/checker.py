"""Re-verify any plan (the planner's, or one an officer edited by hand) against every rule.

Nothing here reads the optimisation model: the checker starts from the moves and the raw inputs, recounts
capacities, team shares, balance and relatives' final posts itself, and lists each breach with its article.
The planner runs it on its own output, so a solver bug shows up as a violation instead of a silent "optimal".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from .eligibility import (
    PLAN_STRUCTURE,
    Context,
    Finding,
    cadre_blockers,
    kin_conflicts,
    must_move_reasons,
    pair_blockers,
    relative_pairs,
)
from .model import SIDE, Cadre, PlanningInputError, Position, index_round
from .results import CheckReport, Move, PlanResult
from .rules import Rule, RuleSet


def team_cap(rule: Rule, size: int) -> int:
    """Moves allowed out of a team of `size` seats: floor(size × share), but at least `at_least`."""
    p = rule.params
    return max(p["at_least"], size * p["numerator"] // p["denominator"])


def chief_group(position: Position, rule: Rule) -> tuple[str, str] | None:
    """The place whose Party and government chiefs should not move together, if this post is one."""
    if position.is_chief and position.function in rule.params["functions"]:
        return (position.unit_type, position.region)
    return None


def balance_findings(moves: list[tuple[str, str]], ctx: Context) -> list[Finding]:
    """Balance rules on a list of (origin unit type, target unit type) moves."""
    out = []
    total = len(moves)
    to_city = sum(1 for a, b in moves if SIDE[a] == "county" and SIDE[b] == "city")
    to_county = sum(1 for a, b in moves if SIDE[a] == "city" and SIDE[b] == "county")
    rule = ctx.rules.get("balance_directions")
    if rule:
        allowed = rule.params["max_difference"] + rule.params["max_difference_pct"] * total / 100
        if abs(to_city - to_county) > allowed:
            out.append(
                Finding(
                    rule.code,
                    rule.article,
                    f"双向交流不平衡：县市→市级 {to_city} 人，市级→县市 {to_county} 人，差额上限 {allowed:g}",
                    f"unbalanced: {to_city} county→city and {to_county} city→county moves, "
                    f"allowed difference {allowed:g}",
                )  # fmt: skip
            )
    rule = ctx.rules.get("balance_county_inflow")
    if rule and 100 * to_county < rule.params["min_share_pct"] * total:
        out.append(
            Finding(
                rule.code,
                rule.article,
                f"市级→县市交流 {to_county} 人，占 {total} 人的比例低于 {rule.params['min_share_pct']}%",
                f"{to_county} of {total} moves go city→county, under {rule.params['min_share_pct']}%",
            )  # fmt: skip
        )
    return out


def _normalise(plan: PlanResult | Iterable[Move | tuple[str, str]]) -> list[tuple[str, str]]:
    items = plan.moves if isinstance(plan, PlanResult) else plan
    return [(m.cadre_id, m.to_position_id) if isinstance(m, Move) else (m[0], m[1]) for m in items]


def check_plan(
    plan: PlanResult | Iterable[Move | tuple[str, str]],
    cadres: Iterable[Cadre],
    positions: Iterable[Position],
    rules: RuleSet,
    *,
    as_of: dt.date | None = None,
) -> CheckReport:
    """Every rule broken by `plan`, and every obligation it leaves unmet, each with its article.

    `plan` is a PlanResult or any list of Move / (cadre id, position id). `as_of` defaults to the plan's date.
    Raises PlanningInputError if a move names a cadre or post that is not in the inputs.
    """
    if as_of is None:
        if not isinstance(plan, PlanResult):
            raise PlanningInputError(
                "no_date", "检查方案须给出基准日期", "Checking a plan needs its as-of date"
            )
        as_of = plan.as_of
    index = index_round(cadres, positions)
    ctx = Context(as_of, rules.active(as_of), index)
    moves = _normalise(plan)
    violations: list[Finding] = []
    for cid, pid in moves:
        if cid not in index.cadres or pid not in index.positions:
            raise PlanningInputError(
                "unknown_in_plan",
                f"方案中的干部 {cid} 或职位 {pid} 不在输入数据中",
                f"The plan names cadre {cid} or position {pid}, which are not in the inputs",
            )
    per_cadre = Counter(cid for cid, _ in moves)
    for cid, n in per_cadre.items():
        if n > 1:
            violations.append(Finding("one_move_per_cadre", PLAN_STRUCTURE, f"干部 {cid} 在方案中出现 {n} 次",
                                      f"cadre {cid} appears {n} times", (cid,)))  # fmt: skip
    per_post = Counter(pid for _, pid in moves)
    for pid, n in per_post.items():
        if n > 1:
            violations.append(Finding("position_capacity", PLAN_STRUCTURE, f"职位 {pid} 被安排了 {n} 人",
                                      f"position {pid} is given to {n} cadres", (), (pid,)))  # fmt: skip
    moved = {cid: pid for cid, pid in moves}
    for cid, pid in moves:
        c, p = index.cadres[cid], index.positions[pid]
        if not p.open:
            violations.append(Finding("position_not_open", PLAN_STRUCTURE, f"职位 {pid} 不在本轮交流职位中",
                                      f"position {pid} is not offered in this round", (cid,), (pid,)))  # fmt: skip
        holder = index.incumbent.get(pid)
        if holder is not None and holder != cid and holder not in moved:
            violations.append(Finding("position_occupied", PLAN_STRUCTURE,
                                      f"职位 {pid} 的现任 {holder} 未交流出去", f"position {pid}: its holder "
                                      f"{holder} does not move out", (cid, holder), (pid,)))  # fmt: skip
        violations.extend(cadre_blockers(c, ctx))
        violations.extend(pair_blockers(c, p, ctx))
    unmet: list[Finding] = []
    final = {c.id: moved.get(c.id, c.post.position_id) for c in index.cadres.values()}
    for a, b, kinship in relative_pairs(ctx):
        pa, pb = index.positions[final[a]], index.positions[final[b]]
        found = kin_conflicts(a, pa, b, pb, kinship, ctx)
        (violations if (a in moved or b in moved) else unmet).extend(found)
    rule = ctx.rules.get("team_batch_cap")
    if rule:
        out_of_team: dict[str, list[str]] = defaultdict(list)
        for cid in moved:
            team = ctx.current(index.cadres[cid]).team_id
            if team is not None:
                out_of_team[team].append(cid)
        for team, members in sorted(out_of_team.items()):
            cap = team_cap(rule, index.team_size[team])
            if len(members) > cap:
                violations.append(Finding(rule.code, rule.article,
                                          f"班子 {team}（{index.team_size[team]} 席）交流 {len(members)} 人，超过上限 {cap} 人",
                                          f"team {team} ({index.team_size[team]} seats) moves {len(members)}, "
                                          f"above the cap of {cap}", tuple(sorted(members))))  # fmt: skip
    rule = ctx.rules.get("chiefs_not_together")
    if rule:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for cid in moved:
            key = chief_group(ctx.current(index.cadres[cid]), rule)
            if key is not None:
                groups[key].append(cid)
        for (_, region), members in sorted(groups.items()):
            if len(members) > 1:
                violations.append(Finding(rule.code, rule.article, f"{region} 的党政正职同时交流：{'、'.join(members)}",
                                          f"the Party and government chiefs of {region} move together: "
                                          f"{', '.join(members)}", tuple(members)))  # fmt: skip
    directions = [
        (ctx.current(index.cadres[cid]).unit_type, index.positions[pid].unit_type) for cid, pid in moves
    ]
    violations.extend(balance_findings(directions, ctx))
    for c in index.cadres.values():
        if c.id not in moved:
            unmet.extend(must_move_reasons(c, ctx))
    return CheckReport(tuple(violations), tuple(unmet))
