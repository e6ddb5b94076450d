"""Mutual support: pairs of accounts that support each other.

A pair ``{X, Y}`` is mutual at threshold ``k`` (``min_support``) when
``w(X->Y) >= k`` and ``w(Y->X) >= k``, where ``w`` is the edge ``weight`` of the support
graph (a missing weight counts as 1, a missing edge as 0). Self-loops are ignored.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .labels import node_ranks
from .shared import build_mutual_graph, check_min_support, digraph_only, mutual_edges, weight

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MutualPair", "mutual_graph", "mutual_pairs", "reciprocity"]


@dataclass(frozen=True, slots=True)
class MutualPair:
    """Two accounts that support each other.

    Attributes
    ----------
    a, b : hashable
        The accounts, `a` before `b` in label order.
    a_to_b : int
        ``w(a->b)``: how many promotional tweets of `b` that `a` retweeted.
    b_to_a : int
        ``w(b->a)``.
    """

    a: Hashable
    b: Hashable
    a_to_b: int
    b_to_a: int

    @property
    def total(self) -> int:
        """``a_to_b + b_to_a``."""
        return self.a_to_b + self.b_to_a


@digraph_only
def mutual_graph(G: nx.DiGraph, min_support: int = 1) -> nx.Graph:
    """Return the undirected graph of mutual support.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    min_support : int, optional (default=1)
        The weight each direction must reach for the pair to count as mutual.

    Returns
    -------
    networkx.Graph
        Every account of `G` (with a copy of its attributes), inserted in label order;
        accounts without a mutual partner are isolated. One edge per mutual pair, with
        attributes ``a_to_b``, ``b_to_a`` (``a`` being the endpoint that comes first in
        label order, which is also the order ``H.edges`` reports it in) and ``weight``
        (their sum). ``H.graph["min_support"]`` records the threshold.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.
    NetworkXNotImplemented
        If `G` is undirected or a multigraph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (1, 3)])
    >>> G.edges[1, 2]["weight"] = 3
    >>> H = mutual_graph(G)
    >>> list(H.nodes)
    [1, 2, 3]
    >>> list(H.edges(data=True))
    [(1, 2, {'a_to_b': 3, 'b_to_a': 1, 'weight': 4})]
    """
    k = check_min_support(min_support)
    return build_mutual_graph(G, k, node_ranks(G), isolates=True)


@digraph_only
def mutual_pairs(G: nx.DiGraph, min_support: int = 1) -> list[MutualPair]:
    """Return every mutual pair, strongest first.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph.
    min_support : int, optional (default=1)
        The weight each direction must reach for the pair to count as mutual.

    Returns
    -------
    list of MutualPair
        Sorted by total support (``a_to_b + b_to_a``) descending, then by the labels
        of `a` and `b`.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 2), (1, 3)])
    >>> G.edges[3, 2]["weight"] = 2
    >>> mutual_pairs(G)
    [MutualPair(a=2, b=3, a_to_b=1, b_to_a=2), MutualPair(a=1, b=2, a_to_b=1, b_to_a=1)]
    >>> mutual_pairs(G, min_support=2)
    []
    """
    k = check_min_support(min_support)
    rank = node_ranks(G)
    pairs = [MutualPair(a, b, w_ab, w_ba) for a, b, w_ab, w_ba in mutual_edges(G, k, rank)]
    pairs.sort(key=lambda p: (-p.total, rank[p.a], rank[p.b]))
    return pairs


@digraph_only
def reciprocity(G: nx.DiGraph, min_support: int = 1) -> float:
    """Return the share of support relationships that are returned.

    Reciprocity is ``2 * (number of mutual pairs) / (number of ordered pairs (X, Y)
    with w(X->Y) >= min_support)``, the same quantity as :func:`networkx.reciprocity`
    when ``min_support`` is 1 and `G` has no self-loops.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph.
    min_support : int, optional (default=1)
        The weight an edge must reach to count at all.

    Returns
    -------
    float
        A number between 0 and 1; 0.0 when no edge reaches `min_support` (for
        instance in an empty graph).

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.

    Examples
    --------
    >>> import networkx as nx
    >>> round(reciprocity(nx.DiGraph([(1, 2), (2, 1), (1, 3)])), 3)
    0.667
    >>> reciprocity(nx.DiGraph())
    0.0
    """
    k = check_min_support(min_support)
    succ = G.succ
    counted = returned = 0
    for u, v, data in G.edges(data=True):
        if u == v or weight(data) < k:
            continue
        counted += 1
        back = succ[v].get(u)
        if back is not None and weight(back) >= k:
            returned += 1
    return returned / counted if counted else 0.0
