"""Helpers the analytics modules share: validation, weights, mutual support.

Self-loops are ignored everywhere in the analytics: an account cannot support itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import networkx as nx

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "digraph_only",
    "check_positive",
    "check_min_support",
    "check_top",
    "weight",
    "mutual_edges",
    "partners_of",
    "mutual_partners",
    "build_mutual_graph",
    "MutualPositions",
    "mutual_positions",
    "positions_of",
]


def digraph_only(func: F) -> F:
    """Decorate an analytics function of a support graph: it refuses an undirected graph and
    a multigraph with ``networkx.NetworkXNotImplemented``.

    The same as networkx's ``not_implemented_for("undirected")`` and
    ``not_implemented_for("multigraph")``, applied on the first call instead of on import, so
    that importing the analytics does not import networkx (the SQL arrays of
    :mod:`retweetring.analytics.weights` need no graph).

    >>> import networkx as nx
    >>> @digraph_only
    ... def order(G):
    ...     return G.number_of_nodes()
    >>> order(nx.DiGraph([(1, 2)]))
    2
    >>> order(nx.Graph([(1, 2)]))
    Traceback (most recent call last):
    ...
    networkx.exception.NetworkXNotImplemented: not implemented for undirected type
    """
    checked: Callable[..., Any] | None = None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal checked
        if checked is None:
            from networkx.utils import not_implemented_for

            checked = not_implemented_for("undirected")(not_implemented_for("multigraph")(func))
        return checked(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def check_positive(value: int, name: str) -> int:
    """Return `value` as an int, or raise ValueError unless it is an integer >= 1.

    >>> check_positive(2, "max_exact")
    2
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def check_min_support(min_support: int) -> int:
    """Return `min_support` as an int, or raise ValueError unless it is an integer >= 1.

    >>> check_min_support(2)
    2
    """
    return check_positive(min_support, "min_support")


def check_top(top: int | None, name: str = "top") -> int | None:
    """Return `top` (None or an integer >= 0), or raise ValueError.

    >>> check_top(None), check_top(3)
    (None, 3)
    """
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, Integral) or top < 0:
        raise ValueError(f"{name} must be None or an integer >= 0, got {top!r}")
    return int(top)


def weight(data: Mapping[str, Any]) -> int:
    """Return the support weight stored in an edge's data; a missing weight counts as 1.

    >>> weight({}), weight({"weight": 3})
    (1, 3)
    """
    return data.get("weight", 1)


def mutual_edges(
    G: nx.DiGraph, min_support: int, rank: Mapping[Hashable, int]
) -> Iterator[tuple[Hashable, Hashable, int, int]]:
    """Yield ``(a, b, w(a->b), w(b->a))`` once per mutual pair, with ``rank[a] < rank[b]``.

    >>> import networkx as nx
    >>> G = nx.DiGraph([(2, 1), (1, 2), (1, 3)])
    >>> list(mutual_edges(G, 1, {1: 0, 2: 1, 3: 2}))
    [(1, 2, 1, 1)]
    """
    succ = G.succ
    for u, v, data in G.edges(data=True):
        if u == v or rank[u] > rank[v]:
            continue
        w_uv = weight(data)
        if w_uv < min_support:
            continue
        back = succ[v].get(u)
        if back is None:
            continue
        w_vu = weight(back)
        if w_vu >= min_support:
            yield u, v, w_uv, w_vu


def partners_of(G: nx.DiGraph, node: Hashable, min_support: int) -> list[Hashable]:
    """Return the mutual partners of `node` (unordered), looking only at its own edges.

    >>> import networkx as nx
    >>> partners_of(nx.DiGraph([(1, 2), (2, 1), (1, 3)]), 1, 1)
    [2]
    """
    succ = G.succ
    found = []
    for other, data in succ[node].items():
        if other == node or weight(data) < min_support:
            continue
        back = succ[other].get(node)
        if back is not None and weight(back) >= min_support:
            found.append(other)
    return found


def mutual_partners(
    G: nx.DiGraph, min_support: int, rank: Mapping[Hashable, int]
) -> dict[Hashable, list[Hashable]]:
    """Map every account with a mutual partner to its partners, all in rank order.

    Accounts without a mutual partner are left out; the dict itself is in rank order.

    >>> import networkx as nx
    >>> mutual_partners(nx.DiGraph([(1, 2), (2, 1), (1, 3)]), 1, {1: 0, 2: 1, 3: 2})
    {1: [2], 2: [1]}
    """
    partners: dict[Hashable, list[Hashable]] = {}
    for a, b, _, _ in mutual_edges(G, min_support, rank):
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    by_rank = rank.__getitem__
    return {node: sorted(partners[node], key=by_rank) for node in sorted(partners, key=by_rank)}


def build_mutual_graph(
    G: nx.DiGraph, min_support: int, rank: Mapping[Hashable, int], *, isolates: bool
) -> nx.Graph:
    """Build the undirected mutual graph, nodes and edges inserted in rank order.

    Each edge ``(a, b)`` has ``rank[a] < rank[b]`` and the attributes ``a_to_b``,
    ``b_to_a`` and ``weight`` (their sum). With ``isolates=True`` every node of `G` is
    kept, with a shallow copy of its attributes; otherwise only accounts with a mutual
    partner, without attributes (the form the internal algorithms use).

    >>> import networkx as nx
    >>> H = build_mutual_graph(nx.DiGraph([(1, 2), (2, 1), (1, 3)]), 1, {1: 0, 2: 1, 3: 2},
    ...                        isolates=False)
    >>> list(H.edges(data=True))
    [(1, 2, {'a_to_b': 1, 'b_to_a': 1, 'weight': 2})]
    """
    import networkx as nx

    edges = sorted(mutual_edges(G, min_support, rank), key=lambda e: (rank[e[0]], rank[e[1]]))
    H = nx.Graph(min_support=min_support)
    if isolates:
        H.add_nodes_from((node, G.nodes[node]) for node in sorted(G, key=rank.__getitem__))
    else:
        ends = {node for a, b, _, _ in edges for node in (a, b)}
        H.add_nodes_from(sorted(ends, key=rank.__getitem__))
    H.add_edges_from(
        (a, b, {"a_to_b": w_ab, "b_to_a": w_ba, "weight": w_ab + w_ba})
        for a, b, w_ab, w_ba in edges
    )
    return H


@dataclass(frozen=True)
class MutualPositions:
    """The mutual graph without isolates, as positions for :mod:`retweetring.analytics.engine`.

    ``nodes`` are the accounts with a mutual partner in rank order; each of ``edges`` is a
    pair of positions in ``nodes`` (``a < b``), in order, with the pair's total support in
    ``weights``: the nodes and edges of ``build_mutual_graph(..., isolates=False)``.
    """

    nodes: list[Hashable]
    edges: list[tuple[int, int]]
    weights: list[int]


def mutual_positions(
    G: nx.DiGraph, min_support: int, rank: Mapping[Hashable, int]
) -> MutualPositions:
    """The mutual graph of `G` at `min_support` as :class:`MutualPositions`.

    >>> import networkx as nx
    >>> mutual_positions(nx.DiGraph([(3, 1), (1, 3), (1, 2)]), 1, {1: 0, 2: 1, 3: 2})
    MutualPositions(nodes=[1, 3], edges=[(0, 1)], weights=[2])
    """
    pairs = sorted(mutual_edges(G, min_support, rank), key=lambda e: (rank[e[0]], rank[e[1]]))
    return positions_of([(rank[a], rank[b], w_ab + w_ba) for a, b, w_ab, w_ba in pairs], rank)


def positions_of(
    pairs: list[tuple[int, int, int]], rank: Mapping[Hashable, int]
) -> MutualPositions:
    """:class:`MutualPositions` from ``(rank of a, rank of b, total)`` triples sorted by ranks."""
    by_rank = {r: node for node, r in rank.items()}
    ends = sorted({r for a, b, _ in pairs for r in (a, b)})
    position = {r: i for i, r in enumerate(ends)}
    return MutualPositions(
        [by_rank[r] for r in ends],
        [(position[a], position[b]) for a, b, _ in pairs],
        [total for _, _, total in pairs],
    )
