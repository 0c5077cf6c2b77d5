"""Talent ↔ position matching: latency of rank_talents at 100,000 talents × 5,000 positions (limit 100 ms) and
precision@10 on the synthetic labelled set, our engine against plain TF-IDF cosine (scikit-learn
TfidfVectorizer on the same jieba terms) measured in the same run.

Rows of the quality table:
- engine: hard filter + BM25 + structured fit, default weights (what the platform serves);
- engine text only: hard filter + BM25, structured weights at 0 (isolates the text method);
- tfidf cosine: the baseline as asked, ranking every talent by cosine alone;
- tfidf cosine + filter: the baseline restricted to talents passing the same hard requirements (isolates
  the text method against engine text only).
Ground truth: same specialty and meets the hard requirements; positions with fewer than 10 relevant talents
are left out of precision@10.
"""

from __future__ import annotations

import gc
import statistics
import time

import numpy as np

from countybridge.talent.matching import MatchIndex, Weights
from countybridge.talent.matching.index import position_text, talent_text
from countybridge.talent.matching.synthetic import generate, precision_at_k
from countybridge.talent.matching.text import terms

SEED = 20251127
LIMIT_MS = 100.0
TEXT_ONLY = Weights(text=1, major=0, degree=0, title=0, experience=0, location=0, field=0, salary=0)


def _latency(fn, items) -> tuple[np.ndarray, list]:
    seconds, results = [], []
    for item in items:
        start = time.perf_counter()
        results.append(fn(item))
        seconds.append(time.perf_counter() - start)
    return np.array(seconds) * 1000, results


def _describe(ms: np.ndarray) -> str:
    return f"median={np.median(ms):.1f}ms p95={np.percentile(ms, 95):.1f}ms max={ms.max():.1f}ms n={len(ms)}"


def _tfidf_precision(data, index: MatchIndex, evaluated) -> tuple[float, float]:
    """Mean precision@10 of TF-IDF cosine, plain and restricted to the engine's hard-filter pass."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, dtype=np.float32)  # documents arrive as terms
    docs = vectorizer.fit_transform([terms(talent_text(t)) for t in data.talents])  # rows L2-normalised
    queries = vectorizer.transform([terms(position_text(p)) for p in evaluated])
    ids = np.array([t.id for t in data.talents], dtype=object)
    plain, filtered = [], []
    for start in range(0, len(evaluated), 64):
        cosine = (queries[start : start + 64] @ docs.T).toarray()
        for row, position in enumerate(evaluated[start : start + 64]):
            relevant = data.relevant[position.id]
            for scores, out in (
                (cosine[row], plain),
                (np.where(index.eligible_talents(position), cosine[row], -1.0), filtered),
            ):
                top = np.argpartition(-scores, 9)[:10]
                out.append(precision_at_k(ids[top], relevant))
    return statistics.mean(plain), statistics.mean(filtered)


def _have_sklearn() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def run(smoke: bool = False) -> None:
    baseline = _have_sklearn()
    if not baseline and not smoke:  # the full run exists to compare against the baseline: fail before work
        raise SystemExit(
            "scikit-learn is not installed: the TF-IDF baseline cannot run (pip install -r requirements-bench.txt)"
        )
    n_talents, n_positions = (5_000, 200) if smoke else (100_000, 5_000)
    start = time.perf_counter()
    data = generate(n_talents, n_positions, seed=SEED)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    index = MatchIndex.build(data.talents, data.positions, pairings=data.pairings)
    built = time.perf_counter() - start
    print(f"talents={n_talents} positions={n_positions} generate={generated:.1f}s build={built:.1f}s")

    index.rank_talents(data.positions[0])  # first call pays one-off costs (caches, page faults)
    # A full garbage collection now, as a server would right after building (or gc.freeze()): otherwise the
    # first one falls inside the timed loop. Its duration is itself a figure: the pause any later full
    # collection costs while this index is in memory.
    start = time.perf_counter()
    gc.collect()
    print(f"full gc.collect() with the index in memory: {(time.perf_counter() - start) * 1000:.0f} ms")
    # Keep only the ids: holding 5,000 explained results would make Python run full (generation-2) garbage
    # collections of 0.3-0.9 s in the middle of the timed loop, which a server dropping each response does not.
    ms, results = _latency(lambda p: index.rank_talents(p, k=10, explain=True).ids, data.positions)
    verdict = "within" if np.percentile(ms, 95) <= LIMIT_MS else "OVER"
    print(f"rank_talents k=10 explain: {_describe(ms)} ({verdict} the {LIMIT_MS:.0f} ms limit at p95)")
    print(f"  queries over {LIMIT_MS:.0f} ms: {int((ms > LIMIT_MS).sum())} of {len(ms)}")
    sample = data.talents[: min(len(data.talents), 1_000)]
    ms_p, _ = _latency(lambda t: index.rank_positions(t, k=10, explain=True), sample)
    print(f"rank_positions k=10 explain: {_describe(ms_p)}")

    evaluated_ids = {p.id for p in data.positions if len(data.relevant[p.id]) >= 10}
    evaluated = [p for p in data.positions if p.id in evaluated_ids]
    engine = statistics.mean(
        precision_at_k(ids, data.relevant[p.id])
        for p, ids in zip(data.positions, results, strict=True)
        if p.id in evaluated_ids
    )
    text_only = statistics.mean(
        precision_at_k(index.rank_talents(p, k=10, explain=False, weights=TEXT_ONLY).ids, data.relevant[p.id])
        for p in evaluated
    )
    print(f"precision@10 over {len(evaluated)} positions with >=10 relevant talents:")
    print(f"  engine (filter + BM25 + fit)   {engine:.3f}")
    print(f"  engine text only (filter+BM25) {text_only:.3f}")
    if not baseline:
        print("  tfidf baseline SKIPPED: scikit-learn not installed (pip install -r requirements-bench.txt)")
        return
    plain, filtered = _tfidf_precision(data, index, evaluated)
    print(f"  tfidf cosine (baseline)        {plain:.3f}")
    print(f"  tfidf cosine + same filter     {filtered:.3f}")
