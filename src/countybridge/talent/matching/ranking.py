"""The ranking step shared by both directions: filter, score, top k, explain.

The caller supplies the hard-requirement masks, a function computing the fit components for a set of
candidate indices, and a function describing one candidate's requirements for the explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .corpus import TextIndex
from .model import STRUCTURED_COMPONENTS, MatchingInputError, Weights, parse_number
from .results import (
    Component,
    Exclusion,
    Explanation,
    Match,
    RankResult,
    RequirementCheck,
    TermContribution,
)

REQUIREMENTS = ("degree", "title", "years", "major")


@dataclass
class Query:
    terms: list[str]
    text: TextIndex  # the corpus being ranked
    ids: Sequence[object]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, best first; ties go to the earlier candidate (stable results)."""
    if len(scores) > k:
        part = np.argpartition(-scores, k - 1)[:k]
        # Candidates tied with the k-th best may have been cut arbitrarily; take all ties, then sort.
        part = np.flatnonzero(scores >= scores[part].min())
    else:
        part = np.arange(len(scores))
    order = np.lexsort((part, -scores[part]))
    return part[order][:k]


def _checks(describe, i: int, passed: dict[str, np.ndarray]) -> tuple[RequirementCheck, ...]:
    text = describe(i)
    return tuple(RequirementCheck(c, text[c][0], text[c][1], bool(passed[c][i])) for c in REQUIREMENTS)


def rank(
    query: Query,
    passed: dict[str, np.ndarray],
    components: Callable[[np.ndarray], dict[str, np.ndarray]],
    describe: Callable[[int], dict[str, tuple[str, str]]],
    *,
    k: int = 10,
    explain: bool = True,
    default_weights: Weights,
    weights: Weights | None = None,
    include_excluded: bool = False,
    excluded_limit: int = 20,
    require_text_match: bool = True,
    within: np.ndarray | None = None,
) -> RankResult:
    k = int(parse_number(k, "k"))
    excluded_limit = int(parse_number(excluded_limit, "excluded_limit"))
    if weights is not None and not isinstance(weights, Weights):
        raise MatchingInputError(
            "bad_weights", "weights", weights, "权重须为 Weights 对象", "weights must be a Weights"
        )
    w = (weights or default_weights).normalised()

    n = query.text.n_docs
    term_ids = query.text.term_ids(query.terms)
    raw = query.text.scores(term_ids)
    scope = np.ones(n, dtype=bool) if within is None else within
    eligible = scope.copy()
    for code in REQUIREMENTS:
        eligible &= passed[code]
    relevant = scope & (raw > 0) if require_text_match else scope
    candidates = np.flatnonzero(eligible & relevant)

    excluded: tuple[Exclusion, ...] = ()
    if include_excluded and excluded_limit > 0:
        lost = np.flatnonzero(~eligible & relevant)
        lost = lost[_top(raw[lost], excluded_limit)] if len(lost) else lost
        excluded = tuple(
            Exclusion(
                query.ids[i],
                tuple(c for c in _checks(describe, i, passed) if not c.passed),
                float(raw[i]),
            )
            for i in lost
        )
    summary = dict(
        eligible_count=int(eligible.sum()),
        excluded_count=int(scope.sum() - eligible.sum()),
        excluded_by_requirement={c: int((scope & ~passed[c]).sum()) for c in REQUIREMENTS},
        excluded=excluded,
        query_terms=tuple(query.text.terms[t] for t in term_ids),
    )
    if len(candidates) == 0 or k == 0:
        return RankResult(matches=(), **summary)

    best_text = raw[candidates].max()
    values = {"text": raw[candidates] / best_text if best_text > 0 else np.zeros(len(candidates))}
    values.update(components(candidates))
    score = np.zeros(len(candidates))
    for name, value in values.items():
        score += w[name] * value
    top = _top(score, k)

    contrib = query.text.contributions(term_ids, candidates[top]) if explain else None
    matches = []
    for row, c in enumerate(top):
        i = int(candidates[c])
        explanation = None
        if explain:
            found = [
                (query.text.terms[t], float(v)) for t, v in zip(term_ids, contrib[row], strict=True) if v > 0
            ]
            found.sort(key=lambda tv: -tv[1])
            explanation = Explanation(
                requirements=_checks(describe, i, passed),
                matched_terms=tuple(TermContribution(t, v) for t, v in found),
                text_bm25=float(raw[i]),
                text_normalised=float(values["text"][c]),
                components=tuple(
                    Component(name, float(values[name][c]), w[name], w[name] * float(values[name][c]))
                    for name in ("text", *STRUCTURED_COMPONENTS)
                ),
            )
        matches.append(Match(query.ids[i], float(score[c]), explanation))
    return RankResult(matches=tuple(matches), **summary)
