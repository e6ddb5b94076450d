"""Deterministic ordering of accounts, so that every analytics result is stable.

An account's label is its ``username`` node attribute when set, else ``str(node)``.
Accounts sort by label, then by ``str(node)``, then by ``repr(node)`` (which only
matters for odd inputs such as the nodes ``1`` and ``"1"`` in one graph).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["label", "sort_key", "sorted_nodes", "node_ranks"]

SortKey = tuple[str, str, str]


def label(G: nx.Graph, node: Hashable) -> str:
    """Return the display label of `node`: its ``username`` if set, else ``str(node)``.

    Parameters
    ----------
    G : networkx.Graph
        The graph holding the node attributes; `node` need not be in it.
    node : hashable
        An account key.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node(7, username="alice")
    >>> G.add_node(8)
    >>> label(G, 7), label(G, 8)
    ('alice', '8')
    """
    attrs = G.nodes[node] if node in G else {}
    username = attrs.get("username")
    if username is None or username == "":
        return str(node)
    return str(username)


def sort_key(G: nx.Graph, node: Hashable) -> SortKey:
    """Return the key that orders `node` among the accounts of `G`.

    Parameters
    ----------
    G : networkx.Graph
        The graph holding the node attributes.
    node : hashable
        An account key.

    Returns
    -------
    tuple of str
        ``(label, str(node), repr(node))``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2)])
    >>> G.nodes[2]["username"] = "ann"
    >>> sorted(G, key=lambda n: sort_key(G, n))
    [1, 2]
    """
    return (label(G, node), str(node), repr(node))


def sorted_nodes(G: nx.Graph, nodes: Iterable[Hashable] | None = None) -> list[Hashable]:
    """Return `nodes` (default: all nodes of `G`) in label order.

    Parameters
    ----------
    G : networkx.Graph
        The graph holding the node attributes.
    nodes : iterable of hashable, optional
        The accounts to sort; all nodes of `G` when omitted.

    Returns
    -------
    list
        The accounts, sorted by :func:`sort_key`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(10, 9)])
    >>> sorted_nodes(G)
    [10, 9]
    """
    return sorted(G if nodes is None else nodes, key=lambda n: sort_key(G, n))


def node_ranks(G: nx.Graph, nodes: Iterable[Hashable] | None = None) -> dict[Hashable, int]:
    """Map each of `nodes` (default: all nodes of `G`) to its position in label order.

    Ranks are distinct integers, so comparing ranks is a cheap total order.

    Parameters
    ----------
    G : networkx.Graph
        The graph holding the node attributes.
    nodes : iterable of hashable, optional
        The accounts to rank; all nodes of `G` when omitted.

    Returns
    -------
    dict
        Account -> rank, starting at 0.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("b", "a")])
    >>> node_ranks(G)
    {'a': 0, 'b': 1}
    """
    return {node: i for i, node in enumerate(sorted_nodes(G, nodes))}
