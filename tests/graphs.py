"""Small support graphs shared by the analytics tests: hand-built and hypothesis-drawn."""

from __future__ import annotations

import random

import networkx as nx
from hypothesis import strategies as st


def weighted(*edges: tuple[object, object, int]) -> nx.DiGraph:
    """A support graph with the given ``(supporter, supported, weight)`` edges."""
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges)
    return G


def mutual(*pairs: tuple[object, object], weight: int = 1) -> nx.DiGraph:
    """A support graph in which each given pair supports each other `weight` times."""
    G = nx.DiGraph()
    for x, y in pairs:
        G.add_edge(x, y, weight=weight)
        G.add_edge(y, x, weight=weight)
    return G


def random_support_graph(seed: int, n: int = 80, m: int = 400) -> nx.DiGraph:
    """A seeded random support graph on `n` accounts with about `m` edges of weight 1-3."""
    rng = random.Random(seed)
    G = nx.DiGraph()
    for _ in range(m):
        x, y = rng.randrange(n), rng.randrange(n)
        if x != y:
            G.add_edge(x, y, weight=rng.randint(1, 3))
    return G


@st.composite
def support_graphs(draw: st.DrawFn, max_accounts: int = 7) -> nx.DiGraph:
    """Small weighted DiGraphs; some weights missing, some usernames, some self-loops."""
    n = draw(st.integers(0, max_accounts))
    G = nx.DiGraph()
    for node in range(n):
        username = draw(st.none() | st.text("abz", min_size=1, max_size=2))
        G.add_node(node, **({} if username is None else {"username": username}))
    for u in range(n):
        for v in range(n):
            # 0: no edge; None: edge without a weight; a self-loop now and then
            w = draw(st.sampled_from([0, 0, 0, None, 1, 1, 2, 3] if u != v else [0] * 7 + [2]))
            if w != 0:
                G.add_edge(u, v, **({} if w is None else {"weight": w}))
    return G


def w(G: nx.DiGraph, x: object, y: object) -> int:
    """w(x->y) straight from the definition: the edge weight (1 if unset), 0 without an edge."""
    return G.edges[x, y].get("weight", 1) if G.has_edge(x, y) else 0


def key(G: nx.DiGraph, node: object) -> tuple[str, str, str]:
    """The documented tie-break order of an account: label, then key."""
    username = G.nodes[node].get("username")
    return (username or str(node), str(node), repr(node))


def large_support_graph(seed: int, n: int = 2000, m: int = 45_000) -> nx.DiGraph:
    """A seeded named support graph on `n` accounts with about `m` edges: each account
    supports accounts near it in a ring of neighbourhoods, about a third of them mutually."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sources = rng.integers(0, n, m)
    targets = (sources + rng.integers(1, 60, m)) % n
    weights = rng.integers(1, 6, m)
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=True)
    )
    back = rng.random(m) < 0.33
    G.add_weighted_edges_from(
        zip(targets[back].tolist(), sources[back].tolist(), weights[back].tolist(), strict=True)
    )
    for node in G:
        G.nodes[node]["username"] = f"shop_{node}"
        G.nodes[node]["name"] = f"Shop {node}"
    return G
