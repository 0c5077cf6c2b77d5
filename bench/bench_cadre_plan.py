"""Cadre-exchange plan for a city-wide round: 2,000 cadres and 600 open posts (smoke: 200 × 60) from the
seeded synthetic generator, solved under the default national and local rules.

Figures: solve time (CP-SAT) and total time (pre-filtering, LP relaxation, explanations, re-check),
objective (total fit), best bound and optimality gap on the model solved, and, when the round was pruned
to each cadre's and each post's best pairs, the LP bound on the whole unpruned round and the gap to it.
The checker re-verifies the plan; any violation fails the benchmark.
"""

import os

from countybridge.cadres.planning import default_ruleset, generate_round, plan_exchange


def run(smoke: bool = False) -> None:
    n_cadres, n_open = (200, 60) if smoke else (2_000, 600)
    round_ = generate_round(n_cadres, n_open, seed=20251127)
    result = plan_exchange(
        round_.cadres,
        round_.positions,
        default_ruleset(),
        as_of=round_.as_of,
        time_limit_s=20 if smoke else 120,
        workers=os.cpu_count() or 1,
        bound_unpruned=not smoke,
    )
    placed = sum(1 for m in result.must_move if m.moved)
    print(
        f"cadres={len(round_.cadres)} open_posts={round_.open_positions} eligible_pairs={result.eligible_pairs} "
        f"model_pairs={result.model_pairs} must_move={len(result.must_move)} placed={placed} "
        f"moves={len(result.moves)}"
    )
    print(
        f"status={result.status} proof={result.proof or '-'} objective={result.objective} "
        f"best_bound={result.best_bound:.0f} gap={result.gap:.4%} "
        f"solve={result.solve_seconds:.2f}s total={result.total_seconds:.2f}s"
    )
    if result.unpruned_bound is not None:
        whole_gap = (result.unpruned_bound - result.objective) / max(1, result.objective)
        print(f"unpruned_bound={result.unpruned_bound:.0f} gap_to_whole_round={whole_gap:.4%}")
    print(f"checker: violations={len(result.check.violations)} unmet_obligations={len(result.check.unmet)}")
    if result.check.violations:
        raise RuntimeError(f"the checker found {len(result.check.violations)} violations in the plan")
