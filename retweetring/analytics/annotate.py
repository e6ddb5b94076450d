"""The support graph at a threshold, annotated for drawing and export.

Maps and exports show the same thing: the support edges that reach the threshold ``k``
(``min_support``), each marked mutual or not, and each account's community and the
support it gives and receives along those edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .communities import communities, community_of
from .labels import node_ranks
from .shared import check_min_support, digraph_only, weight

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NO_COMMUNITY", "KeptSupport", "annotated_graph", "annotated_subgraph"]

#: The ``community`` of an account with no mutual partner.
NO_COMMUNITY = -1


@digraph_only
def annotated_graph(G: nx.DiGraph, min_support: int = 1, seed: int = 42) -> nx.DiGraph:
    """Return the support edges that reach `min_support`, with community and balance.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    min_support : int, optional (default=1)
        The threshold k: only edges with ``weight >= k`` are kept, and a pair is
        mutual when both directions reach it.
    seed : int, optional (default=42)
        Seed of the Louvain community detection (see
        :func:`~retweetring.analytics.communities.communities`).

    Returns
    -------
    networkx.DiGraph
        A new graph (`G` is not changed) with every edge of `G` whose weight reaches
        `min_support`, self-loops left out, and the accounts at either end of one, all
        inserted in label order (so the result does not depend on `G`'s insertion order).
        Edges keep their attributes, with ``weight`` always set, plus ``mutual``
        (``True`` when the reverse edge is kept too). Nodes keep their attributes,
        with ``username`` set (``str(node)`` when unknown), plus ``community`` (the
        index of the account's community in
        :func:`~retweetring.analytics.communities.communities`, largest first, or
        ``NO_COMMUNITY`` (-1) without a mutual partner), ``given`` and ``received``
        (the sums of the kept out- and in-edges' weights).
        ``graph["min_support"]`` records the threshold.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([(1, 2, 3), (2, 1, 1), (3, 1, 2), (1, 1, 5)])
    >>> A = annotated_graph(G)
    >>> A.nodes[1]
    {'username': '1', 'community': 0, 'given': 3, 'received': 3}
    >>> A.edges[1, 2]["mutual"], A.edges[3, 1]["mutual"]
    (True, False)
    >>> list(annotated_graph(G, min_support=2).edges(data="mutual"))
    [(1, 2, False), (3, 1, False)]
    """
    k = check_min_support(min_support)
    return _annotated(G, KeptSupport.of(G, k), None, seed)


@dataclass(frozen=True)
class KeptSupport:
    """Per account, the support edges of a graph that reach the threshold `k` (self-loops out).

    ``given`` and ``received`` sum the kept out- and in-edges' weights; ``neighbours`` counts
    the distinct accounts at the other end of a kept edge. Accounts with no kept edge are
    absent from all three.
    """

    k: int
    given: dict[Hashable, int]
    received: dict[Hashable, int]
    neighbours: dict[Hashable, int]

    @classmethod
    def of(cls, G: nx.DiGraph, k: int) -> KeptSupport:
        """The kept support of `G` at threshold `k`."""
        given: dict[Hashable, int] = defaultdict(int)
        received: dict[Hashable, int] = defaultdict(int)
        around: dict[Hashable, set[Hashable]] = defaultdict(set)
        for u, v, w in _kept_edges(G, k):
            given[u] += w
            received[v] += w
            around[u].add(v)
            around[v].add(u)
        neighbours = {node: len(others) for node, others in around.items()}
        return cls(k, dict(given), dict(received), neighbours)

    def accounts(self) -> int:
        """How many accounts have a kept edge."""
        return len(self.neighbours)


def _kept_edges(G: nx.DiGraph, k: int) -> Iterator[tuple[Hashable, Hashable, int]]:
    return (
        (u, v, weight(data)) for u, v, data in G.edges(data=True) if u != v and weight(data) >= k
    )


def annotated_subgraph(
    G: nx.DiGraph,
    nodes: Iterable[Hashable],
    kept: KeptSupport,
    seed: int = 42,
    group: Mapping[Hashable, int] | None = None,
) -> nx.DiGraph:
    """Return ``annotated_graph(G, kept.k, seed).subgraph(nodes).copy()`` without annotating
    the rest of `G`.

    ``given``, ``received`` and ``community`` are those of the whole graph; only the edges
    between `nodes` (and the accounts of `nodes` with a kept edge) are built. With `group`
    (each account's community index, as :func:`community_of` of the whole graph's
    communities), `G` need only hold the edges between `nodes`.
    """
    return _annotated(G, kept, set(nodes), seed, group)


def _annotated(
    G: nx.DiGraph,
    kept: KeptSupport,
    only: set[Hashable] | None,
    seed: int,
    group: Mapping[Hashable, int] | None = None,
) -> nx.DiGraph:
    import networkx as nx

    nodes = [n for n in kept.neighbours if only is None or n in only]
    rank = node_ranks(G, nodes)
    if only is None:
        candidates: Iterable[tuple[Hashable, Hashable, dict]] = G.edges(data=True)
    else:
        candidates = ((u, v, G.succ[u][v]) for u in nodes for v in G.succ[u] if v in rank)
    edges = sorted(
        (
            (u, v, {**data, "weight": weight(data)})
            for u, v, data in candidates
            if u != v and weight(data) >= kept.k
        ),
        key=lambda edge: (rank[edge[0]], rank[edge[1]]),
    )
    A = nx.DiGraph(min_support=kept.k)
    A.add_nodes_from((node, dict(G.nodes[node])) for node in sorted(nodes, key=rank.__getitem__))
    A.add_edges_from(edges)
    if group is None:
        group = community_of(communities(G, kept.k, seed=seed))
    for node, attrs in A.nodes(data=True):
        if not attrs.get("username"):
            attrs["username"] = str(node)
        attrs["community"] = group.get(node, NO_COMMUNITY)
        attrs["given"] = kept.given.get(node, 0)
        attrs["received"] = kept.received.get(node, 0)
    for u, v, attrs in A.edges(data=True):
        attrs["mutual"] = G.has_edge(v, u) and v != u and weight(G.edges[v, u]) >= kept.k
    return A
