"""Travel-time matrices with SciPy's compiled Dijkstra (`scipy.sparse.csgraph.dijkstra`).

One call runs every source at once (``indices=``); a Python loop over sources is never used. When there are
fewer distinct targets than sources the search runs backwards from the targets on the transposed graph
(same numbers, fewer searches). Rows are computed in blocks so that memory stays bounded on large graphs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .graph import RoadNetwork

# Bound on the float64 block dijkstra returns (rows × n_nodes × 8 bytes).
BLOCK_BYTES = 256 * 1024 * 1024


def _as_indices(network: RoadNetwork, nodes) -> np.ndarray:
    if nodes is None:
        return np.arange(network.n_nodes)
    seq = list(nodes) if not isinstance(nodes, np.ndarray) else nodes
    if len(seq) and isinstance(seq[0], str):
        return network.node_index(seq)
    idx = np.asarray(seq, dtype=np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= network.n_nodes):
        raise IndexError("node index out of range")
    return idx


def _blocked_dijkstra(graph, starts: np.ndarray, limit: float | None, columns: np.ndarray) -> np.ndarray:
    n = graph.shape[0]
    rows = max(1, int(BLOCK_BYTES // (8 * max(n, 1))))
    out = None
    for b in range(0, len(starts), rows):  # blocks of hundreds of sources, not one call per source
        block = dijkstra(
            graph, directed=True, indices=starts[b : b + rows], limit=np.inf if limit is None else limit
        )
        if len(starts) <= rows and _is_all(columns, n):
            return block  # one block, every column: no copy
        if out is None:
            out = np.empty((len(starts), len(columns)), dtype=float)
        out[b : b + rows] = block[:, columns]
    return out


def travel_time_matrix(
    network: RoadNetwork,
    sources: Sequence[int] | Sequence[str] | np.ndarray,
    targets: Sequence[int] | Sequence[str] | np.ndarray | None = None,
    *,
    limit: float | None = None,
) -> np.ndarray:
    """Minutes from each source node to each target node, shape (len(sources), len(targets)).

    ``sources``/``targets`` are node indices (ints, e.g. from `snap_points`) or node ids (str); duplicates
    are allowed. ``targets`` None means every node. ``limit`` (minutes) stops each search there: longer or
    unreachable pairs are ``inf``.
    """
    src = _as_indices(network, sources)
    dst = _as_indices(network, targets)
    usrc, src_inv = np.unique(src, return_inverse=True)
    udst, dst_inv = np.unique(dst, return_inverse=True)
    if len(udst) < len(usrc):
        back = _blocked_dijkstra(network.graph.T.tocsr(), udst, limit, usrc)  # (targets, sources)
        result = back.T
    else:
        result = _blocked_dijkstra(network.graph, usrc, limit, udst)
    src_inv, dst_inv = src_inv.ravel(), dst_inv.ravel()
    if _is_all(src_inv, result.shape[0]) and _is_all(dst_inv, result.shape[1]):
        return result  # sources and targets distinct and sorted: already in order
    return result[np.ix_(src_inv, dst_inv)]


def _is_all(idx: np.ndarray, n: int) -> bool:
    return len(idx) == n and bool((idx == np.arange(n)).all())


def nearest_source(
    network: RoadNetwork, sources: Sequence[int] | np.ndarray, *, limit: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For every node, minutes from the nearest of ``sources`` and which source (index into ``sources``,
    -1 if unreachable). One multi-source Dijkstra (``min_only=True``)."""
    src = _as_indices(network, sources)
    dist, _, origin = dijkstra(
        network.graph,
        directed=True,
        indices=src,
        limit=np.inf if limit is None else limit,
        min_only=True,
        return_predecessors=True,
    )
    which = np.full(network.n_nodes, -1, dtype=np.int64)
    reached = origin >= 0
    lookup = {int(node): k for k, node in enumerate(src)}
    which[reached] = [lookup[int(o)] for o in origin[reached]]
    return dist, which
