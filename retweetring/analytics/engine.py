"""The graph algorithms the analytics run on the mutual graph, through igraph.

Nodes are passed as positions ``0..n-1`` (the caller's node order, label order everywhere in
the analytics) and edges as pairs of positions, so the same code serves a networkx graph and
arrays read straight from the database.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["betweenness", "igraph", "louvain", "sampled_sources", "seeded"]


def igraph() -> Any:
    """The igraph module, imported without matplotlib when nothing has imported it yet.

    igraph's plotting imports matplotlib.pyplot (about 1 s) when it can; the analytics never
    plot with igraph, so the import is made to fail for igraph alone. Matplotlib itself can
    still be imported afterwards (the maps do).
    """
    if "igraph" not in sys.modules and "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
        try:
            import igraph as ig
        finally:
            del sys.modules["matplotlib"]
    import igraph as ig

    return ig


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers come from ``random.Random(seed)`` inside the block."""
    ig = igraph()
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _graph(n: int, edges: Sequence[tuple[int, int]]) -> Any:
    return igraph().Graph(n=n, edges=edges, directed=False)


def louvain(
    n: int, edges: Sequence[tuple[int, int]], weights: Sequence[float], seed: int
) -> list[list[int]]:
    """Return the communities of the weighted undirected graph: igraph's multilevel (Louvain).

    The result depends only on `n`, `edges` (in order), `weights` and `seed`: igraph's random
    numbers come from ``random.Random(seed)`` for this call only.
    """
    graph = _graph(n, edges)
    with seeded(seed):
        found = graph.community_multilevel(weights=list(weights))
    return [list(group) for group in found]


def sampled_sources(n: int, k: int, seed: int) -> list[int]:
    """The `k` source positions :func:`networkx.betweenness_centrality` samples with `seed`.

    networkx draws ``random.Random(seed).sample(list(G), k)``; sampling positions draws the
    same elements in the same order.
    """
    return random.Random(seed).sample(range(n), k)


def betweenness(
    n: int, edges: Sequence[tuple[int, int]], sources: Sequence[int] | None = None
) -> list[float]:
    """Normalized, unweighted betweenness of each node, as :func:`networkx.betweenness_centrality`.

    With `sources`, only shortest paths from those nodes are counted and the sum is scaled as
    networkx scales a sample of ``k=len(sources)`` nodes (``endpoints=False``): by
    ``1 / ((k - 1)(n - 2))`` for a source node and ``1 / (k (n - 2))`` for the others.
    Without, every pair counts, scaled by ``1 / ((n - 1)(n - 2))``.
    """
    if n <= 2:
        return [0.0] * n
    graph = _graph(n, edges)
    if sources is None:
        # igraph counts each unordered pair once, networkx each ordered pair: hence the 2.
        scale = 2 / ((n - 1) * (n - 2))
        return [value * scale for value in graph.betweenness(directed=False)]
    k = len(sources)
    raw = graph.betweenness(directed=False, sources=list(sources))
    in_sample = set(sources)
    source_scale = 2 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    other_scale = 2 / (k * (n - 2))
    return [
        value * (source_scale if i in in_sample else other_scale) for i, value in enumerate(raw)
    ]
