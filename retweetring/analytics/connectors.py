"""Connectors: accounts that sit on the paths between others in the mutual-support graph."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from . import engine
from .labels import node_ranks
from .shared import (
    MutualPositions,
    check_min_support,
    check_positive,
    check_top,
    digraph_only,
    mutual_positions,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["connectors_of_positions", "sample_size", "top_connectors"]


@digraph_only
def top_connectors(
    G: nx.DiGraph,
    top: int | None = 10,
    min_support: int = 1,
    seed: int = 42,
    max_exact: int = 1000,
) -> list[tuple[Hashable, float]]:
    """Return the accounts with the highest betweenness in the mutual-support graph.

    Betweenness is :func:`networkx.betweenness_centrality` (normalized, unweighted:
    path length counts hops, not support) on the mutual graph without its isolated
    accounts, computed by igraph. It is exact when that graph has at most `max_exact`
    nodes; otherwise it is estimated from `max_exact` source nodes sampled with `seed`,
    the same sources and the same scaling as ``networkx.betweenness_centrality(H,
    k=max_exact, seed=seed)``. Exact betweenness costs O(nodes * mutual pairs); the
    estimate costs O(max_exact * mutual pairs).

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    top : int or None, optional (default=10)
        How many accounts to return; None for all.
    min_support : int, optional (default=1)
        The weight each direction must reach for a pair to count as mutual.
    seed : int, optional (default=42)
        Seed for sampling the source nodes (only used above `max_exact` nodes).
    max_exact : int, optional (default=1000)
        The largest mutual graph computed exactly, and the sample size above it.

    Returns
    -------
    list of (account, float)
        Only accounts with a score above 0, sorted by score descending, then by label.

    Raises
    ------
    ValueError
        If `min_support` or `max_exact` is not an integer >= 1, or `top` is negative.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 2), (3, 4), (4, 3)])
    >>> top_connectors(G)
    [(2, 0.6666666666666666), (3, 0.6666666666666666)]
    """
    k = check_min_support(min_support)
    limit = check_top(top)
    max_exact = check_positive(max_exact, "max_exact")
    return connectors_of_positions(
        mutual_positions(G, k, node_ranks(G)), limit, seed=seed, max_exact=max_exact
    )


def sample_size(nodes: int, max_exact: int) -> int | None:
    """How many sources :func:`top_connectors` samples on `nodes` accounts; None: exact."""
    return None if nodes <= max_exact else max_exact


def connectors_of_positions(
    mutual: MutualPositions, top: int | None, *, seed: int = 42, max_exact: int = 1000
) -> list[tuple[Hashable, float]]:
    """:func:`top_connectors` of a mutual graph given as :class:`MutualPositions`."""
    n = len(mutual.nodes)
    k = sample_size(n, max_exact)
    sources = None if k is None else engine.sampled_sources(n, k, seed)
    scores = engine.betweenness(n, mutual.edges, sources)
    # positions are in label order: the position breaks ties by label
    ranked = sorted(
        ((i, score) for i, score in enumerate(scores) if score > 0),
        key=lambda item: (-item[1], item[0]),
    )
    chosen = ranked if top is None else ranked[:top]
    return [(mutual.nodes[i], score) for i, score in chosen]
