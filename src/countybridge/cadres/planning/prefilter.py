"""Which (cadre, open post) pairs can be decided on at all, and why the others cannot.

Pair rules are applied here so the model only holds eligible pairs. Two rules depend on other cadres and
are settled by a fixed-point loop: an open post whose holder cannot move is not available, and a cadre
whose relative cannot move may not join that relative's unit, team or line of command.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .eligibility import (
    PLAN_STRUCTURE,
    Context,
    Finding,
    cadre_blockers,
    kin_conflicts,
    level_blockers,
    must_move_reasons,
    pair_blockers,
    post_blockers,
    relative_pairs,
    same_post_blockers,
)
from .fit import FitWeights, cadre_features, fit_components
from .model import Position


@dataclass
class Candidates:
    """The outcome of pre-filtering one round."""

    options: dict[str, list[str]]  # cadre id -> eligible open post ids (cadres with none are absent)
    fit: dict[tuple[str, str], dict[str, int]]  # components per eligible pair
    must: dict[str, list[Finding]]  # cadre id -> rules requiring a move
    blocked: dict[str, list[Finding]]  # cadre id -> rules keeping them out of the round
    relatives: list[tuple[str, str, str]]  # pairs covered by an avoidance rule
    excluded_counts: Counter = field(default_factory=Counter)
    blocked_counts: Counter = field(default_factory=Counter)
    exclusions: dict[tuple[str, str], tuple[Finding, ...]] | None = None
    settled: dict[tuple[str, str], Finding] = field(default_factory=dict)  # pairs dropped for other cadres
    notes: list[Finding] = field(default_factory=list)


def _occupied(holder: str, pid: str, cid: str) -> Finding:
    return Finding(
        "position_occupied",
        PLAN_STRUCTURE,
        f"职位 {pid} 的现任 {holder} 本轮不能交流出去，职位不空出",
        f"position {pid} stays held: its holder {holder} cannot move in this round",
        (cid, holder),
        (pid,),
    )


def candidates(ctx: Context, weights: FitWeights, record: bool = False) -> Candidates:
    """Pre-filter every (cadre, open post) pair; with `record`, keep every excluding finding per pair."""
    index = ctx.index
    open_posts = [p for p in index.positions.values() if p.open]
    out = Candidates({}, {}, {}, {}, relative_pairs(ctx), exclusions={} if record else None)
    by_level: dict[str, list[Position]] = defaultdict(list)
    for p in open_posts:
        by_level[p.level].append(p)
    for c in index.cadres.values():
        reasons = must_move_reasons(c, ctx)
        if reasons:
            out.must[c.id] = reasons
        blockers = cadre_blockers(c, ctx)
        if blockers:
            out.blocked[c.id] = blockers
            for b in blockers:
                out.blocked_counts[b.code] += 1
            if record:
                for p in open_posts:
                    out.exclusions[(c.id, p.id)] = tuple(blockers) + tuple(pair_blockers(c, p, ctx))
            continue
        kept = []
        for level, posts in by_level.items():
            at_level = level_blockers(c, level, ctx)
            for p in posts:
                if p.id == c.post.position_id:
                    found = same_post_blockers(c, p, ctx)
                elif at_level:  # one verdict for every post at this level: count without re-checking
                    out.excluded_counts[at_level[0].code] += 1
                    if record:
                        out.exclusions[(c.id, p.id)] = tuple(pair_blockers(c, p, ctx))
                    continue
                else:
                    found = post_blockers(c, p, ctx)
                if found:
                    out.excluded_counts[found[0].code] += 1
                    if record:
                        out.exclusions[(c.id, p.id)] = tuple(found)
                else:
                    kept.append(p.id)
        if kept:
            out.options[c.id] = kept
    _settle(ctx, out)
    for cid, posts in out.options.items():
        c = index.cadres[cid]
        current, features = ctx.current(c), cadre_features(c, ctx.as_of, weights)
        for pid in posts:
            out.fit[(cid, pid)] = fit_components(
                c, index.positions[pid], current, ctx.as_of, weights, features
            )
    for a, b, kinship in out.relatives:
        ca, cb = index.cadres[a], index.cadres[b]
        found = kin_conflicts(a, ctx.current(ca), b, ctx.current(cb), kinship, ctx)
        if found:
            out.notes.append(
                Finding(
                    "pre_existing_kinship",
                    found[0].article,
                    f"{a} 与 {b} 现已在回避范围内同时任职；方案只在其中一人交流时才会分开他们",
                    f"{a} and {b} already serve within the avoidance scope; the plan separates them only "
                    "if one of them moves",
                    (a, b),
                    (ca.post.position_id, cb.post.position_id),
                )
            )
    return out


def _drop(out: Candidates, cid: str, pid: str, finding: Finding) -> None:
    out.options[cid].remove(pid)
    if not out.options[cid]:
        del out.options[cid]
    out.excluded_counts[finding.code] += 1
    out.settled[(cid, pid)] = finding
    if out.exclusions is not None:
        out.exclusions[(cid, pid)] = (finding,)


def _settle(ctx: Context, out: Candidates) -> None:
    """Remove pairs made impossible by other cadres staying put, until nothing changes."""
    index = ctx.index
    changed = True
    while changed:
        changed = False
        for cid in list(out.options):
            for pid in list(out.options.get(cid, ())):
                if cid not in out.options:
                    break
                holder = index.incumbent.get(pid)
                if holder is not None and holder != cid and holder not in out.options:
                    _drop(out, cid, pid, _occupied(holder, pid, cid))
                    changed = True
        for a, b, kinship in out.relatives:
            for mover, stayer in ((a, b), (b, a)):
                if mover not in out.options or stayer in out.options:
                    continue
                fixed = ctx.current(index.cadres[stayer])
                for pid in list(out.options[mover]):
                    found = kin_conflicts(mover, index.positions[pid], stayer, fixed, kinship, ctx)
                    if found:
                        _drop(out, mover, pid, found[0])
                        changed = True
                    if mover not in out.options:
                        break


def prune(cand: Candidates, keep: int) -> int:
    """Keep a pair only if the post is among the cadre's `keep` best or the cadre among the post's `keep`
    best by fit; must-move cadres keep every post. Returns the number of pairs dropped. This is what makes
    a city-wide round tractable; the planner can bound the unpruned round to state what pruning may cost."""
    score = {pair: sum(parts.values()) for pair, parts in cand.fit.items()}
    kept: set[tuple[str, str]] = set()
    by_post: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, posts in cand.options.items():
        pairs = [(cid, p) for p in posts]
        kept.update(pairs if cid in cand.must else heapq.nlargest(keep, pairs, key=score.__getitem__))
        for pair in pairs:
            by_post[pair[1]].append(pair)
    for pairs in by_post.values():
        kept.update(heapq.nlargest(keep, pairs, key=score.__getitem__))
    dropped = 0
    for cid in list(cand.options):
        before = len(cand.options[cid])
        cand.options[cid] = [p for p in cand.options[cid] if (cid, p) in kept]
        dropped += before - len(cand.options[cid])
    cand.fit = {pair: parts for pair, parts in cand.fit.items() if pair in kept}
    return dropped
