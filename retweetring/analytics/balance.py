"""Support balance: how much support each account gives and receives."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .labels import node_ranks
from .shared import digraph_only, weight

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Balance", "support_balance"]


@dataclass(frozen=True, slots=True)
class Balance:
    """The support one account gives and receives.

    Attributes
    ----------
    account : hashable
        The account.
    given : int
        Sum of the weights of its out-edges (support it gives).
    received : int
        Sum of the weights of its in-edges (support it receives).
    supported_accounts : int
        How many distinct accounts it supports.
    supporter_accounts : int
        How many distinct accounts support it.
    """

    account: Hashable
    given: int
    received: int
    supported_accounts: int
    supporter_accounts: int

    @property
    def net(self) -> int:
        """``given - received``: positive for accounts that give more than they get."""
        return self.given - self.received


@digraph_only
def support_balance(G: nx.DiGraph) -> list[Balance]:
    """Return, for every account, the support it gives and receives.

    Every edge counts, whatever its weight; self-loops are ignored.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph: an edge ``X->Y`` with ``weight`` means X supports Y.

    Returns
    -------
    list of Balance
        One entry per node of `G` (isolated accounts have zeros), sorted by `given`
        descending, then by label.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (1, 3)])
    >>> G.edges[1, 3]["weight"] = 4
    >>> for b in support_balance(G):
    ...     print(b.account, b.given, b.received, b.supported_accounts, b.supporter_accounts, b.net)
    1 5 1 2 1 4
    2 1 1 1 1 0
    3 0 4 0 1 -4
    """
    given = dict.fromkeys(G, 0)
    received = dict.fromkeys(G, 0)
    supported = dict.fromkeys(G, 0)
    supporters = dict.fromkeys(G, 0)
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        w = weight(data)
        given[u] += w
        received[v] += w
        supported[u] += 1
        supporters[v] += 1
    rank = node_ranks(G)
    result = [
        Balance(node, given[node], received[node], supported[node], supporters[node]) for node in G
    ]
    result.sort(key=lambda b: (-b.given, rank[b.account]))
    return result
