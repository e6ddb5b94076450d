"""Communities: groups of accounts that support each other more than they support others."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from .labels import node_ranks
from .shared import build_mutual_graph, check_min_support

__all__ = ["communities", "community_of"]


@nx.utils.not_implemented_for("undirected")
@nx.utils.not_implemented_for("multigraph")
def communities(G: nx.DiGraph, min_support: int = 1, seed: int = 42) -> list[list[Hashable]]:
    """Return the communities of the mutual-support graph (Louvain).

    Runs :func:`networkx.community.louvain_communities` on the mutual graph (see
    :func:`~retweetring.analytics.mutual.mutual_graph`), weighted by the total support
    of each pair. The mutual graph is built in label order, so the result depends only
    on `G`'s nodes, edges and attributes and on `seed`, not on insertion order.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    min_support : int, optional (default=1)
        The weight each direction must reach for a pair to count as mutual.
    seed : int, optional (default=42)
        Seed of Louvain's random node order.

    Returns
    -------
    list of list
        Each community sorted by label; the communities sorted by size descending,
        then by the label of their first account. Accounts without a mutual partner
        belong to no community.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 2), (4, 5), (5, 4), (5, 6)])
    >>> communities(G)
    [[1, 2, 3], [4, 5]]
    """
    k = check_min_support(min_support)
    rank = node_ranks(G)
    H = build_mutual_graph(G, k, rank, isolates=False)
    if H.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    result = [sorted(group, key=rank.__getitem__) for group in found]
    result.sort(key=lambda group: (-len(group), rank[group[0]]))
    return result


def community_of(communities: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """Map each account to the index of its community.

    Parameters
    ----------
    communities : iterable of iterables
        Communities, for instance the result of :func:`communities`.

    Returns
    -------
    dict
        Account -> position of its community in `communities` (starting at 0).
        Accounts in no community are absent.

    Examples
    --------
    >>> community_of([[1, 2, 3], [4, 5]])
    {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    """
    return {node: i for i, group in enumerate(communities) for node in group}
