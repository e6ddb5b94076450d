"""One-sided support: an account supports another that does not support it back enough.

X supports Y one-sidedly at threshold ``k`` (``min_support``) when ``w(X->Y) >= k`` and
``w(Y->X) < k``. The return may be non-zero but below the threshold. Self-loops are ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from .labels import sort_key
from .shared import check_min_support, digraph_only, weight

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["OneSided", "one_sided"]


@dataclass(frozen=True, slots=True)
class OneSided:
    """Support from one account to another that is not returned at the threshold.

    Attributes
    ----------
    supporter : hashable
        The account giving support.
    supported : hashable
        The account receiving it.
    count : int
        ``w(supporter->supported)``.
    returned : int
        ``w(supported->supporter)``; 0 when there is no edge back, and always below
        the ``min_support`` the relationship was found with.
    """

    supporter: Hashable
    supported: Hashable
    count: int
    returned: int


@digraph_only
def one_sided(
    G: nx.DiGraph, min_support: int = 1, account: Hashable | None = None
) -> list[OneSided]:
    """Return the support relationships that are not returned.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.
    min_support : int, optional (default=1)
        The weight the support must reach, and the weight the return must stay below.
    account : hashable, optional
        Only relationships involving this account, as supporter or as supported.
        Only its own edges are examined. An account not in `G` has none.

    Returns
    -------
    list of OneSided
        Sorted by `count` descending, then by the labels of supporter and supported.

    Raises
    ------
    ValueError
        If `min_support` is not an integer >= 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (1, 3)])
    >>> G.edges[1, 2]["weight"] = 2
    >>> one_sided(G)
    [OneSided(supporter=1, supported=3, count=1, returned=0)]
    >>> one_sided(G, min_support=2)
    [OneSided(supporter=1, supported=2, count=2, returned=1)]
    >>> one_sided(G, account=2)
    []
    """
    k = check_min_support(min_support)
    edges: Iterable[tuple[Hashable, Hashable, dict[str, Any]]]
    if account is None:
        edges = G.edges(data=True)
    elif account in G:
        edges = chain(G.out_edges(account, data=True), G.in_edges(account, data=True))
    else:
        return []
    succ = G.succ
    found = []
    for u, v, data in edges:
        if u == v:
            continue
        count = weight(data)
        if count < k:
            continue
        back = succ[v].get(u)
        returned = 0 if back is None else weight(back)
        if returned < k:
            found.append(OneSided(u, v, count, returned))
    keys = {node: sort_key(G, node) for r in found for node in (r.supporter, r.supported)}
    found.sort(key=lambda r: (-r.count, keys[r.supporter], keys[r.supported]))
    return found
