"""Reader for Beasley's OR-Library uncapacitated p-median instances (pmed1–pmed40).

File format: first line `nodes edges p`; then one undirected edge `i j cost` per line, nodes numbered from 1.
Where an edge i–j is listed more than once the LAST listing counts (the data set's convention). Distances
are shortest-path lengths over the edges (all nodes are demand points of weight 1 and candidate sites).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path

from ._common import SitingInputError, read_text


@dataclass(frozen=True)
class OrlibInstance:
    name: str
    nodes: int
    p: int
    edges: dict[tuple[int, int], float]  # (i, j) with i < j, 0-based → cost (last listing wins)
    distances: np.ndarray  # nodes × nodes shortest paths

    @property
    def labels(self) -> list[int]:
        return list(range(1, self.nodes + 1))


def _bad(line_no: int, zh: str, en: str) -> SitingInputError:
    return SitingInputError("orlib_malformed", f"第 {line_no} 行：{zh}", f"line {line_no}: {en}")


def parse_orlib(text: str, name: str = "instance") -> OrlibInstance:
    lines = [(no, ln.split()) for no, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
    if not lines:
        raise SitingInputError("orlib_empty", "文件为空", "The file is empty")
    no, head = lines[0]
    if len(head) != 3:
        raise _bad(no, "首行须为「节点数 边数 p」", "the first line must be 'nodes edges p'")
    try:
        n, e, p = (int(x) for x in head)
    except ValueError:
        raise _bad(no, "首行须为三个整数", "the first line must be three integers") from None
    if n < 1 or e < 0 or not 1 <= p <= n:
        raise _bad(no, "节点数须 ≥ 1，边数 ≥ 0，1 ≤ p ≤ 节点数", "need nodes ≥ 1, edges ≥ 0, 1 ≤ p ≤ nodes")
    body = lines[1:]
    if len(body) != e:
        raise SitingInputError(
            "orlib_edge_count",
            f"首行声明 {e} 条边，实际有 {len(body)} 行",
            f"The first line declares {e} edges but {len(body)} edge lines follow",
        )
    edges: dict[tuple[int, int], float] = {}
    for no, parts in body:
        if len(parts) != 3:
            raise _bad(no, "边须为「i j 费用」", "an edge must be 'i j cost'")
        try:
            i, j = int(parts[0]), int(parts[1])
            c = float(parts[2])
        except ValueError:
            raise _bad(
                no, "边的端点须为整数、费用须为数值", "edge ends must be integers and cost a number"
            ) from None
        if not (1 <= i <= n and 1 <= j <= n):
            raise _bad(no, f"节点编号须在 1 到 {n} 之间", f"node numbers must be between 1 and {n}")
        if not np.isfinite(c) or c < 0:
            raise _bad(no, "边费用须为非负有限数", "edge cost must be a non-negative finite number")
        if i == j:
            continue
        edges[(min(i, j) - 1, max(i, j) - 1)] = c  # the last listing counts
    if edges:
        ij = np.array(list(edges.keys()))
        cost = np.array(list(edges.values()))
        # zero-cost edges must survive the sparse graph: shift by a tiny amount is wrong, so keep explicit zeros
        graph = coo_matrix((cost, (ij[:, 0], ij[:, 1])), shape=(n, n)).tocsr()
        dist = shortest_path(graph, method="D", directed=False)
    else:
        dist = np.full((n, n), np.inf)
        np.fill_diagonal(dist, 0.0)
    return OrlibInstance(name=name, nodes=n, p=p, edges=edges, distances=dist)


def read_orlib(path) -> OrlibInstance:
    return parse_orlib(read_text(path), name=Path(path).stem)
