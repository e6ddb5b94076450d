"""Where the maps put each account: seeded force-directed positions for the community map,
rings around one account for the ego map.

igraph does the work when it is installed: Kamada-Kawai for small maps, where it spaces
accounts more evenly, and Fruchterman-Reingold above ``KAMADA_KAWAI_MAX`` accounts (0.24 s for
2,000 accounts and 45k edges, against 10.6 s for ``networkx.spring_layout``; see
``benchmarks/bench_maps.py``). ``networkx.spring_layout`` is the fallback. Either way the
same graph and seed give the same positions, whatever order the nodes were added in.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np

from retweetring.analytics import Introduction
from retweetring.analytics.engine import seeded
from retweetring.analytics.labels import node_ranks

__all__ = ["Positions", "ego_positions", "spring_positions"]

Positions = dict[Hashable, tuple[float, float]]

#: Up to this many nodes igraph uses Kamada-Kawai, which spaces a small map more evenly
#: (fewer overlapping labels); larger maps use Fruchterman-Reingold, which scales.
KAMADA_KAWAI_MAX = 300


def spring_positions(
    G: nx.Graph, *, seed: int = 42, weight: str = "weight", engine: str = "auto"
) -> Positions:
    """Return a position for every node, pulled together by heavier edges.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph to lay out; edge directions are ignored and the weights of ``u->v`` and
        ``v->u`` are added.
    seed : int, optional (default=42)
        Seed of the starting positions and of the algorithm's random moves.
    weight : str, optional (default="weight")
        The edge attribute that pulls nodes together (a missing value counts as 1).
    engine : {"auto", "igraph", "networkx"}, optional
        ``"auto"`` uses igraph when it is installed, else networkx.

    Returns
    -------
    dict
        Node -> ``(x, y)``, centred on 0 and scaled so that the farthest coordinate is 1.

    Raises
    ------
    ValueError
        If `engine` is unknown, or ``"igraph"`` is asked for and not installed.

    Examples
    --------
    >>> pos = spring_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and pos == spring_positions(nx.path_graph([2, 1, 0]))
    True
    >>> max(abs(c) for xy in pos.values() for c in xy)
    1.0
    """
    if engine not in {"auto", "igraph", "networkx"}:
        raise ValueError(f"unknown layout engine {engine!r}")
    rank = node_ranks(G)
    nodes = sorted(G, key=rank.__getitem__)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pulls: dict[tuple[int, int], float] = {}
    for u, v, w in G.edges(data=weight, default=1):
        if u != v:
            pair = (min(index[u], index[v]), max(index[u], index[v]))
            pulls[pair] = pulls.get(pair, 0.0) + float(w)
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(len(nodes), 2))
    use_igraph = engine == "igraph" or (engine == "auto" and _has_igraph())
    if use_igraph:
        coords = _igraph_layout(len(nodes), pulls, start, seed)
    else:
        coords = _networkx_layout(len(nodes), pulls, start, seed)
    return _normalised(nodes, coords)


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _igraph_layout(
    n: int, pulls: dict[tuple[int, int], float], start: np.ndarray, seed: int
) -> np.ndarray:
    try:
        import igraph
    except ImportError:
        raise ValueError("the igraph layout needs igraph: pip install igraph") from None
    graph = igraph.Graph(n=n, edges=list(pulls))
    weights = [1.0 + np.log1p(w) for w in pulls.values()]
    scale = np.sqrt(n)
    with seeded(seed):
        if n <= KAMADA_KAWAI_MAX and weights:
            # edge length shrinks as support grows
            layout = graph.layout_kamada_kawai(
                seed=(start * scale).tolist(), maxiter=50 * n, weights=[1 / w for w in weights]
            )
        else:
            layout = graph.layout_fruchterman_reingold(
                weights=weights if weights else None, seed=(start * scale).tolist(), niter=500
            )
    return np.asarray(layout.coords, dtype=float)


def _networkx_layout(
    n: int, pulls: dict[tuple[int, int], float], start: np.ndarray, seed: int
) -> np.ndarray:
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_weighted_edges_from((a, b, 1.0 + np.log1p(w)) for (a, b), w in pulls.items())
    pos = nx.spring_layout(H, pos=dict(enumerate(start)), seed=seed, weight="weight")
    return np.array([pos[i] for i in range(n)], dtype=float)


def _normalised(nodes: list[Hashable], coords: np.ndarray) -> Positions:
    coords = coords - (coords.min(axis=0) + coords.max(axis=0)) / 2
    extent = float(np.abs(coords).max())
    if extent > 0:
        coords = coords / extent
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, coords, strict=True)}


def ego_positions(
    centre: Hashable,
    kept: Sequence[Hashable],
    relation: dict[Hashable, str],
    intros: Sequence[Introduction],
    intro_nodes: Sequence[Hashable],
) -> Positions:
    """The account at the centre, its relationships on a ring by kind, introductions outside."""
    pos: Positions = {centre: (0.0, 0.0)}
    groups = [[n for n in kept if relation[n] == k] for k in ("mutual", "supporter", "supported")]
    total = len(kept)
    if total:
        gap = 0.35 if total > 3 else 0.0
        sizes = [len(g) for g in groups if g]
        step = (2 * math.pi - gap * len(sizes)) / total
        angle = math.pi / 2 + (len(groups[0]) * step) / 2  # mutual partners around the top
        for group in groups:
            if not group:
                continue
            for i, node in enumerate(group):
                radius = 1.0 if total <= 24 or i % 2 == 0 else 0.86
                a = angle - (i + 0.5) * step
                pos[node] = (radius * math.cos(a), radius * math.sin(a))
            angle -= len(group) * step + gap
    angles = []
    for intro in intros:
        vias = [pos[b] for b in intro.via if b in pos]
        if vias:
            angles.append(math.atan2(sum(y for _, y in vias), sum(x for x, _ in vias)))
        else:
            angles.append(-math.pi / 2)
    placed: list[float] = []
    for node, a in sorted(zip(intro_nodes, angles, strict=True), key=lambda p: p[1]):
        while any(abs(math.remainder(a - b, 2 * math.pi)) < 0.3 for b in placed):
            a += 0.3
        placed.append(a)
        pos[node] = (1.45 * math.cos(a), 1.45 * math.sin(a))
    return pos
