"""The exchange planner: OR-Tools CP-SAT over the eligible (cadre, post) pairs.

Two phases on one model. First, place as many must-move cadres (10-year and term rules) as the other rules
allow; the count found becomes a constraint. Then maximise total fit. Splitting the phases keeps the
reported objective, bound and gap about fit alone instead of hiding them under a large must-move weight.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from types import MappingProxyType

from ortools.sat.python import cp_model

from .checker import check_plan, chief_group, team_cap
from .eligibility import Context, Neighbourhood, kin_conflicts
from .explain import binding_findings, checked_findings, why_not_moved
from .fit import DEFAULT_WEIGHTS, FitWeights
from .lp import relax
from .model import LEVEL_INDEX, SIDE, Cadre, Position, index_round
from .prefilter import Candidates, candidates, prune
from .results import Move, MustMove, PlanResult
from .rules import RuleSet

PRESOLVE_MAX_PAIRS = 20_000


class _Model:
    """The CP-SAT model of one round, with the expressions the explanations read back."""

    def __init__(self, ctx: Context, cand: Candidates):
        self.ctx, self.cand = ctx, cand
        self.m = cp_model.CpModel()
        index = ctx.index
        self.x = {
            (cid, pid): self.m.new_bool_var(f"x[{cid},{pid}]")
            for cid, posts in cand.options.items()
            for pid in posts
        }
        by_post: dict[str, list] = defaultdict(list)
        self.moved = {}
        for cid, posts in cand.options.items():
            terms = [self.x[(cid, pid)] for pid in posts]
            # an explicit "moves" literal keeps the team, holder and relatives rows short
            self.moved[cid] = self.m.new_bool_var(f"moved[{cid}]")
            self.m.add(cp_model.LinearExpr.sum(terms) == self.moved[cid])
            for pid in posts:
                by_post[pid].append(self.x[(cid, pid)])
        for pid, terms in by_post.items():
            holder = index.incumbent.get(pid)
            # an open post still held is only free if its holder moves out in the same plan
            if holder is not None:
                self.m.add(cp_model.LinearExpr.sum(terms) <= self.moved[holder])
            elif len(terms) > 1:
                self.m.add_at_most_one(terms)
        self.team_members: dict[str, list[str]] = defaultdict(list)
        self.chief_members: dict[tuple[str, str], list[str]] = defaultdict(list)
        team_rule, chief_rule = ctx.rules.get("team_batch_cap"), ctx.rules.get("chiefs_not_together")
        for cid in cand.options:
            current = ctx.current(index.cadres[cid])
            if team_rule and current.team_id is not None:
                self.team_members[current.team_id].append(cid)
            if chief_rule and (key := chief_group(current, chief_rule)) is not None:
                self.chief_members[key].append(cid)
        for team, members in self.team_members.items():
            cap = team_cap(team_rule, index.team_size[team])
            if len(members) > cap:
                self.m.add(sum(self.moved[c] for c in members) <= cap)
        for members in self.chief_members.values():
            if len(members) > 1:
                self.m.add(sum(self.moved[c] for c in members) <= 1)
        self._balance()
        self._relatives(Neighbourhood(index))
        pairs = list(cand.fit)
        self.fit_expr = cp_model.LinearExpr.weighted_sum(
            [self.x[pair] for pair in pairs], [sum(cand.fit[pair].values()) for pair in pairs]
        )
        self.must_ids = [cid for cid in cand.must if cid in cand.options]
        self.variables = [*self.x.values(), *self.moved.values()]

    def must_count(self):
        return cp_model.LinearExpr.sum([self.moved[c] for c in self.must_ids])

    def _balance(self) -> None:
        index, rules = self.ctx.index, self.ctx.rules
        to_city, to_county, total = [], [], []
        for (cid, pid), var in self.x.items():
            origin = SIDE[self.ctx.current(index.cadres[cid]).unit_type]
            target = SIDE[index.positions[pid].unit_type]
            total.append(var)
            if (origin, target) == ("county", "city"):
                to_city.append(var)
            elif (origin, target) == ("city", "county"):
                to_county.append(var)
        n, up, down = (cp_model.LinearExpr.sum(v) for v in (total, to_city, to_county))
        rule = rules.get("balance_directions")
        if rule and total:
            slack = 100 * rule.params["max_difference"] + rule.params["max_difference_pct"] * n
            self.m.add(100 * (up - down) <= slack)
            self.m.add(100 * (down - up) <= slack)
        rule = rules.get("balance_county_inflow")
        if rule and total:
            self.m.add(100 * down >= rule.params["min_share_pct"] * n)

    def _ind(self, cid: str, pid: str):
        return (
            1 - self.moved[cid] if pid == self.ctx.index.cadres[cid].post.position_id else self.x[(cid, pid)]
        )

    def _relatives(self, near: Neighbourhood) -> None:
        """For relatives who can both move: no final pair of posts inside the avoidance scope, except the
        pair they hold now (already together before the plan: staying is not a new breach)."""
        index = self.ctx.index
        for a, b, kinship in self.cand.relatives:
            if a not in self.cand.options or b not in self.cand.options:
                continue  # a relative who cannot move was handled in pre-filtering
            cur_a, cur_b = index.cadres[a].post.position_id, index.cadres[b].post.position_id
            posts_b = {cur_b, *self.cand.options[b]}
            for pa in [cur_a, *self.cand.options[a]]:
                clash = [
                    q
                    for q in near.near(pa) & posts_b
                    if not (pa == cur_a and q == cur_b)
                    and kin_conflicts(a, index.positions[pa], b, index.positions[q], kinship, self.ctx)
                ]
                if clash:
                    self.m.add(self._ind(a, pa) + sum(self._ind(b, q) for q in clash) <= 1)


class _StopAtBound(cp_model.CpSolverSolutionCallback):
    """Stop as soon as a solution reaches the LP bound: nothing better exists."""

    def __init__(self, target: float):
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.target - 1e-6:
            self.stop_search()


@dataclass
class _Outcome:
    status: str
    value: int | None
    bound: float
    values: dict[int, int]  # variable index -> 0/1
    seconds: float
    proof: str  # "cp-sat" or "lp" when optimal, else ""


def _solve(
    model: _Model, objective, time_limit: float, workers: int, seed: int, log: bool, hint: dict[int, int]
):
    """One phase: LP relaxation for a bound and a warm start, then CP-SAT from that start."""
    model.m.maximize(objective)
    try:
        lp = relax(model.m, time_limit)
    except ValueError:  # a constraint type the LP reader does not know: CP-SAT alone
        lp = None
    lp_bound = math.floor(lp.bound + 1e-6) if lp is not None and math.isfinite(lp.bound) else math.inf
    model.m.clear_hints()
    start = (
        {v.index: round(lp.values[v.index]) for v in model.variables}
        if lp is not None and lp.integral
        else hint
    )
    for v in model.variables:
        if v.index in start:
            model.m.add_hint(v, start[v.index])
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(0.05, time_limit)
    s.parameters.num_workers = workers
    s.parameters.random_seed = seed
    s.parameters.log_search_progress = log
    # measured on a city-wide round: presolve's probing took 40 s before the first solution, 0.6 s without
    s.parameters.cp_model_presolve = len(model.x) <= PRESOLVE_MAX_PAIRS
    code = s.solve(model.m, _StopAtBound(lp_bound))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Outcome(s.status_name(code), None, min(lp_bound, s.best_objective_bound), {}, s.wall_time, "")
    value = round(s.objective_value)
    bound = min(float(s.best_objective_bound), lp_bound)
    values = {v.index: int(s.boolean_value(v)) for v in model.variables}
    if code == cp_model.OPTIMAL:
        return _Outcome("OPTIMAL", value, float(value), values, s.wall_time, "cp-sat")
    if value >= bound:
        return _Outcome("OPTIMAL", value, float(value), values, s.wall_time, "lp")
    return _Outcome("FEASIBLE", value, bound, values, s.wall_time, "")


def plan_exchange(
    cadres: Iterable[Cadre],
    positions: Iterable[Position],
    rules: RuleSet,
    *,
    as_of: dt.date,
    time_limit_s: float = 30.0,
    workers: int = 8,
    seed: int = 0,
    weights: FitWeights = DEFAULT_WEIGHTS,
    max_pairs: int | None = 20_000,
    keep_per_side: int = 20,
    bound_unpruned: bool = False,
    record_exclusions: bool = False,
    log: bool = False,
) -> PlanResult:
    """Propose who moves where on `as_of`, maximising total fit within every rule in force that day.

    Above `max_pairs` eligible pairs, only each cadre's and each post's `keep_per_side` best pairs enter
    the model (must-move cadres keep all); `bound_unpruned` then also bounds the whole round, so the gap
    can be stated against it. Raises PlanningInputError (a ValueError in Chinese and English) on bad input.
    The returned plan has been re-verified by `check_plan`; its report travels with it.
    """
    started = time.perf_counter()
    cadres, positions = list(cadres), list(positions)
    ctx = Context(as_of, rules.active(as_of), index_round(cadres, positions))
    cand = candidates(ctx, weights, record=record_exclusions)
    eligible = len(cand.fit)
    full = replace(cand, options={k: list(v) for k, v in cand.options.items()}, fit=dict(cand.fit))
    pruned = prune(cand, keep_per_side) if max_pairs is not None and eligible > max_pairs else 0
    model = _Model(ctx, cand)
    seconds, must_status, placed, values = 0.0, "NONE", 0, {}
    if model.must_ids:
        # phase 1: as many must-move cadres as the other rules allow
        first = _solve(model, model.must_count(), time_limit_s * 0.3, workers, seed, log, {})
        seconds, must_status = first.seconds, first.status
        if first.value is not None:
            placed, values = first.value, first.values
            model.m.add(model.must_count() >= placed)
    outcome = _solve(model, model.fit_expr, time_limit_s - seconds, workers, seed, log, values)
    seconds += outcome.seconds
    if outcome.value is not None:
        values = outcome.values
    # without a phase-2 solution, the phase-1 placement (it satisfies every rule) or nothing at all
    chosen = [key for key, var in model.x.items() if values.get(var.index)]
    objective = sum(sum(cand.fit[key].values()) for key in chosen)
    gap = (outcome.bound - objective) / max(1, abs(objective)) if math.isfinite(outcome.bound) else math.inf
    unpruned = None
    if bound_unpruned and pruned:
        whole = _Model(ctx, full)
        if whole.must_ids:
            whole.m.add(whole.must_count() >= placed)
        whole.m.maximize(whole.fit_expr)
        unpruned = relax(whole.m, time_limit_s).bound
    moves = _moves(ctx, cand, chosen)
    moved_ids = {m.cadre_id for m in moves}
    must = tuple(
        MustMove(
            cid,
            tuple(reasons),
            cid in moved_ids,
            () if cid in moved_ids else tuple(why_not_moved(cid, ctx, cand, chosen)),
        )
        for cid, reasons in sorted(cand.must.items())
    )
    return PlanResult(
        as_of=as_of,
        status=outcome.status,
        moves=moves,
        objective=objective,
        best_bound=outcome.bound,
        gap=max(0.0, gap),
        solve_seconds=seconds,
        total_seconds=time.perf_counter() - started,
        must_move=must,
        check=check_plan(moves, cadres, positions, rules, as_of=as_of),
        eligible_pairs=eligible,
        model_pairs=len(model.x),
        excluded_counts=MappingProxyType(dict(cand.excluded_counts)),
        blocked_cadres=MappingProxyType(dict(cand.blocked_counts)),
        notes=tuple(cand.notes),
        exclusions=MappingProxyType(cand.exclusions) if cand.exclusions is not None else None,
        must_move_status=must_status,
        proof=outcome.proof,
        unpruned_bound=unpruned,
    )


def _moves(ctx: Context, cand: Candidates, chosen: list[tuple[str, str]]) -> tuple[Move, ...]:
    index = ctx.index
    out = []
    for cid, pid in sorted(chosen):
        c, p = index.cadres[cid], index.positions[pid]
        parts = cand.fit[(cid, pid)]
        out.append(
            Move(
                cadre_id=cid,
                to_position_id=pid,
                from_position_id=c.post.position_id,
                kind="promotion" if LEVEL_INDEX[p.level] > LEVEL_INDEX[c.level] else "lateral",
                fit=sum(parts.values()),
                components=MappingProxyType(dict(parts)),
                binding=tuple(binding_findings(cid, ctx, cand, chosen)),
                checked=tuple(checked_findings(c, p, ctx, dict(chosen))),
            )
        )
    return tuple(out)
