"""Communities: Louvain on the mutual-support graph."""

from __future__ import annotations

import random

import networkx as nx
from graphs import mutual, random_support_graph

from retweetring.analytics import communities, community_of


def two_cliques() -> nx.DiGraph:
    """Two mutual triangles joined by one mutual pair (3, 4)."""
    return mutual((1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4))


def shuffled_copy(G: nx.DiGraph, seed: int) -> nx.DiGraph:
    rng = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.DiGraph()
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


def test_two_triangles_joined_by_one_pair_are_two_communities() -> None:
    assert communities(two_cliques()) == [[1, 2, 3], [4, 5, 6]]


def test_accounts_without_mutual_partner_are_in_no_community() -> None:
    G = two_cliques()
    G.add_edge(7, 1)
    G.add_node(8)
    members = {node for group in communities(G) for node in group}
    assert members == {1, 2, 3, 4, 5, 6}


def test_min_support_drops_weak_pairs_from_communities() -> None:
    G = mutual((1, 2), weight=2)
    G.add_edges_from([(2, 3), (3, 2)], weight=1)
    assert communities(G, min_support=2) == [[1, 2]]


def test_empty_graph_has_no_communities() -> None:
    assert communities(nx.DiGraph()) == []
    assert communities(nx.DiGraph([(1, 2)])) == []


def test_communities_sorted_by_size_then_label() -> None:
    G = mutual((8, 9), (1, 2), (5, 6), (6, 7), (5, 7))
    G.nodes[8]["username"] = "0"
    assert communities(G) == [[5, 6, 7], [8, 9], [1, 2]]


def test_communities_are_deterministic() -> None:
    G = random_support_graph(5)
    first = communities(G)
    assert len(first) > 1
    assert communities(G) == first
    assert communities(shuffled_copy(G, 1)) == first
    assert communities(shuffled_copy(G, 2)) == first


def test_communities_partition_the_mutual_accounts() -> None:
    G = random_support_graph(9)
    found = communities(G)
    members = [node for group in found for node in group]
    assert len(members) == len(set(members))
    assert set(members) == {x for x, y in G.edges if G.has_edge(y, x)}


def test_community_of_maps_accounts_to_community_index() -> None:
    assert community_of(communities(two_cliques())) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    assert community_of([]) == {}
