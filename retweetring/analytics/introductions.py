"""Introductions: accounts that do not support each other yet but share mutual partners.

``{A, C}`` is an introduction opportunity at threshold ``k`` (``min_support``) when
``A != C``, there is no support edge between them in either direction (whatever ``k``
is), and they share at least one mutual partner ``B`` (``w(A->B)``, ``w(B->A)``,
``w(C->B)`` and ``w(B->C)`` all ``>= k``). The score is the Adamic-Adar index of the
pair in the mutual graph: the sum over those ``B`` of ``1 / log(deg(B))``, where
``deg(B)`` is B's number of mutual partners. Partners who know few people count more.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .labels import SortKey, node_ranks, sort_key
from .shared import check_min_support, check_top, digraph_only, mutual_partners, partners_of

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

__all__ = ["Introduction", "introductions", "ranked_introductions"]

# A whole-graph request with `top` uses scipy sparse products (when scipy is installed)
# once the pure-Python work, the sum over B of deg(B)**2, reaches this.
_SPARSE_MIN_WORK = 1_000_000
# Each sparse row block is sized so that its product has at most about this many entries.
_BLOCK_WORK = 4_000_000
# Relative slack when pre-selecting candidates by their floating-point sparse scores.
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Introduction:
    """Two accounts that could be introduced to each other.

    Attributes
    ----------
    a, b : hashable
        The accounts, `a` before `b` in label order. No support edge joins them.
    via : tuple
        Every mutual partner they share, in label order.
    score : float
        Their Adamic-Adar index in the mutual graph: the sum over `via` of
        ``1 / log(number of mutual partners of B)``.
    """

    a: Hashable
    b: Hashable
    via: tuple[Hashable, ...]
    score: float


@digraph_only
def introductions(
    G: nx.DiGraph,
    min_support: int = 1,
    account: Hashable | None = None,
    top: int | None = None,
) -> list[Introduction]:
    """Return pairs of accounts with no support either way that share mutual partners.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    min_support : int, optional (default=1)
        The weight each direction must reach for a pair to count as mutual. The
        introduced pair itself must have no edge at all, whatever this is.
    account : hashable, optional
        Only pairs containing this account. An account not in `G` has none.
    top : int or None, optional (default=None)
        Keep only the best `top` pairs; None for all.

    Returns
    -------
    list of Introduction
        Sorted by score descending, then by the labels of `a` and `b`.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1 or `top` is negative.

    Notes
    -----
    For the whole graph, every mutual account ``B`` contributes each pair of its
    mutual partners, so the cost is the sum over ``B`` of ``deg(B)**2`` (``deg``
    counting mutual partners); without `top` the result itself can be that large.
    With `top`, only `top` results are kept (``heapq``), and on large graphs the
    scores are computed as the sparse product ``M @ diag(1 / log deg) @ M`` in row
    blocks with scipy (when installed), keeping the best candidates of each block and
    recomputing their `via` and `score` exactly, so both paths give the same answer.
    With `account`, only its mutual partners and their partners are visited: the
    cost is the sum over the account's partners of their number of edges.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 2), (3, 4)])
    >>> introductions(G)
    [Introduction(a=1, b=3, via=(2,), score=1.4426950408889634)]
    >>> introductions(G, account=4)
    []
    """
    k = check_min_support(min_support)
    limit = check_top(top)
    if limit == 0:
        return []
    if account is not None:
        return _for_account(G, account, k, limit)
    rank = node_ranks(G)
    return ranked_introductions(
        mutual_partners(G, k, rank), lambda node: _neighbours(G, node), rank, limit
    )


def ranked_introductions(
    partners: Mapping[Hashable, Sequence[Hashable]],
    neighbours: Callable[[Hashable], set[Hashable]],
    rank: Mapping[Hashable, int],
    top: int | None,
) -> list[Introduction]:
    """:func:`introductions` of the whole graph, from its mutual partners and neighbours.

    `partners` maps each account with a mutual partner to its partners, both in rank
    order (as :func:`~retweetring.analytics.shared.mutual_partners`); `neighbours` gives
    the accounts joined to one by an edge either way; `rank` is the label order.
    """
    limit = check_top(top)
    if limit == 0:
        return []
    inverse_log = _inverse_logs(partners)

    def order(i: Introduction) -> tuple[float, int, int]:
        return (-i.score, rank[i.a], rank[i.b])

    if limit is not None:
        work = sum(len(group) ** 2 for group in partners.values())
        if work >= _SPARSE_MIN_WORK:
            best = _top_sparse(neighbours, partners, inverse_log, order, limit)
            if best is not None:
                return best
    found = _all_pairs(neighbours, partners, inverse_log)
    if limit is None:
        return sorted(found, key=order)
    return heapq.nsmallest(limit, found, key=order)


def _inverse_logs(partners: Mapping[Hashable, Sequence[Hashable]]) -> dict[Hashable, float]:
    """``1 / log(deg(B))`` for each account B with at least two mutual partners."""
    return {b: 1 / math.log(len(group)) for b, group in partners.items() if len(group) >= 2}


def _score(via: Sequence[Hashable], inverse_log: Mapping[Hashable, float]) -> float:
    """The Adamic-Adar score; ``fsum`` makes it independent of the order of `via`."""
    return math.fsum(inverse_log[b] for b in via)


def _neighbours(G: nx.DiGraph, node: Hashable) -> set[Hashable]:
    """Accounts joined to `node` by an edge in either direction."""
    return set(G.succ[node]).union(G.pred[node])


def _all_pairs(
    neighbours: Callable[[Hashable], set[Hashable]],
    partners: Mapping[Hashable, Sequence[Hashable]],
    inverse_log: Mapping[Hashable, float],
) -> list[Introduction]:
    """Every introduction, by accumulating each B's pairs of partners (unsorted)."""
    vias: dict[tuple[Hashable, Hashable], list[Hashable]] = {}
    linked: dict[Hashable, set[Hashable]] = {}
    for b, group in partners.items():  # in rank order, so each via list is too
        if len(group) < 2:
            continue
        for i, x in enumerate(group):
            near = linked.get(x)
            if near is None:
                near = linked[x] = neighbours(x)
            for y in group[i + 1 :]:  # group is in rank order: x before y
                if y not in near:
                    vias.setdefault((x, y), []).append(b)
    return [
        Introduction(x, y, tuple(via), _score(via, inverse_log)) for (x, y), via in vias.items()
    ]


def _for_account(
    G: nx.DiGraph, account: Hashable, min_support: int, limit: int | None
) -> list[Introduction]:
    """The introductions of one account, visiting only its partners' partners."""
    if account not in G:
        return []
    keys: dict[Hashable, SortKey] = {}

    def key(node: Hashable) -> SortKey:
        if node not in keys:
            keys[node] = sort_key(G, node)
        return keys[node]

    near = _neighbours(G, account)
    near.add(account)
    vias: dict[Hashable, list[Hashable]] = {}
    inverse_log: dict[Hashable, float] = {}
    for b in sorted(partners_of(G, account, min_support), key=key):
        group = partners_of(G, b, min_support)
        if len(group) < 2:
            continue
        inverse_log[b] = 1 / math.log(len(group))
        for c in group:
            if c not in near:
                vias.setdefault(c, []).append(b)
    found = []
    for c, via in vias.items():
        a, b = (account, c) if key(account) < key(c) else (c, account)
        found.append(Introduction(a, b, tuple(via), _score(via, inverse_log)))

    def order(i: Introduction) -> tuple[float, SortKey, SortKey]:
        return (-i.score, key(i.a), key(i.b))

    if limit is None:
        return sorted(found, key=order)
    return heapq.nsmallest(limit, found, key=order)


def _top_sparse(
    neighbours: Callable[[Hashable], set[Hashable]],
    partners: Mapping[Hashable, Sequence[Hashable]],
    inverse_log: Mapping[Hashable, float],
    order: Callable[[Introduction], tuple[float, int, int]],
    limit: int,
) -> list[Introduction] | None:
    """The best `limit` introductions from row blocks of ``M @ diag(1/log deg) @ M``.

    Returns None when numpy or scipy is not installed. Sparse scores only pre-select
    candidates (with a relative slack, so float rounding cannot drop a true top pair);
    each candidate's `via` and `score` are then computed exactly as in `_all_pairs`.
    """
    try:
        import numpy as np
        from scipy import sparse
    except ImportError:
        return None

    nodes = list(partners)  # rank order; row/column i is nodes[i]
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    degree = np.fromiter((len(partners[x]) for x in nodes), dtype=np.int64, count=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    indices = np.fromiter(
        (index[y] for x in nodes for y in partners[x]), dtype=np.int64, count=int(indptr[-1])
    )
    mutual = sparse.csr_array((np.ones(len(indices)), indices, indptr), shape=(n, n))
    inverse = np.fromiter((inverse_log.get(x, 0.0) for x in nodes), dtype=float, count=n)
    scaled = sparse.csr_array((np.repeat(inverse, degree), indices, indptr), shape=(n, n))
    rows: list[int] = []
    cols: list[int] = []
    for x in nodes:
        for y in neighbours(x):
            if y in index:
                rows.append(index[x])
                cols.append(index[y])
    linked = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))

    best: list[Introduction] = []
    floor = 0.0  # the score to beat once `best` is full
    for start, stop in _blocks(mutual @ degree.astype(float), _BLOCK_WORK):
        block = mutual[start:stop] @ scaled
        block = (block - block.multiply(linked[start:stop])).tocoo()
        i = block.row + start
        j = block.col
        score = block.data
        keep = (j > i) & (score > floor * (1 - _SLACK))
        i, j, score = i[keep], j[keep], score[keep]
        if len(score) > limit:
            cut = np.partition(score, len(score) - limit)[len(score) - limit]
            keep = score >= cut * (1 - _SLACK)
            i, j = i[keep], j[keep]
        for x, y in zip(i.tolist(), j.tolist(), strict=True):
            via = _shared(partners[nodes[x]], partners[nodes[y]])
            best.append(Introduction(nodes[x], nodes[y], via, _score(via, inverse_log)))
        best = heapq.nsmallest(limit, best, key=order)
        if len(best) == limit:
            floor = best[-1].score
    return best


def _blocks(row_work: np.ndarray, budget: float) -> Iterator[tuple[int, int]]:
    """Split rows into consecutive ``(start, stop)`` blocks of about `budget` work each."""
    start = 0
    total = 0.0
    for i, work in enumerate(row_work.tolist()):
        total += work
        if total >= budget:
            yield start, i + 1
            start, total = i + 1, 0.0
    if start < len(row_work):
        yield start, len(row_work)


def _shared(first: Sequence[Hashable], second: Sequence[Hashable]) -> tuple[Hashable, ...]:
    """The accounts in both partner lists, in the (rank) order of `first`."""
    others = set(second)
    return tuple(b for b in first if b in others)
